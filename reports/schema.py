"""The JSON report's shape for the OpenAPI schema: meta, one typed row per table, dictionary.

GET /api/reports/outcomes/ (and /blocks/, /diary/) answer
{"meta": {...}, "tables": {name: [row, ...]}, "dictionary": [entry, ...]}. Each table's
row is a component here (`DiagnosticYieldRow` ...) whose properties are the table's columns,
each described by the data dictionary (reports.dictionary). A value may be null (a percent
of nothing, a diary not yet read). Columns marked "?" appear only in one of the de-identified
and identified exports. tests/reports/test_report_schema.py checks these against real
reports, so a new column cannot go undocumented.
"""

from __future__ import annotations

import functools

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from blocks.api.vocabulary import PROFILE_NAMES, code_field
from blocks.rules import vocab
from reports.dictionary import UndocumentedColumn, describe
from reports.tables import IDENTIFIED_TABLES, TABLES

# table: {column: JSON type, "?" when only one of the two exports has it}
ROW_COLUMNS: dict[str, dict[str, str]] = {
    "volume_by_month": {
        "month": "string",
        "procedures": "number",
    },
    "volume_by_kind": {
        "kind": "string",
        "procedures": "number",
        "percent": "number",
    },
    "volume_by_region": {
        "region": "string",
        "procedures": "number",
        "percent": "number",
    },
    "volume_by_physician": {
        "physician": "string",
        "procedures": "number",
        "percent": "number",
    },
    "diagnostic_yield": {
        "kind": "string",
        "blocks": "number",
        "positive": "number",
        "partial": "number",
        "negative": "number",
        "indeterminate": "number",
        "non_diagnostic": "number",
        "positive_percent": "number",
        "partial_percent": "number",
        "negative_percent": "number",
        "indeterminate_percent": "number",
        "non_diagnostic_percent": "number",
        "relief_blocks": "number",
        "relief_mean": "number",
        "relief_q1": "number",
        "relief_median": "number",
        "relief_q3": "number",
    },
    "non_diagnostic_reasons": {
        "code": "string",
        "meaning": "string",
        "blocks": "number",
        "percent_of_non_diagnostic": "number",
    },
    "positive_rate_by_month": {
        "month": "string",
        "kind": "string",
        "blocks": "number",
        "positive": "number",
        "positive_percent": "number",
    },
    "relief_distribution": {
        "kind": "string",
        "relief_band": "string",
        "blocks": "number",
    },
    "diary_curve": {
        "anesthetic": "string",
        "minutes": "number",
        "points": "number",
        "relief_q1": "number",
        "relief_median": "number",
        "relief_q3": "number",
    },
    "mbb_rfa_conversion": {
        "step": "string",
        "meaning": "string",
        "episodes": "number",
        "percent_of_first": "number",
    },
    "comparative_concordance": {
        "profile": "string",
        "targets_compared": "number",
        "concordant": "number",
        "discordant": "number",
        "undecided": "number",
        "concordance_percent": "number",
    },
    "negative_blocks_outcome": {
        "kind": "string",
        "negative_blocks": "number",
        "other_source_found": "number",
        "percent": "number",
    },
    "decisions_by_code": {
        "code": "string",
        "suggestions": "number",
        "accepted": "number",
        "declined": "number",
        "undecided": "number",
        "settled_without_decision": "number",
        "decisions_on_replaced_suggestions": "number",
        "accepted_percent": "number",
        "median_days_to_decision": "number",
    },
    "decline_themes": {
        "theme": "string",
        "declines": "number",
        "percent": "number",
    },
    "complications_by_code": {
        "code": "string",
        "severity": "string",
        "events": "number",
        "serious": "boolean",
        "per_100_procedures": "number",
    },
    "complication_rate_by_kind": {
        "kind": "string",
        "procedures": "number",
        "events": "number",
        "procedures_with_complication": "number",
        "per_100_procedures": "number",
    },
    "serious_events": {
        "patient": "string",
        "month": "string",
        "kind": "string",
        "region": "string",
        "side": "string",
        "code": "string",
        "severity": "string",
        "onset_days": "number",
        "procedure_id": "number?",
        "notes": "string?",
    },
    "hard_stop_overrides": {
        "code": "string",
        "overrides": "number",
        "per_100_procedures": "number",
    },
    "steroid_side_effects": {
        "steroid": "string",
        "code": "string",
        "events": "number",
        "steroid_procedures": "number",
        "per_100_steroid_procedures": "number",
    },
    "completeness": {
        "measure": "string",
        "blocks": "number",
        "of_blocks": "number",
        "percent": "number",
    },
    "diary_points_per_block": {
        "diary_points": "string",
        "blocks": "number",
        "percent": "number",
    },
    "diary_points_summary": {
        "blocks": "number",
        "mean": "number",
        "median": "number",
        "minimum": "number",
        "maximum": "number",
    },
    "treatment_outcomes": {
        "treatment": "string",
        "group": "string",
        "treated": "number",
        "followed_90": "number",
        "substantial_90": "number",
        "substantial_90_percent": "number",
        "substantial_90_ci_low": "number",
        "substantial_90_ci_high": "number",
        "meaningful_90": "number",
        "meaningful_90_percent": "number",
        "meaningful_90_ci_low": "number",
        "meaningful_90_ci_high": "number",
        "followed_180": "number",
        "substantial_180": "number",
        "substantial_180_percent": "number",
        "substantial_180_ci_low": "number",
        "substantial_180_ci_high": "number",
        "meaningful_180": "number",
        "meaningful_180_percent": "number",
        "meaningful_180_ci_low": "number",
        "meaningful_180_ci_high": "number",
        "pgic_responders_90": "number",
        "median_benefit_days": "number",
        "benefit_known": "number",
        "small_group": "boolean",
    },
    "relief_over_follow_up": {
        "group": "string",
        "days_after": "number",
        "followed": "number",
        "relief_mean": "number",
    },
    "benefit_curves": {
        "group": "string",
        "days_after": "number",
        "benefit_continuing_percent": "number",
        "treatments": "number",
    },
    "blocks": {
        "block_ref": "string?",
        "patient": "string?",
        "episode_ref": "string?",
        "month": "string",
        "age_years": "string",
        "sex": "string",
        "region": "string",
        "pain_pattern": "string",
        "surgery_considered": "boolean",
        "kind": "string",
        "intent": "string",
        "side": "string",
        "levels": "string",
        "anesthetic": "string",
        "anesthetic_volume_ml": "number",
        "steroid": "string",
        "steroid_dose_mg": "number",
        "guidance": "string",
        "contrast_used": "boolean",
        "contrast_flow_confirmed": "boolean",
        "sedation": "string",
        "pre_pain": "number",
        "physician": "string",
        "profile": "string",
        "engine_version": "string",
        "response": "string",
        "validity": "string",
        "diagnostic": "boolean",
        "relief_percent": "number",
        "duration_minutes": "number",
        "duration_censored": "boolean",
        "counts_towards_treatment": "boolean",
        "warnings": "string",
        "non_diagnostic_reasons": "string",
        "hard_stops_overridden": "string",
        "diary_points": "number",
        "complications": "string",
        "procedure_id": "number?",
        "patient_id": "number?",
        "mrn": "string?",
        "birth_date": "string?",
        "episode_id": "number?",
        "performed_at": "string?",
        "override_reason": "string?",
    },
    "diary": {
        "block_ref": "string?",
        "minutes_after": "number",
        "score": "number",
        "patient_reported_relief_percent": "number",
        "procedure_id": "number?",
    },
    "override_reasons": {
        "patient": "string?",
        "procedure_id": "number?",
        "performed_at": "string?",
        "kind": "string?",
        "hard_stops": "string?",
        "reason": "string?",
    },
}

