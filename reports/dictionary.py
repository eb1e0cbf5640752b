"""The data dictionary shipped with every export: each column's meaning, unit and values."""

from __future__ import annotations

import pandas as pd

from blocks.rules import PROFILES, vocab
from blocks.rules import followup as followup_rules
from blocks.rules.catalogue import NON_DIAGNOSTIC_MESSAGES
from reports.rowdoc import BLOCK_COLUMNS, DIARY_COLUMNS, PSEUDONYM, codes
from reports.tables.decided import DECLINE_THEMES, OTHER_THEME
from reports.tables.diagnostic import DIARY_MARKS, RELIEF_BAND_LABELS
from reports.tables.pathways import CONVERSION_STEPS

COUNT = "count"
PERCENT = "percent"


def _evidence_columns() -> dict[str, tuple[str, str, str]]:
    """The evidence table's columns (reports/evidence.py, CLINICAL_RULES section 10)."""
    columns = {
        "treatment": ("Kind of treatment.", "", codes(sorted(followup_rules.TREATMENT_CODE))),
        "group": (
            "Selection group: the diagnostic blocks that selected the treatment (single/dual "
            "positive blocks, lowest relief 50-79 or >= 80 %, concordance); "
            "no-qualifying-selection is a pathway deviation.",
            "",
            codes(followup_rules.GROUPS),
        ),
        "treated": ("Treatments of the kind and group.", COUNT, ">= 0"),
        "pgic_responders_90": (
            "Followed at 90 days with PGIC 6 or 7 (much or very much improved).",
            COUNT,
            ">= 0",
        ),
        "median_benefit_days": (
            "Median duration of benefit (Kaplan-Meier, censored at the last follow-up); "
            "empty when not reached.",
            "days",
            ">= 0, empty",
        ),
        "benefit_known": ("Treatments with a readable duration of benefit.", COUNT, ">= 0"),
        "small_group": (
            "Fewer than 10 followed at 90 days: too small to judge.",
            "",
            "true, false",
        ),
    }
    for point in (90, 180):
        columns[f"followed_{point}"] = (
            f"Treatments with a follow-up within 14 days of day {point} and a readable relief.",
            COUNT,
            ">= 0",
        )
        for name, level in (("substantial", ">= 50 %"), ("meaningful", ">= 30 %")):
            what = f"{name} relief ({level}) at {point} days"
            columns[f"{name}_{point}"] = (f"Treatments with {what}.", COUNT, ">= 0")
            columns[f"{name}_{point}_percent"] = (
                f"Share with {what}, of those followed.",
                PERCENT,
                "0-100",
            )
            columns[f"{name}_{point}_ci_low"] = (
                f"Lower bound of the 95 % Wilson interval of that share ({what}).",
                PERCENT,
                "0-100",
            )
            columns[f"{name}_{point}_ci_high"] = (
                f"Upper bound of the 95 % Wilson interval of that share ({what}).",
                PERCENT,
                "0-100",
            )
    return columns


