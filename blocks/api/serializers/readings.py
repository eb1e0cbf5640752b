"""The engine's readings as JSON: interpretations, next steps and guideline profiles."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from blocks.api.fields import RoundedFloatField
from blocks.api.vocabulary import PROFILE_NAMES, code_field, code_list
from blocks.rules import catalogue, vocab
from blocks.rules.findings import interpretation_findings
from blocks.rules.types import Interpretation


class DiscReadingSerializer(serializers.Serializer):
    level = code_field(vocab.LEVELS)
    result = code_field(vocab.DISC_RESULTS, help_text="positive, negative or indeterminate")
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
    profile = code_field(PROFILE_NAMES)
    relief_percent = RoundedFloatField(
        allow_null=True, help_text="Percent relief, rounded to one decimal; null when unreadable."
    )
    response = code_field(
        vocab.RESPONSES, help_text="positive, partial, negative, indeterminate or non_diagnostic"
    )
    validity = code_field(vocab.VALIDITIES, help_text="valid, non_diagnostic or indeterminate")
    duration_minutes = serializers.IntegerField(allow_null=True)
    duration_censored = serializers.BooleanField()
    warnings = code_list(vocab.WARNING_CODES)
    warning_messages = serializers.DictField(
        child=serializers.CharField(), help_text="The message of each warning, by its code."
    )
    reasons = serializers.ListField(child=serializers.CharField())
    non_diagnostic_reasons = serializers.ListField(child=serializers.CharField())
    non_diagnostic_codes = code_list(
        vocab.NON_DIAGNOSTIC_CODES,
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
    code = code_field(vocab.NEXT_STEP_CODES)
    levels = code_list(vocab.LEVELS)
    side = code_field(vocab.SIDES)
    based_on = serializers.ListField(
        child=serializers.IntegerField(), help_text="Ids of the procedures it rests on."
    )
    earliest_date = serializers.DateField(allow_null=True)
    anesthetic = code_field(vocab.ANESTHETICS, allow_null=True)
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
    code = code_field(vocab.FREQUENCY_WARNING_CODES)
    message = serializers.CharField()


class NextStepsSerializer(serializers.Serializer):
    profile = code_field(PROFILE_NAMES)
    suggestions = SuggestionSerializer(many=True)
    warnings = FrequencyWarningSerializer(many=True)


class ProfileSerializer(serializers.Serializer):
    name = code_field(PROFILE_NAMES, help_text="The code that ?profile= accepts.")
    title = serializers.CharField()
    version_date = serializers.DateField(help_text="The date of the guideline version read.")
    sources = serializers.ListField(child=serializers.CharField())
    local_policy = serializers.ListField(child=serializers.CharField())
    parameters = serializers.DictField()
