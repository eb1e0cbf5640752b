"""The ORM at the edge: the report's querysets, turned into tidy DataFrames.

Each frame is one queryset, built with the ORM (so filters and joins stay
Django's) and executed as its compiled SQL on a plain cursor: no model
instances and no per-row converters, so 100,000 blocks load at close to the
speed of the database itself. Column types are fixed here, once, with
vectorised pandas.

A report costs a fixed number of queries, however many blocks it covers:
blocks (with their stored readings), diary scores, complications, episode
suggestions, and decisions when that model exists. Readings that are missing
or stale are computed on the fly from the engine (reports.readings), so the
report is never wrong; `manage.py refresh_readings` makes them fresh again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pandas as pd
from django.db import connections
from django.db.models import F, FilteredRelation, Q, QuerySet

from blocks.models import Complication, PainScore, Procedure
from blocks.rules import ENGINE_VERSION
from reports import decisions, deid
from reports.filters import ReportFilters
from reports.frames import bool_column, json_text, numeric_column, suggestions_frame
from reports.models import EpisodeSuggestions
from reports.readings import compute_for_patients

logger = logging.getLogger(__name__)

COMPARATIVE_PROFILE = "sis-controlled"  # the only profile that reads comparative blocks

BLOCK_FIELDS = (
    "id",
    "episode_id",
    "performed_at",
    "kind",
    "intent",
    "side",
    "levels",
    "anesthetic",
    "anesthetic_volume_ml",
    "steroid",
    "steroid_dose_mg",
    "guidance",
    "contrast_used",
    "contrast_flow_confirmed",
    "sedation",
    "pre_pain",
    "version",
)
READING_FIELDS = (
    "engine_version",
    "response",
    "validity",
    "relief_percent",
    "duration_minutes",
    "duration_censored",
    "counts_towards_treatment",
    "diagnostic",
    "warnings",
    "non_diagnostic_reasons",
    "hard_stops",
    "target",
    "procedure_version",
    "diary_points",
)
IDENTIFYING = {"mrn": "episode__patient__mrn", "override_reason": "screening__override_reason"}


@dataclass
class ReportData:
    filters: ReportFilters
    identified: bool
    blocks: pd.DataFrame
    diary: pd.DataFrame
    complications: pd.DataFrame
    suggestions: pd.DataFrame
    decisions: pd.DataFrame
    recomputed: int = 0


def procedures(filters: ReportFilters) -> QuerySet[Procedure]:
    """The standing procedures of standing episodes and patients that the filters select."""
    queryset = Procedure.objects.active().filter(
        episode__entered_in_error=False, episode__patient__entered_in_error=False
    )
    if start := filters.performed_from():
        queryset = queryset.filter(performed_at__gte=start)
    if end := filters.performed_before():
        queryset = queryset.filter(performed_at__lt=end)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.region:
        queryset = queryset.filter(episode__region=filters.region)
    if filters.side:
        queryset = queryset.filter(side=filters.side)
    if filters.physician:
        queryset = queryset.filter(performed_by_id=filters.physician_id)
    return queryset


def queries(filters: ReportFilters, *, identified: bool = False) -> dict[str, QuerySet]:
    """Every query of one report, by frame name (the benchmark runs these same SQL texts)."""
    selected = procedures(filters)
    ids = selected.values("id")
    columns = {
        "patient_id": F("episode__patient_id"),
        "physician_id": F("performed_by_id"),
        "physician_username": F("performed_by__username"),
        "region": F("episode__region"),
        "pain_pattern": F("episode__pain_pattern"),
        "surgery_considered": F("episode__surgery_considered"),
        "sex": F("episode__patient__sex"),
        "birth_date": F("episode__patient__birth_date"),
        "overridden_by_id": F("screening__overridden_by_id"),
        **{f"reading_{name}": F(f"reading__{name}") for name in READING_FIELDS},
    }
    if identified:
        columns.update({name: F(path) for name, path in IDENTIFYING.items()})
    blocks = selected.annotate(
        reading=FilteredRelation(
            "report_readings", condition=Q(report_readings__profile=filters.profile)
        )
    ).values(*BLOCK_FIELDS, **columns)
    complication_fields = ["procedure_id", "code", "severity", "onset_days"]
    if identified:
        complication_fields.append("notes")
    return {
        "blocks": blocks.order_by("performed_at", "id"),
        "diary": PainScore.objects.filter(procedure_id__in=ids)
        .values("procedure_id", "minutes_after", "score", "patient_reported_relief_percent")
        .order_by(),
        "complications": Complication.objects.active()
        .filter(procedure_id__in=ids)
        .values(*complication_fields)
        .order_by(),
        "suggestions": EpisodeSuggestions.objects.filter(
            episode_id__in=selected.values("episode_id"),
            profile__in={filters.profile, COMPARATIVE_PROFILE},
        )
        .values("episode_id", "profile", "engine_version", "suggestions")
        .order_by(),
    }


def fetch(queryset: QuerySet) -> pd.DataFrame:
    """Run a values() queryset's SQL on a plain cursor; one column per selected name."""
    query = queryset.query
    assert not query.extra_select, "extra() columns are not supported"
    names = [*query.values_select, *query.annotation_select]
    sql, params = query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return pd.DataFrame.from_records(rows, columns=names, coerce_float=True)


