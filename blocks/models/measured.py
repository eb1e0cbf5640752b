"""What was done and measured at a procedure, declared once.

Each entry names a field of `Procedure` that a clinician records and may correct, with the
words a clinician reads (label, help), what the data dictionary says of it, and its type. The
API serializers, the procedure form, the engine's input (blocks.adapters and
reports.store.engine_input), the services' `measured=` argument and the export's data
dictionary are derived from this tuple; tests/test_measured_fields.py fails when one of them
misses a field. A new field that is recorded, shown and exported touches the model, its
migration, this declaration, the template that shows it, and nothing more.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone

from blocks.rules import vocab

DATETIME, CODE, LEVELS, DECIMAL, INTEGER, BOOLEAN = (
    "datetime",
    "code",
    "levels",
    "decimal",
    "integer",
    "boolean",
)


@dataclass(frozen=True)
class MeasuredField:
    name: str
    label: str
    meaning: str  # the data dictionary's "meaning" column
    type: str
    vocabulary: tuple[str, ...] = ()
    unit: str = ""
    help: str = ""
    nullable: bool = False  # may be empty (null) in the record
    minimum: int | None = None
    maximum: int | None = None
    max_digits: int | None = None
    decimal_places: int | None = None
    engine: bool = True  # read by the rules engine (a field of blocks.rules.types.Block)

    @property
    def allowed(self) -> str:
        """The data dictionary's "allowed values" text."""
        if self.vocabulary:
            return ", ".join(self.vocabulary)
        if self.type == BOOLEAN:
            return "true, false"
        if self.type == LEVELS:
            return "level codes (API contract)"
        if self.type in (INTEGER, DECIMAL):
            low = "" if self.minimum is None else f">= {self.minimum}"
            if self.maximum is not None:
                low = f"{self.minimum}-{self.maximum}"
            return f"{low}, empty" if self.nullable else low
        return ""

    def to_engine(self, value):
        """The value as the rules engine reads it (blocks.rules.types.Block)."""
        if value is None:
            return None
        if self.type == DECIMAL:
            return float(value)
        if self.type == LEVELS:
            return tuple(value)
        if self.type == DATETIME:
            # In the clinic's time zone: intervals and earliest dates are its calendar days.
            # A legacy row at year 1 or 9999 overflows that zone: read as stored then
            # (blocks/rules/dates.py keeps the rules' arithmetic in range).
            try:
                return timezone.localtime(value)
            except OverflowError:
                return value
        return value


MEASURED: tuple[MeasuredField, ...] = (
    MeasuredField(
        "performed_at",
        "Performed at",
        "When performed (identified export only).",
        DATETIME,
        unit="ISO 8601 UTC",
        help="Date and time of the block, in the clinic's time zone.",
    ),
    MeasuredField("kind", "Procedure", "Kind of procedure.", CODE, vocab.KINDS),
    MeasuredField("intent", "Intent", "Diagnostic or therapeutic.", CODE, vocab.INTENTS),
    MeasuredField("side", "Side", "Side of the procedure.", CODE, vocab.SIDES),
    MeasuredField(
        "levels",
        "Levels",
        "Levels treated, ';'-separated.",
        LEVELS,
        help="Medial branch blocks and RFA name the joints whose nerves they target.",
    ),
    MeasuredField(
        "anesthetic",
        "Anaesthetic",
        "Local anaesthetic (or saline placebo).",
        CODE,
        vocab.ANESTHETICS,
    ),
    MeasuredField(
        "anesthetic_volume_ml",
        "Anaesthetic volume per level (mL)",
        "Anaesthetic volume per injection site.",
        DECIMAL,
        unit="mL",
        help="Per level (injection site); empty when no anaesthetic was given.",
        nullable=True,
        minimum=0,
        max_digits=6,
        decimal_places=3,
    ),
    MeasuredField(
        "steroid",
        "Steroid",
        "Steroid given.",
        CODE,
        vocab.STEROIDS,
        help="“None” when no steroid was given.",
    ),
    MeasuredField(
        "steroid_dose_mg",
        "Steroid dose (mg)",
        "Steroid dose.",
        DECIMAL,
        unit="mg",
        help="Empty when no steroid was given.",
        nullable=True,
        minimum=0,
        max_digits=7,
        decimal_places=3,
    ),
    MeasuredField("guidance", "Image guidance", "Image guidance.", CODE, vocab.GUIDANCE),
    MeasuredField("contrast_used", "Contrast used", "Contrast was used.", BOOLEAN),
    MeasuredField(
        "contrast_flow_confirmed",
        "Contrast flow confirmed before the medication",
        "Contrast flow confirmed before medication.",
        BOOLEAN,
        help="Required when contrast was used: was the contrast pattern right before the "
        "medication went in? Never true without contrast.",
    ),
    MeasuredField(
        "sedation",
        "Sedation",
        "Sedation.",
        CODE,
        vocab.SEDATION,
        help="“None” when the patient had no sedation.",
    ),
    MeasuredField(
        "pre_pain",
        "Pain just before the block (0–10)",
        "Index pain just before the block (NRS, LOINC 72514-3).",
        INTEGER,
        unit="0-10",
        help="Index pain just before the block; empty only for a provocation discography.",
        nullable=True,
        minimum=0,
        maximum=10,
    ),
)

BY_NAME: dict[str, MeasuredField] = {field.name: field for field in MEASURED}
MEASURED_FIELDS: tuple[str, ...] = tuple(BY_NAME)


def unknown_names(values: Mapping) -> list[str]:
    """Keys of `values` that are not measured fields (a service refuses them)."""
    return sorted(set(values) - set(BY_NAME))


# Left out of a new record: empty, or (flow) not confirmed. Everything else must be given.
_ABSENT = {"contrast_flow_confirmed": False}


def measured_values(values: Mapping, *, partial: bool = False) -> dict:
    """The measured values a service was given, checked against the declaration.

    An unknown name is a programming error (TypeError, as for an unknown keyword). For a new
    record (`partial=False`) a nullable field left out is empty; a required one left out is
    a ValidationError naming it.
    """
    unknown = unknown_names(values)
    if unknown:
        raise TypeError(f"Not measured fields of a procedure: {', '.join(unknown)}.")
    if partial:
        return dict(values)
    result = {}
    missing = {}
    for field in MEASURED:
        if field.name in values:
            result[field.name] = values[field.name]
        elif field.nullable:
            result[field.name] = None
        elif field.name in _ABSENT:
            result[field.name] = _ABSENT[field.name]
        else:
            missing[field.name] = ["This field is required."]
    if missing:
        raise ValidationError(missing)
    return result


def engine_values(values: Mapping) -> dict:
    """The measured values of one procedure as keyword arguments of the engine's Block."""
    return {field.name: field.to_engine(values[field.name]) for field in MEASURED if field.engine}


def split_measured(values: Mapping) -> tuple[dict, dict]:
    """(the measured fields, everything else) of a form's or serializer's cleaned data."""
    measured = {name: value for name, value in values.items() if name in BY_NAME}
    rest = {name: value for name, value in values.items() if name not in BY_NAME}
    return measured, rest
