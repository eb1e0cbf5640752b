"""The ORM at the edge: the report's querysets, turned into tidy DataFrames.

Each frame is one queryset, built with the ORM (so filters and joins stay
Django's) and executed as its compiled SQL on a plain cursor: no model
instance and no per-row converter, so 100,000 blocks load at close to the
speed of the database itself. Column types are then fixed once, with
vectorised pandas.

A report costs a fixed number of queries however many blocks it covers:
blocks (with their stored readings), diary scores, complications, episodes
whose suggestions are unread, suggestions, and physicians' decisions. Readings that are
missing or stale are computed on the fly (reports.freshness), so a report is
never wrong; `manage.py refresh_readings` stores fresh ones again.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.db import connections
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast

from blocks.models import Complication, Episode, PainScore, Procedure
from blocks.models.base import EARLIEST_PERFORMED
from blocks.models.measured import MEASURED_FIELDS
from blocks.rules import ENGINE_VERSION
from reports import decisions, deid, freshness
from reports.filters import LATEST, ReportFilters, _start_of
from reports.frames import DIARY_MARKS, bool_column, numeric_column, shared_text
from reports.models import EpisodeSuggestions, SuggestionReading
from reports.store.readings import COMPARATIVE_PROFILE, COMPARATIVE_RULES
from reports.store.worklist import every_episode_read, standing

# The measured fields (blocks/models/measured.py); the levels only for the row-level export.
SUMMARY_FIELDS = ("id", "episode_id", *(n for n in MEASURED_FIELDS if n != "levels"), "version")
ROW_FIELDS = ("levels",)
READING_FIELDS = freshness.READING_FIELDS
ROW_READING_FIELDS = ("warnings",)
# The codes the tables compare, count, group by and merge on again and again over all the
# blocks (reports.tables), each distinct text made one string object once here: about 13 ms
# a column at 100,000 blocks, for 15-90 ms saved on each by the tables. Columns read only a
# few times, or only for a few rows (the reasons, the hard stops), would not repay it.
SHARED_TEXT = ("kind", "steroid", "response", "validity", "target")
IDENTIFYING = {"mrn": "episode__patient__mrn", "override_reason": "screening__override_reason"}
SUGGESTION_FIELDS = freshness.SUGGESTION_COLUMNS


@dataclass
class ReportData:
    filters: ReportFilters
    identified: bool
    blocks: pd.DataFrame
    diary: pd.DataFrame | None
    complications: pd.DataFrame
    suggestions: pd.DataFrame
    decisions: pd.DataFrame
    recomputed: int = 0
    # The summary's diary, counted in SQL: one row per (anaesthetic, pre-block pain, diary
    # mark, score) of the valid diagnostic blocks, with its number of points. None when
    # `diary` holds every score instead (the row-level export, or readings recomputed here).
    diary_points: pd.DataFrame | None = None


def procedures(filters: ReportFilters) -> QuerySet[Procedure]:
    """The standing procedures of standing episodes and patients that the filters select."""
    # The standing episodes by leaving out the few entered in error (two small partial
    # indexes), not by joining every procedure to its episode and patient: each of the
    # report's queries selects its rows by this one, and the joins cost 0.2 s a query at
    # 100,000 blocks on SQLite (benchmarks/reports.py).
    queryset = standing(Procedure.objects.active()).filter(
        # A legacy row at year 1 or 9999 (refused since the plausible-date rule) would
        # overflow pandas' timestamps and make the monthly tables thousands of years long.
        performed_at__gte=EARLIEST_PERFORMED,
        performed_at__lt=_start_of(LATEST),
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


def queries(
    filters: ReportFilters, *, identified: bool = False, rows: bool = False, summary: bool = False
) -> dict[str, QuerySet]:
    """Every query of one report, by frame name.

    `rows=True` adds the columns only the row-level export shows. `summary=True` is the
    summary report's way: the diary counted in SQL (`diary_counts`, `diary_points`) instead
    of every score fetched, and the timestamps as text, parsed once by pandas rather than by
    the driver row by row. Without it, every diary row: the benchmark's floor fetches those.
    """
    selected = procedures(filters)
    ids = selected.values("id")
    episodes = selected.values("episode_id")
    profiles = {filters.profile, COMPARATIVE_PROFILE}
    reading_fields = READING_FIELDS + (ROW_READING_FIELDS if rows else ())
    columns = {
        "patient_id": F("episode__patient_id"),
        "physician_id": F("performed_by_id"),
        "region": F("episode__region"),
        "overridden_by_id": F("screening__overridden_by_id"),
        **{f"reading_{name}": F(f"reading__{name}") for name in reading_fields},
    }
    if rows:
        columns.update(
            {
                "sex": F("episode__patient__sex"),
                "birth_date": F("episode__patient__birth_date"),
                "pain_pattern": F("episode__pain_pattern"),
                "surgery_considered": F("episode__surgery_considered"),
            }
        )
    if identified:
        columns.update({name: F(path) for name, path in IDENTIFYING.items()})
        columns["physician_username"] = F("performed_by__username")
    fields = [*SUMMARY_FIELDS, *(ROW_FIELDS if rows else ())]
    if summary:
        fields.remove("performed_at")
        columns["performed_at_text"] = Cast("performed_at", output_field=CharField())
    blocks = selected.annotate(
        reading=FilteredRelation(
            "report_readings", condition=Q(report_readings__profile=filters.profile)
        )
    ).values(*fields, **columns)
    diary_fields = ["procedure_id", "minutes_after", "score"]
    if rows:
        diary_fields.append("patient_reported_relief_percent")
    complication_fields = ["procedure_id", "code", "severity", "onset_days"]
    if identified:
        complication_fields.append("notes")
    scores = PainScore.objects.active().filter(procedure_id__in=ids)
    diary = (
        {
            "diary_counts": scores.values("procedure_id").annotate(points=Count("id")).order_by(),
            "diary_points": _diary_points(scores, filters.profile),
        }
        if summary and not rows
        else {"diary": scores.values(*diary_fields).order_by()}
    )
    return {
        # No ORDER BY: SQLite then reads procedures in storage order, twice as fast as
        # through the performed_at index; frames are sorted in pandas where it matters.
        "blocks": blocks.order_by(),
        **diary,
        "complications": Complication.objects.active()
        .filter(procedure_id__in=ids)
        .values(*complication_fields)
        .order_by(),
        "unread_episodes": _unread_episodes(episodes, profiles),
        "suggestions": SuggestionReading.objects.filter(episode_id__in=episodes)
        .filter(
            Q(profile=filters.profile)
            | Q(profile=COMPARATIVE_PROFILE, rule__in=list(COMPARATIVE_RULES))
        )
        .values(*SUGGESTION_FIELDS)
        .order_by(),
        "decisions": decisions.query(episodes, filters.profile),
    }


def _diary_points(scores: QuerySet, profile: str) -> QuerySet:
    """The points of the relief curve, counted by what the curve reads: agent, pre-block pain,
    diary mark (a score belongs to the first mark at or after its minute) and score, for the
    blocks whose stored reading is a valid diagnostic block with pain before it."""
    marks = DIARY_MARKS[1:]
    mark = Case(
        *(When(minutes_after__lte=minutes, then=Value(minutes)) for minutes in marks),
        default=Value(None),
    )
    return (
        scores.filter(
            minutes_after__gte=0,
            minutes_after__lte=marks[-1],
            procedure__pre_pain__gt=0,
            procedure__report_readings__profile=profile,
            procedure__report_readings__validity="valid",
            procedure__report_readings__diagnostic=True,
        )
        .annotate(minutes=mark)
        .values(
            "minutes",
            "score",
            anesthetic=F("procedure__anesthetic"),
            pre_pain=F("procedure__pre_pain"),
        )
        .annotate(points=Count("id"))
        .order_by()
    )


def _unread_episodes(episodes: QuerySet, profiles: set[str]) -> QuerySet:
    """Episodes whose suggestions under one of the profiles are missing or from another engine
    (normally none, so this costs an index lookup per episode and returns nothing)."""
    current = EpisodeSuggestions.objects.filter(
        episode_id=OuterRef("pk"), engine_version=ENGINE_VERSION
    )
    unread = Q()
    for name in sorted(profiles):
        unread |= ~Exists(current.filter(profile=name))
    return Episode.objects.filter(pk__in=episodes).filter(unread).values("id").order_by()


def fetch(queryset: QuerySet, *, integers: bool = False) -> pd.DataFrame:
    """Run a values() queryset's SQL on a plain cursor; one column per selected name.

    `integers=True` (every column a NOT NULL integer) builds the frame through one
    numpy array, three times faster than from_records for the diary's many rows.
    """
    query = queryset.query
    assert not query.extra_select, "extra() columns are not supported"
    sql, params = query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        # The SQL's own column names (each selected as its alias): Django may put an
        # annotation before the fields.
        names = [column[0] for column in cursor.description]
    if integers and rows:
        return pd.DataFrame(np.array(rows, dtype=np.int64), columns=names)
    return pd.DataFrame.from_records(rows, columns=names, coerce_float=True)


INTEGER_FRAMES = {"diary", "diary_counts"}


def load(
    filters: ReportFilters, *, identified: bool = False, rows: bool = False, fast: bool = True
) -> ReportData:
    """Everything one report needs, as tidy frames.

    The summary (`rows=False`) counts the diary in SQL (`fast`); if some stored readings
    turn out stale, the curve's counts (filtered on them) cannot be trusted and every
    score is fetched after all, as `fast=False` always does.
    """
    summary = fast and not rows
    asked = queries(filters, identified=identified, rows=rows, summary=summary)
    # Normally every episode is read (the write path stores its suggestions): one cheap,
    # remembered question per profile instead of looking for each of the report's episodes.
    if all(every_episode_read(name) for name in (filters.profile, COMPARATIVE_PROFILE)):
        asked.pop("unread_episodes")
    frames = {
        name: fetch(queryset, integers=name in INTEGER_FRAMES and not rows)
        for name, queryset in asked.items()
    }
    unread = set(frames["unread_episodes"]["id"]) if "unread_episodes" in frames else set()
    if summary:
        diary, counts = None, frames["diary_counts"].set_index("procedure_id")["points"]
    else:
        diary = _diary(frames["diary"])
        counts = diary["procedure_id"].value_counts()
    blocks = _blocks(frames["blocks"], counts, identified=identified)
    fresh = freshness.refreshed(blocks, unread, frames["suggestions"], filters.profile)
    diary_points = _diary_points_frame(frames["diary_points"]) if summary else None
    if summary and fresh.recomputed:
        diary, diary_points = _diary(fetch(queries(filters)["diary"], integers=True)), None
    return ReportData(
        filters=filters,
        identified=identified,
        blocks=fresh.blocks,
        diary=diary,
        complications=_complications(frames["complications"]),
        suggestions=fresh.suggestions,
        decisions=decisions.typed(frames["decisions"]),
        recomputed=fresh.recomputed,
        diary_points=diary_points,
    )


def _blocks(frame: pd.DataFrame, diary_counts: pd.Series, *, identified: bool) -> pd.DataFrame:
    """`diary_counts`: the number of diary scores by procedure id."""
    frame = frame.rename(columns={"id": "procedure_id", "performed_at_text": "performed_at"})
    frame.columns = [c.removeprefix("reading_") for c in frame.columns]
    frame["performed_at"] = pd.to_datetime(frame["performed_at"], utc=True, format="ISO8601")
    frame["month"] = deid.month(frame["performed_at"])
    for name in ("anesthetic_volume_ml", "steroid_dose_mg", "pre_pain"):
        frame[name] = numeric_column(frame[name])
    for name in ("contrast_used", "contrast_flow_confirmed", "surgery_considered"):
        if name in frame:
            frame[name] = bool_column(frame[name])
    frame = freshness.typed_readings(frame)
    for name in SHARED_TEXT:
        frame[name] = shared_text(frame[name])
    frame["overridden"] = frame.pop("overridden_by_id").notna()
    frame["diary_count"] = frame["procedure_id"].map(diary_counts).fillna(0).astype("int64")
    frame["physician"] = (
        frame["physician_username"].astype("str")
        if identified
        else deid.pseudonyms("physician", frame["physician_id"])
    )
    return frame


def _diary(frame: pd.DataFrame) -> pd.DataFrame:
    if "patient_reported_relief_percent" in frame:
        frame["patient_reported_relief_percent"] = numeric_column(
            frame["patient_reported_relief_percent"]
        )
    return frame


def _diary_points_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Typed as the per-score path types them: pain as float, scores and marks as integers."""
    frame["pre_pain"] = numeric_column(frame["pre_pain"])
    for name in ("minutes", "score", "points"):
        frame[name] = frame[name].astype("int64")
    frame["anesthetic"] = frame["anesthetic"].astype(object)
    return frame


def _complications(frame: pd.DataFrame) -> pd.DataFrame:
    frame["onset_days"] = numeric_column(frame["onset_days"]).astype("Int64")
    return frame
