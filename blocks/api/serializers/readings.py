"""The engine's readings as JSON: interpretations, next steps and guideline profiles."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from blocks.api.fields import RoundedFloatField
from blocks.rules import catalogue
from blocks.rules.findings import interpretation_findings
from blocks.rules.types import Interpretation


class DiscReadingSerializer(serializers.Serializer):
    level = serializers.CharField()
    result = serializers.CharField(help_text="positive, negative or indeterminate")
    reason = serializers.CharField()


class FindingSerializer(serializers.Serializer):
    """A warning, a non-diagnostic reason or a hard stop, with the rule behind it."""

    code = serializers.ChoiceField(choices=catalogue.FINDING_CODES)
    kind = serializers.ChoiceField(
        choices=catalogue.KINDS, help_text="warning, non_diagnostic or hard_stop"
    )
    rule = serializers.CharField(help_text="The rule id, as listed on the rules page.")
    source = serializers.CharField(help_text="The document the rule rests on.")
    evidence = serializers.ChoiceField(
        choices=catalogue.EVIDENCE_TAGS,
        help_text="P: read in a primary source; S: seen only in a secondary summary; "
        "L: a local policy choice of this project.",
    )
    message = serializers.CharField()


class InterpretationSerializer(serializers.Serializer):
    profile = serializers.CharField()
    relief_percent = RoundedFloatField(
        allow_null=True, help_text="Percent relief, rounded to one decimal; null when unreadable."
    )
    response = serializers.CharField(
        help_text="positive, partial, negative, indeterminate or non_diagnostic"
    )
    validity = serializers.CharField(help_text="valid, non_diagnostic or indeterminate")
    duration_minutes = serializers.IntegerField(allow_null=True)
    duration_censored = serializers.BooleanField()
    warnings = serializers.ListField(child=serializers.CharField())
    warning_messages = serializers.DictField(child=serializers.CharField())
    reasons = serializers.ListField(child=serializers.CharField())
    non_diagnostic_reasons = serializers.ListField(child=serializers.CharField())
    non_diagnostic_codes = serializers.ListField(
        child=serializers.CharField(),
        help_text="Codes of non_diagnostic_reasons, in the same order.",
    )
    discs = DiscReadingSerializer(many=True)
    counts_towards_treatment = serializers.BooleanField()
    peak_minutes = serializers.IntegerField(allow_null=True)
    positive_threshold_percent = serializers.FloatField(allow_null=True)
    findings = serializers.SerializerMethodField(
        help_text="The warnings, then the non-diagnostic reasons, each with its rule and source."
    )

    @extend_schema_field(FindingSerializer(many=True))
    def get_findings(self, reading: Interpretation) -> list[dict]:
        return FindingSerializer(interpretation_findings(reading), many=True).data


class SuggestionSerializer(serializers.Serializer):
    code = serializers.CharField()
    levels = serializers.ListField(child=serializers.CharField())
    side = serializers.CharField()
    based_on = serializers.ListField(
        child=serializers.IntegerField(), help_text="Ids of the procedures it rests on."
    )
    earliest_date = serializers.DateField(allow_null=True)
    anesthetic = serializers.CharField(allow_null=True)
    until_minutes = serializers.IntegerField(
        allow_null=True,
        help_text="For record_post_block_scores on an unfinished diary: the minute the diary "
        "must reach.",
    )
    rule = serializers.CharField()
    rationale = serializers.CharField()
    source = serializers.CharField()


class FrequencyWarningSerializer(serializers.Serializer):
    procedure = serializers.IntegerField()
    code = serializers.CharField()
    message = serializers.CharField()


class NextStepsSerializer(serializers.Serializer):
    profile = serializers.CharField()
    suggestions = SuggestionSerializer(many=True)
    warnings = FrequencyWarningSerializer(many=True)


class ProfileSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The code that ?profile= accepts.")
    title = serializers.CharField()
    version_date = serializers.CharField()
    sources = serializers.ListField(child=serializers.CharField())
    local_policy = serializers.ListField(child=serializers.CharField())
    parameters = serializers.DictField()
