"""The clinic's own evidence: which diagnostic selection led to lasting relief (section 10).

For each treatment kind and selection group: the number treated, followed at 90 and 180 days
(a follow-up within ±14 days of the point counts; the nearest one is read), the share with
substantial (>= 50 %) and meaningful (>= 30 %, substantial included) relief over those
followed at that point, each with its 95 % Wilson interval, PGIC responders at 90 days, and
the median duration of benefit by Kaplan-Meier (censored at the last follow-up). A treatment
whose pre-treatment pain was below 3 has no relief reading and is left out of the shares.
Groups with fewer than 10 followed at 90 days are flagged as too small to judge.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable

import numpy as np
import pandas as pd
from django.db.models import Count

from blocks.models import FollowUp
from blocks.rules import ENGINE_VERSION, get_profile, vocab
from blocks.rules import followup as rules
from reports import stats
from reports.data import fetch, procedures
from reports.filters import ReportFilters
from reports.frames import shared_text
from reports.models import TreatmentReading
from reports.store.readings import compute_for_patients
from reports.store.treatments import POINTS as READ_POINTS
from reports.store.treatments import Treated

__all__ = ["Treated", "benefit_curves", "evidence_table", "relief_over_time", "treated"]

logger = logging.getLogger(__name__)

POINTS = (90, 180)
BY_ID_AT_MOST = 2000  # treatments named by id in the queries (SQLite takes 32,766 parameters)
SMALL_GROUP_BELOW = 10  # followed at 90 days
COLUMNS = [
    "treatment",
    "group",
    "treated",
    "followed_90",
    "substantial_90",
    "substantial_90_percent",
    "substantial_90_ci_low",
    "substantial_90_ci_high",
    "meaningful_90",
    "meaningful_90_percent",
    "meaningful_90_ci_low",
    "meaningful_90_ci_high",
    "followed_180",
    "substantial_180",
    "substantial_180_percent",
    "substantial_180_ci_low",
    "substantial_180_ci_high",
    "meaningful_180",
    "meaningful_180_percent",
    "meaningful_180_ci_low",
    "meaningful_180_ci_high",
    "pgic_responders_90",
    "median_benefit_days",
    "benefit_known",
    "small_group",
]
STORED = (
    "procedure_id",
    "kind",
    "selection_group",
    "pre_pain",
    *(f"relief_{point}" for point in READ_POINTS),
    "pgic_90",
    "benefit_days",
    "benefit_censored",
    "procedure_version",
    "follow_up_points",
)
_VERSION = STORED.index("procedure_version")
# The treatments as the tables read them: one row per treatment.
FRAME_COLUMNS = [
    "id",
    "kind",
    "group",
    "pre_pain",
    *(f"relief_{point}" for point in READ_POINTS),
    "pgic_90",
    "benefit_days",
    "benefit_censored",
]


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    for point in READ_POINTS:
        frame[f"relief_{point}"] = pd.to_numeric(frame[f"relief_{point}"]).astype(float)
    for name in ("pre_pain", "pgic_90", "benefit_days"):
        frame[name] = pd.to_numeric(frame[name]).astype("Int64")
    frame["benefit_censored"] = frame["benefit_censored"].astype(bool)
    for name in ("kind", "group"):  # codes, as object whichever way the rows were read
        # One string object per code: the three tables group by them (reports.frames).
        frame[name] = shared_text(frame[name].astype(object))
    return frame.sort_values("id", ignore_index=True)


def frame(items: Iterable[Treated]) -> pd.DataFrame:
    """Treatments read by the engine (reports.store.treatments) as the tables read them."""
    rows = [
        (
            t.id,
            t.kind,
            t.group,
            t.pre_pain,
            *(t.relief_at(point) for point in READ_POINTS),
            t.pgic_90,
            t.benefit_days,
            t.benefit_censored,
        )
        for t in items
    ]
    return _typed(pd.DataFrame.from_records(rows, columns=FRAME_COLUMNS))


CHOSEN = ("procedure_id", "patient_id", "version")


def _chosen_from(blocks: pd.DataFrame) -> pd.DataFrame:
    """The treatments among a report's blocks (reports.data's frame for the same filters):
    procedure_id, patient_id and version, without a query of its own. Diagnostic as
    vocab.is_diagnostic() says, column-wise."""
    kind, intent = blocks["kind"], blocks["intent"]
    diagnostic = kind.isin(sorted(vocab.ALWAYS_DIAGNOSTIC_KINDS)) | (
        # On the column's objects: a text comparison first looks for missing values.
        ~kind.isin(sorted(vocab.NEVER_DIAGNOSTIC_KINDS)) & (intent.to_numpy() == "diagnostic")
    )
    treatment = kind.isin(sorted(rules.TREATMENT_CODE)) & ~diagnostic
    return blocks.loc[treatment, list(CHOSEN)].astype("int64")


def treated(filters: ReportFilters, *, blocks: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every standing treatment the filters select, as the store read it under the profile
    (FRAME_COLUMNS, one row per treatment, in id order).

    `blocks`, the report's own frame of procedures for these filters (reports.data), names
    the treatments without a query. A treatment whose stored reading is missing or stale
    (another engine version, the treatment edited or its follow-ups changed since) is read on
    the fly for its patient, from the same code that stores it; nothing is written here.
    """
    profile = get_profile(filters.profile)
    if blocks is not None:
        chosen = _chosen_from(blocks)
    else:
        chosen = pd.DataFrame.from_records(
            list(
                procedures(filters)
                .therapeutic()
                .filter(kind__in=sorted(rules.TREATMENT_CODE))
                .values_list("pk", "episode__patient_id", "version")
            ),
            columns=list(CHOSEN),
        ).astype("int64")
    # The chosen treatments stay a frame (procedure_id, patient_id, version): at 100,000
    # blocks a dict of 33,000 tuples and the sets made from it took 60 ms.
    ids = chosen["procedure_id"]
    # A report of a few months names its treatments by id; a large one scans the two tables
    # (on SQLite an IN (subquery over the filters' joins) or a COUNT joined to the procedures
    # costs several times the scans).
    follow_ups = FollowUp.objects.active().order_by()
    stored = TreatmentReading.objects.filter(profile=profile.name, engine_version=ENGINE_VERSION)
    if len(chosen) <= BY_ID_AT_MOST:
        follow_ups = follow_ups.filter(procedure_id__in=sorted(ids.tolist()))
        stored = stored.filter(procedure_id__in=sorted(ids.tolist()))
    # Raw rows into frames (reports.data.fetch), compared column-wise: 33,000 treatments
    # at 100,000 blocks, where a Python loop over ORM tuples took half a second.
    counted = (
        fetch(follow_ups.values("procedure_id").annotate(points=Count("id")), integers=True)
        if len(chosen)
        else pd.DataFrame(columns=["procedure_id", "points"])
    )
    rows = fetch(stored.values(*STORED)) if len(chosen) else pd.DataFrame(columns=list(STORED))
    expected = chosen[["procedure_id", "version"]].rename(columns={"version": "expected_version"})
    for table in (counted, rows):
        table["procedure_id"] = table["procedure_id"].astype("int64")
    rows = rows.merge(expected, on="procedure_id").merge(counted, on="procedure_id", how="left")
    current = (rows["procedure_version"] == rows["expected_version"]) & (
        rows["follow_up_points"] == rows["points"].fillna(0)
    )
    kept = rows.loc[current, list(STORED[:_VERSION])].set_axis(FRAME_COLUMNS, axis=1)
    found: dict[int, tuple] = {}
    lacking = chosen[~ids.isin(kept["id"])]
    if len(lacking):
        missing = {int(pk) for pk in lacking["procedure_id"]}
        patients = {int(patient) for patient in lacking["patient_id"]}
        logger.warning(
            "evidence: %d treatments of %d patients read on the fly (stored reading missing "
            "or stale; run manage.py refresh_readings --stale)",
            len(missing),
            len(patients),
        )
        for row in compute_for_patients(patients).treatments:
            if row["procedure_id"] in missing and row["profile"] == profile.name:
                found[row["procedure_id"]] = tuple(row[name] for name in STORED[:_VERSION])
    on_the_fly = pd.DataFrame.from_records(list(found.values()), columns=FRAME_COLUMNS)
    return _typed(pd.concat([kept, on_the_fly], ignore_index=True) if found else kept)


