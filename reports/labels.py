"""Clinical words for the exports people open: column headers and sheet names.

The codes (`relief_percent`, `diagnostic_yield`) are what scripts and the data
dictionary use; a clinician opening the workbook reads "Relief (%)" on a sheet
called "Diagnostic yield". The data dictionary lists each code beside the header
it is shown under, so the two are never ambiguous. CSV and JSON keep the codes.
"""

from __future__ import annotations

from blocks.models.measured import MEASURED
from blocks.rules import vocab

SHEET_NAME_MAX = 31  # Excel's limit

# table code: sheet name (at most 31 characters, no : \ / ? * [ ])
SHEETS: dict[str, str] = {
    "volume_by_month": "Procedures per month",
    "volume_by_kind": "Procedures per kind",
    "volume_by_region": "Procedures per region",
    "volume_by_physician": "Procedures per physician",
    "diagnostic_yield": "Diagnostic yield",
    "non_diagnostic_reasons": "Why not diagnostic",
    "positive_rate_by_month": "Positive blocks per month",
    "relief_distribution": "Relief bands",
    "diary_curve": "Relief over time",
    "mbb_rfa_conversion": "From MBB to RFA",
    "comparative_concordance": "Comparative blocks",
    "negative_blocks_outcome": "After a negative block",
    "decisions_by_code": "Decisions on suggestions",
    "decline_themes": "Reasons for declining",
    "complications_by_code": "Complications",
    "complication_rate_by_kind": "Complications per kind",
    "serious_events": "Serious events",
    "hard_stop_overrides": "Hard stops overridden",
    "steroid_side_effects": "Steroid side effects",
    "completeness": "Gaps in the record",
    "diary_points_per_block": "Diary points per block",
    "diary_points_summary": "Diary points summary",
    "override_reasons": "Override reasons",
    "treatment_outcomes": "Outcome by selection",
    "relief_over_follow_up": "Relief over follow-up",
    "benefit_curves": "Benefit continuing (KM)",
    "blocks": "Blocks, one row each",
    "diary": "Diary scores, one row each",
    "data_dictionary": "Data dictionary",
    "about": "About this export",
}


def _words(code: str) -> str:
    return code.replace("_", "-").capitalize()