ROW_TABLES = ("blocks", "diary")
FIELD_TYPES = {
    "string": serializers.CharField,
    "number": serializers.FloatField,
    "boolean": serializers.BooleanField,
}


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def _help(table: str, column: str) -> str:
    try:
        meaning, unit, allowed = describe(table, column)
    except UndocumentedColumn:
        return ""
    extra = "; ".join(part for part in (unit and f"unit: {unit}", allowed) if part)
    return f"{meaning} ({extra})" if extra else meaning


@functools.cache
def row_serializer(table: str) -> type[serializers.Serializer]:
    """One row of `table`: a field per column, nullable, required unless marked "?"."""
    fields = {}
    for column, kind in ROW_COLUMNS[table].items():
        optional = kind.endswith("?")
        field_class = FIELD_TYPES[kind.rstrip("?")]
        fields[column] = field_class(
            allow_null=True, required=not optional, help_text=_help(table, column)
        )
    return type(f"{_camel(table)}Row", (serializers.Serializer,), fields)


def _tables(names, name: str, optional=()) -> type[serializers.Serializer]:
    titles = {**TABLES, **IDENTIFIED_TABLES}
    fields = {
        table: serializers.ListField(
            child=row_serializer(table)(),
            required=table not in optional,
            help_text=titles[table][1] if table in titles else "",
        )
        for table in names
    }
    return type(name, (serializers.Serializer,), fields)


