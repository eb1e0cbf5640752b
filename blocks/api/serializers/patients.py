"""Patients and episodes: input and output shapes."""

from rest_framework import serializers

from blocks.api.fields import (
    CodeField,
    StrictBooleanField,
    StrictCharField,
    StrictDateTimeField,
    StrictIntegerField,
    StrictPrimaryKeyRelatedField,
)
from blocks.api.vocabulary import code_list
from blocks.models import Episode, Patient, Procedure
from blocks.models.patients import mrn_format
from blocks.rules import vocab

MRN_HELP = (
    "1 to 32 ASCII letters, digits and - . _ /, starting with a letter or a digit; unique "
    "without regard to case (demo-005 collides with DEMO-005). Stored as entered."
)
BIRTH_DATE_HELP = "Not before 1900-01-01 and not in the future."
MOMENT_HELP = (
    "With its offset (Z or +hh:mm); not before 1990-01-01 and not more than 24 hours in the future."
)


def mrn_field(**kwargs) -> StrictCharField:
    # Not trimmed: " A1" is refused, not quietly made "A1".
    return StrictCharField(
        max_length=32, trim_whitespace=False, validators=[mrn_format], help_text=MRN_HELP, **kwargs
    )


PHONE_HELP = "Where follow-up invitations go by text message (identified; optional)."
EMAIL_HELP = "Where follow-up invitations go by e-mail (identified; optional)."

ENTERED_IN_ERROR_FIELDS = (
    "entered_in_error",
    "entered_in_error_reason",
    "entered_in_error_by",
    "entered_in_error_at",
)


NAME_HELP = "Optional; identified: shown to staff and physicians, never in a de-identified export."


def name_field(**kwargs) -> StrictCharField:
    return StrictCharField(
        max_length=100, allow_blank=True, required=False, help_text=NAME_HELP, **kwargs
    )


class PatientInputSerializer(serializers.Serializer):
    mrn = mrn_field()
    birth_date = serializers.DateField(help_text=BIRTH_DATE_HELP)
    sex = CodeField(vocab.SEXES)
    given_name = name_field(default="")
    family_name = name_field(default="")
    phone = StrictCharField(required=False, allow_blank=True, max_length=32, help_text=PHONE_HELP)
    email = serializers.EmailField(required=False, allow_blank=True, help_text=EMAIL_HELP)


class PatientOutputSerializer(serializers.ModelSerializer):
    # Stored blank when the patient gave none, so the answer is a plain string: "" is no
    # e-mail address, and the schema must not promise one.
    email = serializers.CharField(read_only=True, help_text=EMAIL_HELP + ' "" when none.')

    class Meta:
        model = Patient
        fields = (
            "id",
            "mrn",
            "given_name",
            "family_name",
            "birth_date",
            "sex",
            "phone",
            "email",
            "created_at",
            "version",
        )
        fields += ENTERED_IN_ERROR_FIELDS
        read_only_fields = fields


class EpisodeInputSerializer(serializers.Serializer):
    patient = StrictPrimaryKeyRelatedField(queryset=Patient.objects.all())
    region = CodeField(vocab.REGIONS)
    side = CodeField(vocab.SIDES)
    pain_pattern = CodeField(vocab.PAIN_PATTERNS)
    surgery_considered = StrictBooleanField(required=False, default=False)
    conservative_care_weeks = StrictIntegerField(
        required=False, allow_null=True, default=None, min_value=0, max_value=32767
    )
    opened_at = StrictDateTimeField(
        required=False, allow_null=True, default=None, help_text=MOMENT_HELP + " Null: now."
    )


class ProcedureSummarySerializer(serializers.ModelSerializer):
    levels = code_list(
        vocab.LEVELS, read_only=True, help_text='Level codes, e.g. ["L4-L5", "L5-S1"].'
    )

    class Meta:
        model = Procedure
        fields = ("id", "performed_at", "kind", "intent", "side", "levels")
        read_only_fields = fields


class EpisodeOutputSerializer(serializers.ModelSerializer):
    mrn = serializers.CharField(source="patient.mrn", read_only=True)
    procedures = ProcedureSummarySerializer(source="active_procedures", many=True, read_only=True)

    class Meta:
        model = Episode
        fields = (
            "id",
            "patient",
            "mrn",
            "region",
            "side",
            "pain_pattern",
            "surgery_considered",
            "conservative_care_weeks",
            "opened_at",
            "created_by",
            "version",
            *ENTERED_IN_ERROR_FIELDS,
            "procedures",
        )
        read_only_fields = fields


class EnteredInErrorInputSerializer(serializers.Serializer):
    reason = StrictCharField(max_length=2000)
