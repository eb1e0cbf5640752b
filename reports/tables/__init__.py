"""The outcome summary: every table of the report, from the tidy frames of reports.data.

Pure pandas: these functions take frames and return frames. `outcome_tables`
gives them in the order the page, the workbook and the JSON show them.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from reports import evidence
from reports.store.readings import COMPARATIVE_PROFILE
from reports.tables import completeness, decided, diagnostic, pathways, safety, volume

# name: (section, title)
TABLES: dict[str, tuple[str, str]] = {
    "volume_by_month": ("Volume", "Procedures per month"),
    "volume_by_kind": ("Volume", "Procedures per kind"),
    "volume_by_region": ("Volume", "Procedures per region"),
    "volume_by_physician": ("Volume", "Procedures per physician"),
    "diagnostic_yield": ("Diagnostic yield", "Responses and relief per kind of diagnostic block"),
    "non_diagnostic_reasons": ("Diagnostic yield", "Why blocks were not diagnostic"),
    "positive_rate_by_month": ("Diagnostic yield", "Positive blocks per kind and month"),
    "relief_distribution": ("Diagnostic yield", "Valid blocks per band of relief"),
    "diary_curve": ("Diagnostic yield", "Relief over the minutes after the block"),
    "mbb_rfa_conversion": ("Pathways", "From a positive medial branch block to RFA"),
    "comparative_concordance": ("Pathways", "Comparative blocks (sis-controlled profile)"),
    "negative_blocks_outcome": ("Pathways", "Negative blocks followed by a source found elsewhere"),
    "decisions_by_code": ("Decisions", "Suggestions accepted and declined"),
    "decline_themes": ("Decisions", "Themes of the reasons for declining"),
    "complications_by_code": ("Safety", "Complications per 100 procedures"),
    "complication_rate_by_kind": ("Safety", "Complications per kind of procedure"),
    "serious_events": ("Safety", "Serious events, one by one"),
    "hard_stop_overrides": ("Safety", "Procedures done despite a hard stop"),
    "steroid_side_effects": ("Safety", "Steroid side effects"),
    "completeness": ("Data completeness", "Gaps in the record"),
    "diary_points_per_block": ("Data completeness", "Diary points per diagnostic block"),
    "diary_points_summary": ("Data completeness", "Diary points per block, summary"),
    "treatment_outcomes": (
        "Outcome of the pathway",
        "Relief after treatment per kind and selection group (the clinic's own evidence)",
    ),
    "relief_over_follow_up": ("Outcome of the pathway", "Mean relief at each follow-up point"),
    "benefit_curves": (
        "Outcome of the pathway",
        "Duration of benefit per selection group (Kaplan-Meier)",
    ),
}
IDENTIFIED_TABLES = {"override_reasons": ("Safety", "Override reasons (identified export only)")}


def outcome_tables(
    data,
    *,
    label: Callable[[pd.DataFrame], pd.Series],
    progress: Callable[[str], None] | None = None,
) -> dict[str, pd.DataFrame]:
    """All tables for one ReportData. `label(rows)` names patients in the per-event tables;
    `progress(name)` is called after each table."""
    blocks, diary, complications = data.blocks, data.diary, data.complications
    treated = _once(lambda: evidence.treated(data.filters, blocks=blocks))
    suggestions, decisions, profile = data.suggestions, data.decisions, data.filters.profile
    builders: dict[str, Callable[[], pd.DataFrame]] = {
        "volume_by_month": lambda: volume.volume_by_month(blocks),
        "volume_by_kind": lambda: volume.volume_by_kind(blocks),
        "volume_by_region": lambda: volume.volume_by_region(blocks),
        "volume_by_physician": lambda: volume.volume_by_physician(blocks),
        "diagnostic_yield": lambda: diagnostic.diagnostic_yield(blocks),
        "non_diagnostic_reasons": lambda: diagnostic.non_diagnostic_reasons(blocks),
        "positive_rate_by_month": lambda: diagnostic.positive_rate_by_month(blocks),
        "relief_distribution": lambda: diagnostic.relief_distribution(blocks),
        "diary_curve": lambda: diagnostic.diary_curve(blocks, diary, data.diary_points),
        "mbb_rfa_conversion": lambda: pathways.mbb_rfa_conversion(blocks, suggestions, profile),
        "comparative_concordance": lambda: pathways.comparative_concordance(
            suggestions, COMPARATIVE_PROFILE
        ),
        "negative_blocks_outcome": lambda: pathways.negative_blocks_outcome(blocks),
        "decisions_by_code": lambda: decided.decisions_by_code(
            suggestions, decisions, blocks, profile
        ),
        "decline_themes": lambda: decided.decline_themes(decisions),
        "complications_by_code": lambda: safety.complications_by_code(blocks, complications),
        "complication_rate_by_kind": lambda: safety.complication_rate_by_kind(
            blocks, complications
        ),
        "serious_events": lambda: safety.serious_events(blocks, complications, label=label),
        "hard_stop_overrides": lambda: safety.hard_stop_overrides(blocks),
        "steroid_side_effects": lambda: safety.steroid_side_effects(blocks, complications),
        "completeness": lambda: completeness.completeness(blocks),
        "diary_points_per_block": lambda: completeness.diary_points_per_block(blocks),
        "diary_points_summary": lambda: completeness.diary_points_summary(blocks),
        "treatment_outcomes": lambda: evidence.evidence_table(treated(), profile),
        "relief_over_follow_up": lambda: evidence.relief_over_time(treated()),
        "benefit_curves": lambda: evidence.benefit_curves(treated()),
    }
    if data.identified:
        builders["override_reasons"] = lambda: safety.override_reasons(blocks, label=label)
    tables = {}
    for name, build in builders.items():
        tables[name] = build()
        if progress:
            progress(name)
    return tables


def _once(load: Callable[[], pd.DataFrame]) -> Callable[[], pd.DataFrame]:
    """The treatments are read once for the three outcome tables that use them."""
    cache: list[pd.DataFrame] = []

    def get() -> pd.DataFrame:
        if not cache:
            cache.append(load())
        return cache[0]

    return get
