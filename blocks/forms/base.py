"""What the page forms share: service errors shown beside the field they are about."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from blocks.forms.labels import plain

DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def error_messages(error: ValidationError) -> dict[str, list[str]]:
    """A service's ValidationError as {field: [plain message, ...]} ('__all__' for the rest)."""
    if hasattr(error, "error_dict"):
        return {
            field: [plain(message) for message in messages]
            for field, messages in error.message_dict.items()
        }
    return {NON_FIELD_ERRORS: [plain(message) for message in error.messages]}


def show_service_errors(
    form: forms.Form, error: ValidationError, *, elsewhere: dict | None = None
) -> dict[str, list[str]]:
    """Put each of the service's messages beside the form field it names.

    Messages about fields the form does not have go to the form's own errors,
    except those named in `elsewhere` (e.g. "pain_scores"), which are returned
    so the page can show them beside their grid.
    """
    elsewhere = dict.fromkeys(elsewhere or (), None)
    kept: dict[str, list[str]] = {}
    for field, messages in error_messages(error).items():
        if field in elsewhere:
            kept[field] = messages
        elif field in form.fields:
            form.add_error(field, messages)
        else:
            form.add_error(None, messages)
    return kept