# column code: header. Columns not named here fall back to their code in words.
COLUMNS: dict[str, str] = {
    "month": "Month",
    "procedures": "Procedures",
    "blocks": "Blocks",
    "percent": "Share (%)",
    "kind": "Kind of procedure",
    "region": "Region",
    "side": "Side",
    "physician": "Physician",
    "patient": "Patient",
    "code": "Code",
    "meaning": "Meaning",
    "severity": "Severity",
    "events": "Events",
    "serious": "Serious",
    "per_100_procedures": "Per 100 procedures",
    "onset_days": "Onset (days after)",
    "profile": "Guideline profile",
    "anesthetic": "Local anaesthetic",
    "steroid": "Steroid",
    "relief_percent": "Relief (%)",
    "episodes": "Episodes",
    **{
        response: f"{response.replace('_', '-').capitalize()} blocks"
        for response in vocab.RESPONSES
    },
    **{
        f"{response}_percent": f"{response.replace('_', '-').capitalize()} (%)"
        for response in vocab.RESPONSES
    },
    "relief_blocks": "Blocks with a relief reading",
    "relief_mean": "Mean relief (%)",
    "relief_q1": "Relief, 1st quartile (%)",
    "relief_median": "Median relief (%)",
    "relief_q3": "Relief, 3rd quartile (%)",
    "percent_of_non_diagnostic": "Share of non-diagnostic (%)",
    "positive": "Positive blocks",
    "relief_band": "Relief band (%)",
    "minutes": "Minutes after the block",
    "points": "Diary points",
    "step": "Step of the pathway",
    "percent_of_first": "Share of the first step (%)",
    "targets_compared": "Targets compared",
    "concordant": "Concordant",
    "discordant": "Discordant",
    "undecided": "Undecided",
    "concordance_percent": "Concordance (%)",
    "negative_blocks": "Negative blocks",
    "other_source_found": "Source found elsewhere",
    "suggestions": "Suggestions",
    "accepted": "Accepted",
    "declined": "Declined",
    "settled_without_decision": "Settled by a later treatment",
    "decisions_on_replaced_suggestions": "Decisions on replaced suggestions",
    "accepted_percent": "Accepted (%)",
    "median_days_to_decision": "Median days to decision",
    "theme": "Theme of the reason",
    "declines": "Declines",
    "procedures_with_complication": "Procedures with a complication",
    "overrides": "Overrides",
    "steroid_procedures": "Procedures with this steroid",
    "per_100_steroid_procedures": "Per 100 steroid procedures",
    "measure": "Gap in the record",
    "of_blocks": "Out of",
    "diary_points": "Diary points",
    "mean": "Mean",
    "median": "Median",
    "minimum": "Fewest",
    "maximum": "Most",
    "hard_stops": "Hard stops",
    "reason": "Reason",
    "notes": "Notes",
    "block_ref": "Block",
    "episode_ref": "Episode",
    "procedure_id": "Procedure id",
    "patient_id": "Patient id",
    "episode_id": "Episode id",
    "mrn": "MRN",
    "birth_date": "Date of birth",
    "age_years": "Age (years)",
    "sex": "Sex",
    "pain_pattern": "Pain pattern",
    "surgery_considered": "Surgery considered",
    "engine_version": "Engine version",
    "response": "Response",
    "validity": "Validity",
    "diagnostic": "Diagnostic block",
    "duration_minutes": "Relief duration (minutes)",
    "duration_censored": "Relief still present at last score",
    "counts_towards_treatment": "Counts towards treatment",
    "warnings": "Warnings",
    "non_diagnostic_reasons": "Why not diagnostic",
    "hard_stops_overridden": "Hard stops overridden",
    "complications": "Complications",
    "override_reason": "Override reason",
    "minutes_after": "Minutes after the block",
    "score": "Pain score (0-10)",
    "patient_reported_relief_percent": "Relief the patient reported (%)",
    "item": "Item",
    "value": "Value",
    "table": "Table code",
    "sheet": "Sheet",
    "column": "Column code",
    "header": "Column header",
    "unit": "Unit",
    "allowed_values": "Allowed values",
}
# The clinic's evidence (reports/evidence.py): per follow-up point, counts, shares and their
# 95 % Wilson interval.
_RELIEF_WORDS = {"substantial": "Substantial relief", "meaningful": "Meaningful relief"}
for _point in (90, 180):
    COLUMNS[f"followed_{_point}"] = f"Followed at {_point} days"
    for _name, _words_of in _RELIEF_WORDS.items():
        COLUMNS[f"{_name}_{_point}"] = f"{_words_of} at {_point} days"
        COLUMNS[f"{_name}_{_point}_percent"] = f"{_words_of} at {_point} days (%)"
        COLUMNS[f"{_name}_{_point}_ci_low"] = f"{_words_of} at {_point} days, 95 % CI low (%)"
        COLUMNS[f"{_name}_{_point}_ci_high"] = f"{_words_of} at {_point} days, 95 % CI high (%)"
COLUMNS.update(
    {
        "treatment": "Treatment",
        "group": "Diagnostic selection",
        "treated": "Treated",
        "pgic_responders_90": "PGIC responders at 90 days",
        "median_benefit_days": "Median duration of benefit (days, Kaplan-Meier)",
        "benefit_known": "Treatments with a duration of benefit",
        "small_group": "Too few to judge",
        "days_after": "Days after the treatment",
        "followed": "Followed",
        "benefit_continuing_percent": "Benefit continuing (%)",
        "treatments": "Treatments",
    }
)
# The procedure's measured fields carry their own form labels (which name the unit).
for _field in MEASURED:
    COLUMNS.setdefault(_field.name, _field.label)
COLUMNS["performed_at"] = "Performed (clinic time)"


# The selection groups of CLINICAL_RULES section 10 in words, for the page and its charts
# (the files keep the codes; the data dictionary explains them).
SELECTION_GROUPS: dict[str, str] = {
    "single-50": "One block, 50–79 % relief",
    "single-80": "One block, ≥ 80 % relief",
    "dual-50": "Two blocks, lowest 50–79 %",
    "dual-80": "Two blocks, both ≥ 80 %",
    "dual-80-concordant": "Two blocks ≥ 80 %, concordant",
    "dual-80-discordant": "Two blocks ≥ 80 %, discordant",
    "no-qualifying-selection": "No qualifying blocks (deviation)",
    "no-diagnostic-block": "No diagnostic block (epidural)",
}


def group_words(group: str) -> str:
    return SELECTION_GROUPS.get(group, group)


def sheet_name(table: str) -> str:
    """The sheet's name in words, cut to Excel's 31 characters."""
    return SHEETS.get(table, table.replace("_", " ").capitalize())[:SHEET_NAME_MAX]


def column_label(column: str) -> str:
    """The header a person reads for a column code."""
    return COLUMNS.get(column) or column.replace("_", " ").capitalize()
