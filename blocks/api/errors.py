"""One place where errors become HTTP answers (API_CONTRACT.md "Errors").

Every 400 has the DRF shape `{"field": ["message", ...]}`, with `non_field_errors`
for rules that span fields. Input the database refuses (a race on a unique
constraint, a number too large for its column) is the caller's fault: a 400,
never a 500. A database too busy to take the write is a 503 with Retry-After: 1
(tracker/busy.py). Logs name the kind of error, never its text: a database's
message quotes the values it refused (an MRN).
"""

import logging

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from blocks.rules import UnknownProfile
from blocks.services.records import MarkedEnteredInError
from tracker.busy import BUSY_DETAIL, RETRY_AFTER_SECONDS, is_busy, log_busy

logger = logging.getLogger(__name__)

NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY


class DatabaseBusy(exceptions.APIException):
    """503; DRF's handler sends `wait` as the Retry-After header."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = BUSY_DETAIL
    default_code = "database_busy"
    wait = RETRY_AFTER_SECONDS


def django_error_detail(error: DjangoValidationError) -> dict[str, list[str]]:
    """A Django ValidationError as a field-keyed dict, `__all__` renamed to non_field_errors."""
    if hasattr(error, "error_dict"):
        return {
            (NON_FIELD if field == NON_FIELD_ERRORS else field): list(messages)
            for field, messages in error.message_dict.items()
        }
    return {NON_FIELD: list(error.messages)}


def exception_handler(exc, context):
    if isinstance(exc, MarkedEnteredInError):
        return Response(
            {
                "detail": exc.messages[0],
                "entered_in_error": {"record": exc.kind, "id": exc.record.pk},
            },
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(django_error_detail(exc))
    elif isinstance(exc, UnknownProfile):
        exc = exceptions.ValidationError({"profile": [str(exc)]})
    elif is_busy(exc):
        log_busy(context["request"], exc)
        exc = DatabaseBusy()
    elif isinstance(exc, IntegrityError):
        logger.info("Refused a write that conflicts with stored records (%s).", _constraint(exc))
        exc = exceptions.ValidationError(
            {NON_FIELD: ["The record conflicts with one already stored; reload and retry."]}
        )
    elif isinstance(exc, (DataError, OverflowError)):
        logger.info("Refused a value the database cannot store (%s).", type(exc).__name__)
        exc = exceptions.ValidationError({NON_FIELD: ["A value is out of range."]})
    elif isinstance(exc, exceptions.ParseError):
        exc = exceptions.ValidationError({NON_FIELD: [str(exc.detail)]})

    response = drf_exception_handler(exc, context)
    if response is not None and response.status_code == status.HTTP_400_BAD_REQUEST:
        response.data = _field_keyed(response.data)
    return response


def _constraint(exc: IntegrityError) -> str:
    """The violated constraint's name (PostgreSQL), else the error class: no stored values."""
    name = getattr(getattr(exc.__cause__, "diag", None), "constraint_name", None)
    return name or type(exc.__cause__ or exc).__name__


def _field_keyed(data) -> dict[str, list[str]]:
    """Every 400 as {"field": ["message", ...]}.

    A bare message goes under non_field_errors; the nested errors of a list of
    objects (pain_scores, discs) become messages under the top-level field that
    name the item, e.g. "pain_scores[1].score: Ensure this value is ...".
    """
    if not isinstance(data, dict):
        return {NON_FIELD: _messages(data, "")}
    return {
        field: _messages(value, "" if _is_flat(value) else field) or [str(value)]
        for field, value in data.items()
    }


def _is_flat(value) -> bool:
    return isinstance(value, str) or (
        isinstance(value, list | tuple) and all(isinstance(item, str) for item in value)
    )


def _messages(value, path: str) -> list[str]:
    if isinstance(value, str):
        return [f"{path}: {value}" if path else str(value)]
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list | tuple):
        if all(isinstance(item, str) for item in value):
            return [f"{path}: {item}" if path else str(item) for item in value]
        items = enumerate(value)
    else:
        return [f"{path}: {value}" if path else str(value)]
    messages = []
    for key, item in items:
        if isinstance(key, int) or str(key).isdigit():
            step = f"[{key}]"
        elif key == NON_FIELD:
            step = ""
        else:
            step = f".{key}"
        messages.extend(_messages(item, f"{path}{step}"))
    return messages