def _share(count: int, total: int) -> tuple[float | None, float | None, float | None]:
    interval = stats.wilson_interval(count, total)
    if interval is None:
        return None, None, None
    return round(100 * count / total, 1), round(100 * interval[0], 1), round(100 * interval[1], 1)


class _Columns:
    """The treatments' columns as numpy arrays, read by row positions per group.

    The tables need a few counts per kind and selection group (at most a few dozen
    groups); reading them off arrays by position instead of splitting the 33,000 treatments
    of 100,000 blocks into a frame per group takes the three tables from 90 ms to ~10 ms.
    """

    def __init__(self, items: pd.DataFrame):
        self.relief = {
            point: items[f"relief_{point}"].to_numpy(dtype="float64", na_value=np.nan)
            for point in READ_POINTS
        }
        self.pgic_90 = items["pgic_90"].to_numpy(dtype="float64", na_value=np.nan)
        days = items["benefit_days"]
        self.benefit_known = days.notna().to_numpy()
        self.benefit_days = days.to_numpy(dtype="float64", na_value=np.nan)
        self.benefit_censored = items["benefit_censored"].to_numpy(dtype=bool)

    def reliefs(self, rows: np.ndarray, point: int) -> np.ndarray:
        """The known reliefs at the point, of the treatments at those positions."""
        relief = self.relief[point][rows]
        return relief[~np.isnan(relief)]

    def benefit(self, rows: np.ndarray) -> tuple[list[int], list[bool]]:
        """Durations of benefit and whether each ended (False: censored), where one is known."""
        rows = rows[self.benefit_known[rows]]
        durations = self.benefit_days[rows].astype("int64").tolist()
        return durations, (~self.benefit_censored[rows]).tolist()


