"""Follow-ups after a treatment and the patient's follow-up link, as JSON (API v1.1)."""

from rest_framework import serializers

from blocks.api.fields import StrictIntegerField
from blocks.api.serializers.audit import version_field
from blocks.api.serializers.patients import ENTERED_IN_ERROR_FIELDS
from blocks.models import FollowUp
from blocks.rules import followup as rules

DAYS_HELP = "Days after the treatment: 14, 30, 90, 180 or 365, or any day from 1 to 730."
PGIC_HELP = (
    "Patient Global Impression of Change, 1-7: 1 very much worse, 2 much worse, 3 minimally "
    "worse, 4 no change, 5 minimally improved, 6 much improved, 7 very much improved."
)


def _medication():
    return serializers.ChoiceField(
        choices=list(rules.MEDICATION_CHANGES), required=False, allow_null=True, allow_blank=True
    )


class FollowUpInputSerializer(serializers.Serializer):
    days_after = StrictIntegerField(min_value=1, max_value=730, help_text=DAYS_HELP)
    pain = StrictIntegerField(min_value=0, max_value=10, help_text="Index pain 0-10.")
    pgic = StrictIntegerField(
        min_value=1, max_value=7, required=False, allow_null=True, help_text=PGIC_HELP
    )
    medication_change = _medication()


class FollowUpUpdateSerializer(serializers.Serializer):
    version = version_field()
    days_after = StrictIntegerField(min_value=1, max_value=730, required=False)
    pain = StrictIntegerField(min_value=0, max_value=10, required=False)
    pgic = StrictIntegerField(min_value=1, max_value=7, required=False, allow_null=True)
    medication_change = _medication()


class FollowUpOutputSerializer(serializers.ModelSerializer):
    pgic_words = serializers.CharField(read_only=True, help_text="The PGIC in words.")
    medication_change = serializers.CharField(
        read_only=True, help_text="less, same or more; empty when not asked."
    )
    entered_at = serializers.DateTimeField(source="recorded_at", read_only=True)

    class Meta:
        model = FollowUp
        fields = (
            "id",
            "version",
            "procedure",
            "days_after",
            "pain",
            "pgic",
            "pgic_words",
            "medication_change",
            "source",
            "recorded_by",
            "entered_at",
            *ENTERED_IN_ERROR_FIELDS,
        )
        read_only_fields = fields


class SelectionSerializer(serializers.Serializer):
    based_on = serializers.ListField(child=serializers.IntegerField())
    profiles_met = serializers.ListField(child=serializers.CharField())
    positive_blocks = serializers.IntegerField()
    lowest_relief_percent = serializers.FloatField(allow_null=True)
    group = serializers.ChoiceField(choices=list(rules.GROUPS))


class OutcomeSerializer(serializers.Serializer):
    relief_percent = serializers.DictField(
        child=serializers.FloatField(allow_null=True), help_text="By days after, e.g. '90'."
    )
    success = serializers.DictField(
        child=serializers.ChoiceField(choices=list(rules.SUCCESS_LEVELS), allow_null=True)
    )
    pgic_responder = serializers.DictField(child=serializers.BooleanField(allow_null=True))
    benefit_days = serializers.IntegerField(allow_null=True)
    benefit_censored = serializers.BooleanField()
    selection = SelectionSerializer()


class LinkPointSerializer(serializers.Serializer):
    days_after = serializers.IntegerField()
    due_on = serializers.DateField()
    answered = serializers.BooleanField()


class FollowUpLinkSerializer(serializers.Serializer):
    url = serializers.URLField(help_text="The patient's page; the token is shown only here.")
    token = serializers.CharField()
    expires_at = serializers.DateTimeField()
    time_points = LinkPointSerializer(many=True)


class PatientFollowUpSerializer(serializers.Serializer):
    """What the patient's link shows: the treatment, never a name, MRN or birth date."""

    kind = serializers.CharField()
    side = serializers.CharField()
    levels = serializers.ListField(child=serializers.CharField())
    performed_at = serializers.DateTimeField()
    time_points = LinkPointSerializer(many=True)


class PatientAnswerSerializer(serializers.Serializer):
    days_after = StrictIntegerField(min_value=1, max_value=730)
    pain = StrictIntegerField(min_value=0, max_value=10)
    pgic = StrictIntegerField(min_value=1, max_value=7, required=False, allow_null=True)
    medication_change = _medication()


class FollowUpDueSerializer(serializers.Serializer):
    procedure = serializers.IntegerField()
    kind = serializers.CharField()
    performed_at = serializers.DateTimeField()
    days_after = serializers.IntegerField()
    due_on = serializers.DateField()
    state = serializers.ChoiceField(choices=list(rules.POINT_STATES))
