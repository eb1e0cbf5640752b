"""One report, start to end: filters in, tables (or row-level frames) out.

De-identified unless `identified=True`, which the callers allow for
superusers only and record in IdentifiedExport (reports.audit).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd
from django.utils import timezone

from blocks.models.measured import DATETIME, INTEGER, LEVELS, MEASURED
from blocks.rules import ENGINE_VERSION
from reports import data as report_data
from reports import deid
from reports.filters import ReportFilters
from reports.frames import joined_codes
from reports.tables import outcome_tables

ROW_TABLES = ("blocks", "diary")


@dataclass
class Report:
    filters: ReportFilters
    identified: bool
    tables: dict[str, pd.DataFrame]
    generated_at: datetime = field(default_factory=timezone.now)
    recomputed: int = 0

    def meta(self) -> dict:
        return {
            "generated_at": self.generated_at.isoformat(),
            "engine_version": ENGINE_VERSION,
            "profile": self.filters.profile,
            "filters": self.filters.as_dict(),
            "deidentified": not self.identified,
            "readings_computed_on_the_fly": self.recomputed,
        }


def patient_label(identified: bool) -> Callable[[pd.DataFrame], pd.Series]:
    if identified:
        return lambda rows: rows["mrn"].astype("str")
    return lambda rows: deid.pseudonyms("patient", rows["patient_id"])


def outcome_report(
    filters: ReportFilters,
    *,
    identified: bool = False,
    progress: Callable[[str], None] | None = None,
) -> Report:
    """The full outcome summary (every table) for these filters."""
    data = report_data.load(filters, identified=identified)
    if progress:
        progress("data")
    tables = outcome_tables(data, label=patient_label(identified), progress=progress)
    return Report(filters, identified, tables, recomputed=data.recomputed)


def row_report(
    filters: ReportFilters,
    table: str,
    *,
    identified: bool = False,
    progress: Callable[[str], None] | None = None,
) -> Report:
    """Row-level data for researchers: one row per block, or one per diary score."""
    data = report_data.load(filters, identified=identified, rows=True)
    if progress:
        progress("data")
    frame = block_rows(data) if table == "blocks" else diary_rows(data)
    if progress:
        progress(table)
    return Report(filters, identified, {table: frame}, recomputed=data.recomputed)


def block_rows(data: report_data.ReportData) -> pd.DataFrame:
    blocks = data.blocks.sort_values(["performed_at", "procedure_id"])
    complications = (
        data.complications.groupby("procedure_id")["code"].agg(";".join)
        if len(data.complications)
        else pd.Series(dtype="str")
    )
    rows = pd.DataFrame(index=blocks.index)
    if data.identified:
        rows["procedure_id"] = blocks["procedure_id"]
        rows["patient_id"] = blocks["patient_id"]
        rows["mrn"] = blocks["mrn"]
        rows["birth_date"] = pd.to_datetime(blocks["birth_date"]).dt.strftime("%Y-%m-%d")
        rows["episode_id"] = blocks["episode_id"]
    else:
        rows["block_ref"] = deid.pseudonyms("block", blocks["procedure_id"])
        rows["patient"] = deid.pseudonyms("patient", blocks["patient_id"])
        rows["episode_ref"] = deid.pseudonyms("episode", blocks["episode_id"])
    rows["month"] = blocks["month"]
    rows["age_years"] = deid.age_group(
        deid.age_in_years(blocks["birth_date"], blocks["performed_at"])
    )
    for name in ("sex", "region", "pain_pattern", "surgery_considered"):
        rows[name] = blocks[name]
    for measured in MEASURED:
        if measured.type == DATETIME:
            if data.identified:  # a date is identifying: the month stands in for it
                rows[measured.name] = blocks[measured.name].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
        elif measured.type == LEVELS:
            rows[measured.name] = joined_codes(blocks[measured.name])
        elif measured.type == INTEGER:
            rows[measured.name] = blocks[measured.name].astype("Int64")
        else:
            rows[measured.name] = blocks[measured.name]
    rows["physician"] = blocks["physician"]
    rows["profile"] = data.filters.profile
    rows["engine_version"] = blocks["engine_version"]
    for name in ("response", "validity", "diagnostic"):
        rows[name] = blocks[name]
    rows["relief_percent"] = blocks["relief_percent"].round(1)
    for name in ("duration_minutes", "duration_censored", "counts_towards_treatment"):
        rows[name] = blocks[name]
    rows["warnings"] = joined_codes(blocks["warnings"])
    rows["non_diagnostic_reasons"] = joined_codes(blocks["non_diagnostic_reasons"])
    rows["hard_stops_overridden"] = joined_codes(blocks["hard_stops"]).where(
        blocks["overridden"], ""
    )
    rows["diary_points"] = blocks["diary_count"]
    rows["complications"] = (
        blocks["procedure_id"].map(complications).astype("object").fillna("").astype("str")
    )
    if data.identified:
        rows["override_reason"] = blocks["override_reason"].fillna("")
    return rows.reset_index(drop=True)


def diary_rows(data: report_data.ReportData) -> pd.DataFrame:
    diary = data.diary
    rows = pd.DataFrame(index=diary.index)
    if data.identified:
        rows["procedure_id"] = diary["procedure_id"]
    else:
        refs = deid.pseudonyms("block", data.blocks["procedure_id"])
        # Sorted below by block_ref, a pseudonym: the order says nothing about time.
        rows["block_ref"] = diary["procedure_id"].map(
            dict(zip(data.blocks["procedure_id"], refs, strict=True))
        )
    rows["minutes_after"] = diary["minutes_after"]
    rows["score"] = diary["score"]
    rows["patient_reported_relief_percent"] = diary["patient_reported_relief_percent"].astype(
        "Int64"
    )
    return rows.sort_values([rows.columns[0], "minutes_after"]).reset_index(drop=True)
