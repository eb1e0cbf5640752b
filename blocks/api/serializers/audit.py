"""Edits based on a version, and the audit trail, as JSON."""

from rest_framework import serializers

from blocks.api.fields import (
    CodeField,
    StrictBooleanField,
    StrictCharField,
    StrictDateTimeField,
    StrictIntegerField,
)
from blocks.api.serializers.measured import MeasuredUpdate
from blocks.api.serializers.patients import BIRTH_DATE_HELP, MOMENT_HELP, mrn_field, name_field
from blocks.rules import vocab


def version_field():
    return StrictIntegerField(
        min_value=1,
        help_text="The version of the record this edit is based on (from the last read). "
        "If the record has changed since, the edit is refused with a 409 and the current record.",
    )


class PatientUpdateSerializer(serializers.Serializer):
    version = version_field()
    mrn = mrn_field(required=False)
    birth_date = serializers.DateField(required=False, help_text=BIRTH_DATE_HELP)
    sex = CodeField(vocab.SEXES, required=False)
    given_name = name_field()
    family_name = name_field()
    phone = StrictCharField(required=False, allow_blank=True, max_length=32)
    email = serializers.EmailField(required=False, allow_blank=True)


class EpisodeUpdateSerializer(serializers.Serializer):
    version = version_field()
    region = CodeField(vocab.REGIONS, required=False)
    side = CodeField(vocab.SIDES, required=False)
    pain_pattern = CodeField(vocab.PAIN_PATTERNS, required=False)
    surgery_considered = StrictBooleanField(required=False)
    conservative_care_weeks = StrictIntegerField(
        required=False, allow_null=True, min_value=0, max_value=32767
    )
    opened_at = StrictDateTimeField(required=False, help_text=MOMENT_HELP)


class ProcedureUpdateSerializer(MeasuredUpdate):
    """Any of the procedure's own fields; its findings are added through their endpoints.

    Sending contrast_used=true requires contrast_flow_confirmed in the same request (a 400 on
    contrast_flow_confirmed otherwise); the levels must fit the episode's region and the kind.
    """

    version = version_field()
    override_reason = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="A physician's reason to go ahead when the edit makes a contraindication "
        "a hard stop.",
    )

    def validate(self, attrs):
        if attrs.get("contrast_used") is True and "contrast_flow_confirmed" not in attrs:
            raise serializers.ValidationError(
                {
                    "contrast_flow_confirmed": [
                        "Send it with contrast_used=true: say whether the contrast flow was "
                        "confirmed before the medication."
                    ]
                }
            )
        return attrs


class PainScoreUpdateSerializer(serializers.Serializer):
    """A correction of one diary score: any of its values, with the version it was read at."""

    version = version_field()
    minutes_after = StrictIntegerField(required=False, min_value=0, max_value=2_147_483_647)
    score = StrictIntegerField(required=False, min_value=0, max_value=10)
    patient_reported_relief_percent = StrictIntegerField(
        required=False, allow_null=True, min_value=0, max_value=100
    )


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField()

    def get_fields(self):
        # "from" is a Python keyword, so these two cannot be declared as attributes.
        fields = super().get_fields()
        fields["from"] = serializers.JSONField(
            source="before", allow_null=True, help_text="The value before (null on creation)."
        )
        fields["to"] = serializers.JSONField(source="after", allow_null=True)
        return fields


class HistoryEntrySerializer(serializers.Serializer):
    record = serializers.CharField(
        help_text="procedure, pain_score, disc, screening, complication, patient or episode"
    )
    record_id = serializers.IntegerField()
    label = serializers.CharField()
    action = serializers.ChoiceField(choices=["created", "changed", "deleted"])
    at = serializers.DateTimeField()
    by = serializers.CharField(allow_null=True, help_text="Username; null when unknown.")
    version = serializers.IntegerField(allow_null=True)
    reason = serializers.CharField(allow_null=True)
    changes = FieldChangeSerializer(many=True)


class HistorySerializer(serializers.Serializer):
    record = serializers.CharField()
    id = serializers.IntegerField()
    entries = HistoryEntrySerializer(many=True, help_text="Newest first.")