def load(filters: ReportFilters, *, identified: bool = False) -> ReportData:
    """Everything one report needs, as tidy frames."""
    frames = {name: fetch(qs) for name, qs in queries(filters, identified=identified).items()}
    diary = _diary(frames["diary"])
    blocks = _blocks(frames["blocks"], diary, identified=identified)
    sets = frames["suggestions"]
    blocks, sets, recomputed = _with_fresh_readings(blocks, sets, filters.profile)
    return ReportData(
        filters=filters,
        identified=identified,
        blocks=blocks,
        diary=diary,
        complications=_complications(frames["complications"]),
        suggestions=suggestions_frame(sets),
        decisions=decisions.load(procedures(filters).values("episode_id")),
        recomputed=recomputed,
    )


def _blocks(frame: pd.DataFrame, diary: pd.DataFrame, *, identified: bool) -> pd.DataFrame:
    frame = frame.rename(columns={"id": "procedure_id"})
    frame.columns = [c.removeprefix("reading_") for c in frame.columns]
    frame["performed_at"] = pd.to_datetime(frame["performed_at"], utc=True, format="ISO8601")
    frame["month"] = deid.month(frame["performed_at"])
    for name in ("anesthetic_volume_ml", "steroid_dose_mg", "relief_percent", "pre_pain"):
        frame[name] = numeric_column(frame[name])
    for name in ("contrast_used", "contrast_flow_confirmed", "surgery_considered"):
        frame[name] = bool_column(frame[name])
    for name in ("duration_censored", "counts_towards_treatment", "diagnostic"):
        frame[name] = bool_column(frame[name], nullable=True)
    frame["duration_minutes"] = numeric_column(frame["duration_minutes"]).astype("Int64")
    frame["overridden"] = frame.pop("overridden_by_id").notna()
    frame["diary_count"] = (
        frame["procedure_id"].map(diary["procedure_id"].value_counts()).fillna(0).astype("int64")
    )
    frame["physician"] = (
        frame["physician_username"]
        if identified
        else deid.pseudonyms("physician", frame["physician_id"])
    )
    return frame


def _diary(frame: pd.DataFrame) -> pd.DataFrame:
    frame["patient_reported_relief_percent"] = numeric_column(
        frame["patient_reported_relief_percent"]
    )
    return frame


def _complications(frame: pd.DataFrame) -> pd.DataFrame:
    frame["onset_days"] = numeric_column(frame["onset_days"]).astype("Int64")
    return frame


# --- stale or missing readings: computed on the fly ------------------------------------------


def stale_mask(blocks: pd.DataFrame) -> pd.Series:
    return (
        blocks["engine_version"].isna()
        | (blocks["engine_version"] != ENGINE_VERSION)
        | (numeric_column(blocks["procedure_version"]) != blocks["version"])
        | (numeric_column(blocks["diary_points"]) != blocks["diary_count"])
    )


def _with_fresh_readings(
    blocks: pd.DataFrame, sets: pd.DataFrame, profile: str
) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """Blocks and suggestion sets with every missing or stale reading computed now."""
    stale = stale_mask(blocks)
    wanted = {profile, COMPARATIVE_PROFILE}
    current = set(
        zip(
            sets.loc[sets["engine_version"] == ENGINE_VERSION, "episode_id"],
            sets.loc[sets["engine_version"] == ENGINE_VERSION, "profile"],
            strict=True,
        )
    )
    stale_episodes = set(blocks.loc[stale, "episode_id"]) | {
        episode
        for episode in blocks["episode_id"].unique()
        for name in wanted
        if (episode, name) not in current
    }
    if not stale_episodes:
        return blocks, sets, 0
    patients = set(blocks.loc[blocks["episode_id"].isin(stale_episodes), "patient_id"])
    logger.warning(
        "%d stored readings and %d episodes' suggestions are missing or stale: computing them "
        "now for %d patients; run `manage.py refresh_readings --stale`.",
        int(stale.sum()),
        len(stale_episodes),
        len(patients),
    )
    computed = compute_for_patients(patients)
    if stale.any():
        blocks = _replace_readings(blocks, stale, computed, profile)
    fresh_sets = pd.DataFrame.from_records(
        [
            (s.episode_id, s.profile, s.engine_version, json_text(s.suggestions))
            for s in computed.suggestion_sets
            if s.episode_id in stale_episodes and s.profile in wanted
        ],
        columns=["episode_id", "profile", "engine_version", "suggestions"],
    )
    kept = sets[~sets["episode_id"].isin(stale_episodes)]
    return blocks, pd.concat([kept, fresh_sets], ignore_index=True), int(stale.sum())


def _replace_readings(blocks, stale, computed, profile) -> pd.DataFrame:
    fresh = {r.procedure_id: r for r in computed.readings if r.profile == profile}
    blocks = blocks.copy()
    rows = blocks.index[stale]
    ids = blocks.loc[rows, "procedure_id"]
    for name in READING_FIELDS:
        values = [getattr(fresh.get(pid), name, None) for pid in ids]
        if name in ("warnings", "non_diagnostic_reasons", "hard_stops"):
            values = [json_text(v) for v in values]
        column = blocks[name].astype(object)
        column.loc[rows] = values
        blocks[name] = column
    blocks["relief_percent"] = numeric_column(blocks["relief_percent"])
    blocks["duration_minutes"] = numeric_column(blocks["duration_minutes"]).astype("Int64")
    for name in ("duration_censored", "counts_towards_treatment", "diagnostic"):
        blocks[name] = bool_column(blocks[name], nullable=True)
    return blocks