# column: (meaning, unit, allowed values)
COLUMNS: dict[str, tuple[str, str, str]] = {
    "month": ("Month the procedure was performed (clinic time zone).", "YYYY-MM", ""),
    "procedures": ("Number of procedures.", COUNT, ">= 0"),
    "blocks": ("Number of blocks.", COUNT, ">= 0"),
    "percent": ("Share of the table's total, x 100, one decimal.", PERCENT, "0-100"),
    "kind": ("Kind of procedure; 'all' sums the kinds.", "", codes([*vocab.KINDS, "all"])),
    "region": ("Spinal region of the episode.", "", codes(vocab.REGIONS)),
    "side": ("Side of the procedure.", "", codes(vocab.SIDES)),
    "physician": ("Who performed it: a pseudonym (username when identified).", "", PSEUDONYM),
    "patient": ("The patient: a pseudonym (MRN when identified).", "", PSEUDONYM),
    "code": ("Code from the vocabulary of the table.", "", "see CLINICAL_RULES.md"),
    "meaning": ("Plain-language meaning of the code.", "", "text"),
    "severity": ("Severity of the complication.", "", codes(vocab.SEVERITIES)),
    "events": ("Number of complications recorded.", COUNT, ">= 0"),
    "serious": ("A serious event (listed one by one).", "", "true, false"),
    "per_100_procedures": ("Events per 100 procedures of the report.", "per 100", ">= 0"),
    "onset_days": ("Days from the procedure to the complication.", "days", ">= 0, empty"),
    "profile": ("Guideline profile the engine read the blocks under.", "", codes(PROFILES)),
    "anesthetic": ("Local anaesthetic (or saline placebo).", "", codes(vocab.ANESTHETICS)),
    "steroid": ("Steroid given.", "", codes(vocab.STEROIDS)),
    "relief_percent": (
        "Percent relief read by the engine: (pre - lowest post in window) / pre x 100.",
        PERCENT,
        "<= 100, may be negative; empty when unreadable",
    ),
    "episodes": ("Number of episodes (one patient, one complaint).", COUNT, ">= 0"),
}
for response in vocab.RESPONSES:
    COLUMNS[response] = (f"Blocks the engine read as {response}.", COUNT, ">= 0")
    COLUMNS[f"{response}_percent"] = (f"{response} blocks / blocks x 100.", PERCENT, "0-100")