def _groups(items: pd.DataFrame, by) -> dict:
    """Row positions per group key (as groupby(sort=False) splits them), the groups in the
    order they first appear."""
    if not len(items):
        return {}
    indices = items.groupby(by, sort=False).indices
    return dict(sorted(indices.items(), key=lambda group: group[1][0]))


def _point_columns(columns: _Columns, rows: np.ndarray, point: int, profile) -> dict:
    reliefs = columns.reliefs(rows, point)
    substantial = int((reliefs >= profile.follow_up_substantial_relief_percent).sum())
    meaningful = int((reliefs >= profile.follow_up_meaningful_relief_percent).sum())
    row = {f"followed_{point}": len(reliefs)}
    for name, count in (("substantial", substantial), ("meaningful", meaningful)):
        percent, low, high = _share(count, len(reliefs))
        row[f"{name}_{point}"] = count
        row[f"{name}_{point}_percent"] = percent
        row[f"{name}_{point}_ci_low"] = low
        row[f"{name}_{point}_ci_high"] = high
    return row


def evidence_table(items: pd.DataFrame, profile_name: str) -> pd.DataFrame:
    """One row per treatment kind and selection group, in the order of the groups."""
    profile = get_profile(profile_name)
    rows = []
    order = {group: index for index, group in enumerate(rules.GROUPS)}
    groups = _groups(items, ["kind", "group"])
    columns = _Columns(items)
    for kind, group in sorted(groups, key=lambda g: (g[0], order[g[1]])):
        members = groups[(kind, group)]
        row = {"treatment": kind, "group": group, "treated": len(members)}
        for point in POINTS:
            row.update(_point_columns(columns, members, point, profile))
        followed = members[~np.isnan(columns.relief[90][members])]
        pgic = columns.pgic_90[followed]
        pgic = pgic[~np.isnan(pgic)]
        row["pgic_responders_90"] = int((pgic >= profile.pgic_responder_at_least).sum())
        durations, ended = columns.benefit(members)
        median = stats.km_median(durations, ended)
        row["median_benefit_days"] = None if median is None else int(median)
        row["benefit_known"] = len(durations)
        row["small_group"] = row["followed_90"] < SMALL_GROUP_BELOW
        rows.append(row)
    return pd.DataFrame(rows, columns=COLUMNS)


def km_curves(items: pd.DataFrame) -> dict[str, list[tuple[float, float]]]:
    """Kaplan-Meier curves of the duration of benefit per selection group (all kinds)."""
    curves = {}
    columns = _Columns(items)
    for group, members in _groups(items, "group").items():
        durations, ended = columns.benefit(members)
        if durations:
            curves[group] = stats.kaplan_meier(durations, ended)
    return curves


def relief_over_time(items: pd.DataFrame) -> pd.DataFrame:
    """Mean relief at each scheduled point (±14 days) per selection group, for the chart."""
    rows = []
    columns = _Columns(items)
    for group, members in _groups(items, "group").items():
        for point in READ_POINTS:
            reliefs = columns.reliefs(members, point)
            if len(reliefs):
                rows.append(
                    {
                        "group": group,
                        "days_after": point,
                        "followed": len(reliefs),
                        "relief_mean": round(math.fsum(reliefs) / len(reliefs), 1),
                    }
                )
    return pd.DataFrame(rows, columns=["group", "days_after", "followed", "relief_mean"])


def benefit_curves(items: pd.DataFrame) -> pd.DataFrame:
    """The Kaplan-Meier curves as a table: the share whose benefit still goes on, per day
    at which a benefit ended, per selection group (a step function starting at 100 %)."""
    rows = []
    known = items.loc[items["benefit_days"].notna(), "group"].value_counts()
    for group, curve in sorted(km_curves(items).items()):
        for day, survival in curve:
            rows.append(
                {
                    "group": group,
                    "days_after": int(day),
                    "benefit_continuing_percent": round(100 * survival, 1),
                    "treatments": int(known[group]),
                }
            )
    return pd.DataFrame(
        rows, columns=["group", "days_after", "benefit_continuing_percent", "treatments"]
    )
