"""What a client sends to record a procedure and what is added to it afterwards."""

from django.core.validators import MaxLengthValidator
from rest_framework import serializers

from blocks.api.fields import (
    CodeField,
    CodeListField,
    StrictBooleanField,
    StrictCharField,
    StrictDecimalField,
    StrictIntegerField,
    StrictPrimaryKeyRelatedField,
)
from blocks.api.serializers.measured import MeasuredInput
from blocks.models import Episode
from blocks.rules import vocab

# API_CONTRACT.md v1.1: one request carries at most this many; the length is checked before
# any item is, so an oversized body costs nothing to refuse.
MAX_PAIN_SCORES = 100
MAX_DISCS = 10


class CappedListSerializer(serializers.ListSerializer):
    """A list refused by its length alone, before any item is judged.

    The stock check runs inside to_internal_value and nests its message under
    non_field_errors; this one answers {"pain_scores": ["At most 100 ..."]} and costs the
    same for 101 items as for a million. The validator only puts maxItems in the schema.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators = [*self.validators, MaxLengthValidator(self.max_length)]

    def run_validation(self, data=serializers.empty):
        if isinstance(data, list) and self.max_length is not None and len(data) > self.max_length:
            message = self.error_messages["max_length"].format(max_length=self.max_length)
            raise serializers.ValidationError([message], code="max_length")
        return super().run_validation(data)


class PainScoreInputSerializer(serializers.Serializer):
    class Meta:
        list_serializer_class = CappedListSerializer

    minutes_after = StrictIntegerField(min_value=0)
    score = StrictIntegerField(min_value=0, max_value=10)
    patient_reported_relief_percent = StrictIntegerField(
        required=False, allow_null=True, default=None, min_value=0, max_value=100
    )


class DiscInputSerializer(serializers.Serializer):
    class Meta:
        list_serializer_class = CappedListSerializer

    level = CodeField(vocab.SEGMENTS)
    opening_pressure_psi = StrictDecimalField(
        max_digits=6, decimal_places=2, required=False, allow_null=True, default=None
    )
    provocation_pressure_psi = StrictDecimalField(
        max_digits=6, decimal_places=2, required=False, allow_null=True, default=None
    )
    pain_score = StrictIntegerField(
        required=False, allow_null=True, default=None, min_value=0, max_value=10
    )
    concordance = CodeField(vocab.CONCORDANCE)
    annular_grade = StrictIntegerField(
        required=False, allow_null=True, default=None, min_value=0, max_value=5
    )


class ProcedureInputSerializer(MeasuredInput):
    """A new procedure, with its diary, discs and screening.

    Rules across fields, each a 400 naming the field: contrast_flow_confirmed is required
    when contrast_used is true (and cannot be true without contrast); pre_pain is required
    except for a provocation discography; the levels must belong to the episode's region and
    the kind of procedure (segments, roots or SI).
    """

    episode = StrictPrimaryKeyRelatedField(queryset=Episode.objects.all())
    pain_scores = PainScoreInputSerializer(
        many=True,
        required=False,
        default=list,
        max_length=MAX_PAIN_SCORES,
        error_messages={"max_length": "At most {max_length} pain scores in one request."},
        help_text=f"At most {MAX_PAIN_SCORES}.",
    )
    discs = DiscInputSerializer(
        many=True,
        required=False,
        default=list,
        max_length=MAX_DISCS,
        error_messages={"max_length": "At most {max_length} discs in one request."},
        help_text=f"At most {MAX_DISCS}.",
    )
    contraindications = CodeListField(
        vocab.CONTRAINDICATIONS,
        noun="contraindication code",
        unique=False,
        required=False,
        default=list,
    )
    override_reason = StrictCharField(
        required=False, allow_blank=True, allow_null=True, default="", max_length=2000
    )
    awaiting_override = StrictBooleanField(
        required=False,
        default=False,
        help_text="True: a hard stop found for a procedure already done is saved as awaiting "
        "a physician's override; it is stored, read by no rule and no report, and listed to "
        "physicians until one sends override_reason (PATCH with version).",
    )

    def validate(self, attrs):
        # null means no override, like "".
        attrs["override_reason"] = attrs.get("override_reason") or ""
        if "pre_pain" not in attrs:
            if attrs.get("kind") != vocab.DISCOGRAPHY:
                raise serializers.ValidationError({"pre_pain": ["This field is required."]})
            attrs["pre_pain"] = None
        if "contrast_flow_confirmed" not in attrs:
            if attrs["contrast_used"]:
                raise serializers.ValidationError(
                    {
                        "contrast_flow_confirmed": [
                            "Required when contrast_used is true: say whether the contrast "
                            "flow was confirmed before the medication."
                        ]
                    }
                )
            attrs["contrast_flow_confirmed"] = False
        return attrs


class ComplicationInputSerializer(serializers.Serializer):
    code = CodeField(vocab.COMPLICATIONS)
    severity = CodeField(vocab.SEVERITIES)
    onset_days = StrictIntegerField(required=False, allow_null=True, default=None, min_value=0)
    notes = StrictCharField(required=False, allow_blank=True, default="", max_length=10000)