class ReportFiltersSerializer(serializers.Serializer):
    """The filters as asked (only those given, and the profile)."""

    from_ = serializers.DateField(required=False)
    to = serializers.DateField(required=False)
    kind = code_field(vocab.KINDS, required=False)
    region = code_field(vocab.REGIONS, required=False)
    side = code_field(vocab.SIDES, required=False)
    physician = serializers.CharField(required=False)
    profile = code_field(PROFILE_NAMES)

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields


class ReportMetaSerializer(serializers.Serializer):
    generated_at = serializers.DateTimeField()
    engine_version = serializers.CharField()
    profile = code_field(PROFILE_NAMES)
    filters = ReportFiltersSerializer()
    deidentified = serializers.BooleanField()
    readings_computed_on_the_fly = serializers.IntegerField(
        help_text="Block readings computed for this report because the stored ones were "
        "missing or stale."
    )


class DictionaryEntrySerializer(serializers.Serializer):
    table = serializers.CharField()
    column = serializers.CharField()
    meaning = serializers.CharField()
    unit = serializers.CharField(allow_blank=True)
    allowed_values = serializers.CharField(allow_blank=True)


OutcomeTables = _tables([*TABLES, *IDENTIFIED_TABLES], "OutcomeTables", IDENTIFIED_TABLES)


@extend_schema_serializer(component_name="OutcomeReport")
class OutcomeReportSerializer(serializers.Serializer):
    """Every table of the quality report, its filters and its data dictionary."""

    meta = ReportMetaSerializer()
    tables = OutcomeTables()
    dictionary = DictionaryEntrySerializer(many=True)


def row_report_serializer(table: str) -> type[serializers.Serializer]:
    """The row-level export `table` (blocks or diary) as JSON."""
    tables = _tables([table], f"{_camel(table)}RowTables")
    return type(
        f"{_camel(table)}RowReport",
        (serializers.Serializer,),
        {
            "__doc__": f"The {table} export, one row each, with its data dictionary.",
            "meta": ReportMetaSerializer(),
            "tables": tables(),
            "dictionary": DictionaryEntrySerializer(many=True),
        },
    )


@extend_schema_serializer(component_name="TreatmentOutcomesReport")
class TreatmentOutcomesReportSerializer(serializers.Serializer):
    """The clinic's own evidence (CLINICAL_RULES section 10): one row per treatment kind and
    selection group, with its data dictionary."""

    meta = ReportMetaSerializer()
    rows = serializers.ListField(child=row_serializer("treatment_outcomes")())
    dictionary = DictionaryEntrySerializer(many=True)


REPORT_SERIALIZERS = {
    "outcomes": OutcomeReportSerializer,
    **{table: row_report_serializer(table) for table in ROW_TABLES},
}