TABLE_COLUMNS: dict[tuple[str, str], tuple[str, str, str]] = {
    ("diagnostic_yield", "blocks"): ("Diagnostic blocks (engine).", COUNT, ">= 0"),
    ("diagnostic_yield", "relief_blocks"): ("Valid blocks with a relief reading.", COUNT, ">= 0"),
    ("diagnostic_yield", "relief_mean"): ("Mean relief of the valid blocks.", PERCENT, "<= 100"),
    ("diagnostic_yield", "relief_q1"): ("First quartile of relief.", PERCENT, "<= 100"),
    ("diagnostic_yield", "relief_median"): ("Median relief.", PERCENT, "<= 100"),
    ("diagnostic_yield", "relief_q3"): ("Third quartile of relief.", PERCENT, "<= 100"),
    ("non_diagnostic_reasons", "code"): (
        "Why the engine found the technique non-diagnostic.",
        "",
        codes(NON_DIAGNOSTIC_MESSAGES),
    ),
    ("non_diagnostic_reasons", "percent_of_non_diagnostic"): (
        "Blocks with this reason / non-diagnostic blocks x 100 (a block may have several).",
        PERCENT,
        "0-100",
    ),
    ("positive_rate_by_month", "positive"): ("Positive blocks.", COUNT, ">= 0"),
    ("relief_distribution", "relief_band"): (
        "Band of percent relief.",
        PERCENT,
        codes(RELIEF_BAND_LABELS),
    ),
    ("diary_curve", "minutes"): (
        "Diary mark: points up to this many minutes after the block (after the previous mark).",
        "minutes",
        codes(map(str, DIARY_MARKS[1:])),
    ),
    ("diary_curve", "points"): ("Diary points at this mark.", COUNT, ">= 0"),
    ("diary_curve", "relief_q1"): ("First quartile of relief at this mark.", PERCENT, "<= 100"),
    ("diary_curve", "relief_median"): ("Median relief at this mark.", PERCENT, "<= 100"),
    ("diary_curve", "relief_q3"): ("Third quartile of relief at this mark.", PERCENT, "<= 100"),
    ("mbb_rfa_conversion", "step"): ("Step of the pathway.", "", codes(CONVERSION_STEPS)),
    ("mbb_rfa_conversion", "percent_of_first"): (
        "Episodes at this step / episodes with a first positive block x 100.",
        PERCENT,
        "0-100",
    ),
    ("comparative_concordance", "targets_compared"): (
        "Targets with a comparative reading (short and long agent).",
        COUNT,
        ">= 0",
    ),
    ("comparative_concordance", "concordant"): ("Targets read concordant.", COUNT, ">= 0"),
    ("comparative_concordance", "discordant"): ("Targets read discordant.", COUNT, ">= 0"),
    ("comparative_concordance", "undecided"): ("Censored durations: no verdict.", COUNT, ">= 0"),
    ("comparative_concordance", "concordance_percent"): (
        "concordant / (concordant + discordant) x 100.",
        PERCENT,
        "0-100",
    ),
    ("negative_blocks_outcome", "negative_blocks"): ("Valid negative blocks.", COUNT, ">= 0"),
    ("negative_blocks_outcome", "other_source_found"): (
        "... followed in the episode by a positive non-saline block on another target.",
        COUNT,
        ">= 0",
    ),
    ("decisions_by_code", "code"): ("Next-step code.", "", codes(vocab.NEXT_STEP_CODES)),
    ("decisions_by_code", "suggestions"): (
        "Suggestions the engine made (open, or settled by a later treatment).",
        COUNT,
        ">= 0",
    ),
    ("decisions_by_code", "accepted"): ("Suggestions a physician accepted.", COUNT, ">= 0"),
    ("decisions_by_code", "declined"): ("Suggestions a physician declined.", COUNT, ">= 0"),
    ("decisions_by_code", "undecided"): ("Open suggestions with no decision.", COUNT, ">= 0"),
    ("decisions_by_code", "settled_without_decision"): (
        "Suggestions a later treatment answered before anyone decided; "
        "suggestions = accepted + declined + undecided + this.",
        COUNT,
        ">= 0",
    ),
    ("decisions_by_code", "decisions_on_replaced_suggestions"): (
        "Decisions on an earlier suggestion that a later block replaced (not in suggestions).",
        COUNT,
        ">= 0",
    ),
    ("decisions_by_code", "accepted_percent"): (
        "Accepted / (accepted + declined) x 100, over every decision of the code.",
        PERCENT,
        "0-100",
    ),
    ("decisions_by_code", "median_days_to_decision"): (
        "Median days from the latest block a suggestion rests on to the decision.",
        "days",
        ">= 0",
    ),
    ("decline_themes", "theme"): (
        "Theme of the decline reason, by key words (the text itself is never exported).",
        "",
        codes([*DECLINE_THEMES, OTHER_THEME]),
    ),
    ("decline_themes", "declines"): ("Declined suggestions with this theme.", COUNT, ">= 0"),
    ("complications_by_code", "code"): ("Complication code.", "", codes(vocab.COMPLICATIONS)),
    ("complication_rate_by_kind", "procedures_with_complication"): (
        "Procedures with at least one complication.",
        COUNT,
        ">= 0",
    ),
    ("complication_rate_by_kind", "per_100_procedures"): (
        "Complications per 100 procedures of this kind.",
        "per 100",
        ">= 0",
    ),
    ("serious_events", "code"): ("Serious complication code.", "", codes(vocab.COMPLICATIONS)),
    ("serious_events", "procedure_id"): ("Procedure id (identified export only).", "", "id"),
    ("serious_events", "notes"): ("Free-text notes (identified export only).", "", "text"),
    ("hard_stop_overrides", "code"): (
        "Hard-stop contraindication overridden by a physician (reason text never exported "
        "de-identified).",
        "",
        codes([*vocab.HARD_STOPS, *vocab.CONDITIONAL_HARD_STOPS]),
    ),
    ("hard_stop_overrides", "overrides"): (
        "Procedures done despite this hard stop.",
        COUNT,
        ">= 0",
    ),
    ("steroid_side_effects", "code"): (
        "Steroid side effect.",
        "",
        codes(sorted(vocab.STEROID_SIDE_EFFECTS)),
    ),
    ("steroid_side_effects", "steroid_procedures"): (
        "Procedures given this steroid.",
        COUNT,
        ">= 0",
    ),
    ("steroid_side_effects", "per_100_steroid_procedures"): (
        "Events per 100 procedures given this steroid.",
        "per 100",
        ">= 0",
    ),
    ("completeness", "measure"): ("The gap counted.", "", "see the rows"),
    ("completeness", "blocks"): ("Blocks or procedures with the gap.", COUNT, ">= 0"),
    ("completeness", "of_blocks"): ("Blocks or procedures the measure applies to.", COUNT, ">= 0"),
    ("completeness", "percent"): ("blocks / of_blocks x 100.", PERCENT, "0-100"),
    ("diary_points_per_block", "diary_points"): (
        "Diary scores recorded for the block.",
        COUNT,
        "0-12, 13+",
    ),
    ("diary_points_summary", "blocks"): ("Diagnostic blocks read from a diary.", COUNT, ">= 0"),
    ("diary_points_summary", "mean"): ("Mean diary points per block.", COUNT, ">= 0"),
    ("diary_points_summary", "median"): ("Median diary points per block.", COUNT, ">= 0"),
    ("diary_points_summary", "minimum"): ("Fewest diary points.", COUNT, ">= 0"),
    ("diary_points_summary", "maximum"): ("Most diary points.", COUNT, ">= 0"),
    ("override_reasons", "procedure_id"): ("Procedure id.", "", "id"),
    ("override_reasons", "performed_at"): ("When it was performed.", "ISO 8601 UTC", ""),
    ("override_reasons", "hard_stops"): ("Hard-stop codes, ';'-separated.", "", "codes"),
    ("override_reasons", "reason"): ("The physician's override reason.", "", "free text"),
}
TABLE_COLUMNS.update({("blocks", name): entry for name, entry in BLOCK_COLUMNS.items()})
EVIDENCE_COLUMNS = _evidence_columns()
TABLE_COLUMNS.update({("treatment_outcomes", name): e for name, e in EVIDENCE_COLUMNS.items()})
TABLE_COLUMNS.update(
    {
        ("relief_over_follow_up", "group"): EVIDENCE_COLUMNS["group"],
        ("relief_over_follow_up", "days_after"): (
            "Follow-up point, days after the treatment (a follow-up within 14 days counts).",
            "days",
            "14, 30, 90, 180, 365",
        ),
        ("relief_over_follow_up", "followed"): (
            "Treatments with a readable relief at that point.",
            COUNT,
            ">= 0",
        ),
        ("benefit_curves", "group"): EVIDENCE_COLUMNS["group"],
        ("benefit_curves", "days_after"): (
            "Day after the treatment at which a benefit ended (0: the start).",
            "days",
            ">= 0",
        ),
        ("benefit_curves", "benefit_continuing_percent"): (
            "Kaplan-Meier estimate of the share whose benefit still goes on that day.",
            PERCENT,
            "0-100",
        ),
        ("benefit_curves", "treatments"): (
            "Treatments of the group with a readable duration of benefit.",
            COUNT,
            ">= 0",
        ),
        ("relief_over_follow_up", "relief_mean"): (
            "Mean relief at that point: (pre-treatment - follow-up pain) / pre x 100.",
            PERCENT,
            "<= 100, may be negative",
        ),
    }
)
TABLE_COLUMNS.update({("diary", name): entry for name, entry in DIARY_COLUMNS.items()})


class UndocumentedColumn(KeyError):
    pass


def describe(table: str, column: str) -> tuple[str, str, str]:
    entry = TABLE_COLUMNS.get((table, column)) or COLUMNS.get(column)
    if entry is None:
        raise UndocumentedColumn(f"{table}.{column} has no entry in the data dictionary")
    return entry


def data_dictionary(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    rows = [
        (table, column, *describe(table, column))
        for table, frame in tables.items()
        for column in frame.columns
    ]
    return pd.DataFrame(rows, columns=["table", "column", "meaning", "unit", "allowed_values"])
