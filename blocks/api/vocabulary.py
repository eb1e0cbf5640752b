"""Every fixed vocabulary of the API as a named enum in the OpenAPI schema.

The codes come from blocks.rules.vocab (and the profiles' names); a generated client then
has a type per vocabulary instead of plain strings. Validation is unchanged: a field made
here behaves exactly like its base class (a wrong code gets the same message it always
had), only its schema lists the codes. The names are pinned in ENUM_NAME_OVERRIDES
(tracker/settings.py) from ENUMS below, so a client's types keep their names when a
serializer is renamed; tests/api/test_schema_vocabularies.py checks both against vocab.py.
"""

from __future__ import annotations

from functools import cache
from types import SimpleNamespace

from drf_spectacular.plumbing import list_hash
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from blocks.models.base import choices
from blocks.rules import PROFILES, vocab

PROFILE_NAMES = tuple(PROFILES)

# Enum name in the schema: its codes. Each tuple is distinct (the schema names a choice set,
# so two enums with the same codes would be one).
ENUMS: dict[str, tuple[str, ...]] = {
    "ResponseEnum": vocab.RESPONSES,
    "ValidityEnum": vocab.VALIDITIES,
    "WarningCodeEnum": vocab.WARNING_CODES,
    "NonDiagnosticCodeEnum": vocab.NON_DIAGNOSTIC_CODES,
    "NextStepCodeEnum": vocab.NEXT_STEP_CODES,
    "DiscResultEnum": vocab.DISC_RESULTS,
    "ProfileNameEnum": PROFILE_NAMES,
    "ContraindicationEnum": vocab.CONTRAINDICATIONS,
    "HardStopEnum": vocab.HARD_STOPS + vocab.CONDITIONAL_HARD_STOPS,
    "ScreeningWarningEnum": vocab.SCREENING_WARNING_CODES,
    "FrequencyWarningCodeEnum": vocab.FREQUENCY_WARNING_CODES,
    "LevelEnum": vocab.LEVELS,
}
# Vocabularies a model field already names (SideEnum, AnestheticEnum): the API's plain
# string fields join those enums rather than make new ones.
SHARED = {"sides": vocab.SIDES, "anesthetics": vocab.ANESTHETICS}


# ENUM_NAME_OVERRIDES reads "blocks.api.vocabulary.CHOICES.<name>": each enum's choices, labelled
# as the fields label them (the hash that names an enum covers the labels too).
CHOICES = SimpleNamespace(**{name: choices(codes) for name, codes in ENUMS.items()})


def enum_schema(codes) -> dict:
    """A string enum, tagged with the hash drf-spectacular gives a ChoiceField of the same
    choices, so its enum hook names it like one."""
    codes = tuple(codes)
    return {"type": "string", "enum": list(codes), "x-spec-enum-id": list_hash(choices(codes))}


@cache
def coded(base: type[serializers.Field], codes: tuple[str, ...]) -> type[serializers.Field]:
    """`base` (CharField, StrictCharField) whose schema is the enum of `codes`."""
    name = f"Coded{base.__name__}{list_hash(codes)[:8]}"
    return extend_schema_field(enum_schema(codes))(type(name, (base,), {}))


def code_field(codes, base: type[serializers.Field] = serializers.CharField, **kwargs):
    """A `base` field documented as one code of `codes`."""
    return coded(base, tuple(codes))(**kwargs)


def code_list(codes, **kwargs) -> serializers.ListField:
    """A list of strings documented as codes of `codes`."""
    return serializers.ListField(child=code_field(codes), **kwargs)
