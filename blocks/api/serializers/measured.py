"""The API's fields for what was done and measured, derived from blocks/models/measured.py."""

from rest_framework import serializers

from blocks.api.fields import (
    CodeField,
    CodeListField,
    StrictBooleanField,
    StrictDateTimeField,
    StrictDecimalField,
    StrictIntegerField,
)
from blocks.api.serializers.patients import MOMENT_HELP
from blocks.models import measured as declared

# Given or not on a new record, judged by the serializer's validate(): pre-block pain may be
# left out only for a discography, flow confirmed only without contrast.
_PRESENCE_CHECKED = {"pre_pain", "contrast_flow_confirmed"}


def declared_levels() -> tuple[str, ...]:
    """Every level code; which of them a procedure may name depends on its episode's region
    and its kind, and the model judges that."""
    from blocks.rules import vocab

    return vocab.LEVELS


def api_field(field: declared.MeasuredField, *, update: bool) -> serializers.Field:
    """One measured field as the JSON API takes it: strict JSON types, the declared limits."""
    options: dict = {"help_text": field.help} if field.help else {}
    if update:
        options["required"] = False
    elif field.nullable or field.name in _PRESENCE_CHECKED:
        options["required"] = False
        if field.nullable and field.name not in _PRESENCE_CHECKED:
            options["default"] = None
    if field.nullable:
        options["allow_null"] = True
    if field.type == declared.DATETIME:
        return StrictDateTimeField(**{**options, "help_text": MOMENT_HELP})
    if field.type == declared.CODE:
        return CodeField(field.vocabulary, **options)
    if field.type == declared.LEVELS:
        return CodeListField(
            noun="level", allow_empty=False, schema_codes=declared_levels(), **options
        )
    if field.type == declared.DECIMAL:
        return StrictDecimalField(
            max_digits=field.max_digits, decimal_places=field.decimal_places, **options
        )
    if field.type == declared.INTEGER:
        return StrictIntegerField(min_value=field.minimum, max_value=field.maximum, **options)
    if field.type == declared.BOOLEAN:
        return StrictBooleanField(**options)
    raise ValueError(f"No API field for the measured type {field.type!r}.")


def measured_fields(*, update: bool = False) -> dict[str, serializers.Field]:
    return {field.name: api_field(field, update=update) for field in declared.MEASURED}


# The serializers of a new procedure and of an edit inherit these fields.
MeasuredInput = type("MeasuredInput", (serializers.Serializer,), measured_fields())
MeasuredUpdate = type("MeasuredUpdate", (serializers.Serializer,), measured_fields(update=True))
