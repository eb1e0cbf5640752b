"""Patients and episodes: input and output shapes."""

from rest_framework import serializers

from blocks.api.fields import CodeField, StrictBooleanField, StrictCharField, StrictIntegerField
from blocks.models import Episode, Patient, Procedure
from blocks.rules import vocab

ENTERED_IN_ERROR_FIELDS = (
    "entered_in_error",
    "entered_in_error_reason",
    "entered_in_error_by",
    "entered_in_error_at",
)


class PatientInputSerializer(serializers.Serializer):
    mrn = StrictCharField(max_length=32)
    birth_date = serializers.DateField()
    sex = CodeField(vocab.SEXES)


class PatientOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Patient
        fields = ("id", "mrn", "birth_date", "sex", "created_at", "version")
        fields += ENTERED_IN_ERROR_FIELDS
        read_only_fields = fields


class EpisodeInputSerializer(serializers.Serializer):
    patient = serializers.PrimaryKeyRelatedField(queryset=Patient.objects.all())
    region = CodeField(vocab.REGIONS)
    side = CodeField(vocab.SIDES)
    pain_pattern = CodeField(vocab.PAIN_PATTERNS)
    surgery_considered = StrictBooleanField(required=False, default=False)
    conservative_care_weeks = StrictIntegerField(
        required=False, allow_null=True, default=None, min_value=0, max_value=32767
    )
    opened_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class ProcedureSummarySerializer(serializers.ModelSerializer):
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
