"""A procedure as the API shows it: the record, its findings and its interpretation."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from blocks.api.serializers.patients import ENTERED_IN_ERROR_FIELDS
from blocks.api.serializers.readings import FindingSerializer, InterpretationSerializer
from blocks.api.vocabulary import code_list
from blocks.models import Complication, DiscInjection, PainScore, Procedure, Screening
from blocks.models.findings import DISC_FIELDS
from blocks.models.measured import MEASURED_FIELDS
from blocks.rules import vocab
from blocks.rules.findings import screening_findings


class PainScoreOutputSerializer(serializers.ModelSerializer):
    """One diary score with what a correction needs (`version`) and where it came from."""

    entered_at = serializers.DateTimeField(
        source="recorded_at", read_only=True, help_text="When the score was recorded."
    )
    late = serializers.SerializerMethodField(
        help_text="Entered after its time point was due (a patient's diary); false for scores "
        "entered by staff."
    )

    class Meta:
        model = PainScore
        fields = (
            "id",
            "version",
            "minutes_after",
            "score",
            "patient_reported_relief_percent",
            "source",
            "entered_at",
            "late",
            "recorded_by",
            "recorded_at",
            *ENTERED_IN_ERROR_FIELDS,
        )
        read_only_fields = fields

    def get_late(self, score: PainScore) -> bool:
        return bool(score.late)  # staff scores are never late; a patient's may be


class DiscOutputSerializer(serializers.ModelSerializer):
    opening_pressure_psi = serializers.DecimalField(
        max_digits=6, decimal_places=2, coerce_to_string=False, allow_null=True
    )
    provocation_pressure_psi = serializers.DecimalField(
        max_digits=6, decimal_places=2, coerce_to_string=False, allow_null=True
    )

    class Meta:
        model = DiscInjection
        fields = ("id", *DISC_FIELDS)
        read_only_fields = fields


class ScreeningOutputSerializer(serializers.ModelSerializer):
    hard_stops = code_list(vocab.HARD_STOPS + vocab.CONDITIONAL_HARD_STOPS, read_only=True)
    warnings = code_list(vocab.SCREENING_WARNING_CODES, read_only=True)
    contraindications = code_list(vocab.CONTRAINDICATIONS, read_only=True)
    findings = serializers.SerializerMethodField(
        help_text="The hard stops, then the warnings, each with its rule and source."
    )

    class Meta:
        model = Screening
        fields = (
            "contraindications",
            "override_reason",
            "overridden_by",
            "overridden_at",
            "hard_stops",
            "warnings",
            "findings",
        )
        read_only_fields = fields

    @extend_schema_field(FindingSerializer(many=True))
    def get_findings(self, screening: Screening) -> list[dict]:
        return FindingSerializer(screening_findings(screening.result()), many=True).data


class ComplicationOutputSerializer(serializers.ModelSerializer):
    is_serious = serializers.BooleanField(read_only=True)

    class Meta:
        model = Complication
        fields = (
            "id",
            "procedure",
            "code",
            "severity",
            "onset_days",
            "notes",
            "is_serious",
            "recorded_by",
            "recorded_at",
            *ENTERED_IN_ERROR_FIELDS,
        )
        read_only_fields = fields


class ProcedureOutputSerializer(serializers.ModelSerializer):
    """Needs `interpretations` ({procedure id: Interpretation}) in its context."""

    patient = serializers.IntegerField(source="episode.patient_id", read_only=True)
    mrn = serializers.CharField(source="episode.patient.mrn", read_only=True)
    levels = code_list(vocab.LEVELS, read_only=True)
    anesthetic_volume_ml = serializers.DecimalField(
        max_digits=6, decimal_places=3, coerce_to_string=False, allow_null=True, read_only=True
    )
    steroid_dose_mg = serializers.DecimalField(
        max_digits=7, decimal_places=3, coerce_to_string=False, allow_null=True, read_only=True
    )
    pain_scores = PainScoreOutputSerializer(many=True, read_only=True)
    discs = DiscOutputSerializer(many=True, read_only=True)
    screening = ScreeningOutputSerializer(read_only=True, allow_null=True)
    complications = ComplicationOutputSerializer(many=True, read_only=True)
    interpretation = serializers.SerializerMethodField()

    class Meta:
        model = Procedure
        fields = (
            "id",
            "episode",
            "patient",
            "mrn",
            "performed_by",
            *MEASURED_FIELDS,
            "created_at",
            "version",
            "awaiting_override",
            *ENTERED_IN_ERROR_FIELDS,
            "pain_scores",
            "discs",
            "screening",
            "complications",
            "interpretation",
        )
        read_only_fields = fields

    @extend_schema_field(InterpretationSerializer)
    def get_interpretation(self, procedure: Procedure) -> dict:
        reading = self.context["interpretations"][procedure.pk]
        return InterpretationSerializer(reading).data
