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
from collections import defaultdict

import pandas as pd
from django.db.models import Count

from blocks.models import FollowUp
from blocks.rules import ENGINE_VERSION, get_profile
from blocks.rules import followup as rules
from reports import stats
from reports.data import procedures
from reports.filters import ReportFilters
from reports.models import TreatmentReading
from reports.store.readings import compute_for_patients
from reports.store.treatments import POINTS as READ_POINTS
from reports.store.treatments import Treated

__all__ = ["Treated", "benefit_curves", "evidence_table", "relief_over_time", "treated"]

logger = logging.getLogger(__name__)

POINTS = (90, 180)
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
_RELIEF = slice(4, 4 + len(READ_POINTS))
_VERSION, _POINTS = STORED.index("procedure_version"), STORED.index("follow_up_points")


def _from_row(row: tuple) -> Treated:
    """A stored row (STORED's columns, in order) as the evidence reads it."""
    pk, kind, group, pre_pain = row[:4]
    pgic_90, benefit_days, censored = row[_RELIEF.stop : _RELIEF.stop + 3]
    return Treated(
        pk,
        kind,
        group,
        pre_pain,
        dict(zip(READ_POINTS, row[_RELIEF], strict=True)),
        pgic_90,
        benefit_days,
        bool(censored),
    )


def treated(filters: ReportFilters) -> list[Treated]:
    """Every standing treatment the filters select, as the store read it under the profile.

    A treatment whose stored reading is missing or stale (another engine version, the
    treatment edited or its follow-ups changed since) is read on the fly for its patient, from
    the same code that stores it; nothing is written here.
    """
    profile = get_profile(filters.profile)
    chosen = {
        pk: (patient, version)
        for pk, patient, version in procedures(filters)
        .therapeutic()
        .filter(kind__in=sorted(rules.TREATMENT_CODE))
        .values_list("pk", "episode__patient_id", "version")
    }
    if not chosen:
        return []
    # Plain scans joined here: on SQLite an IN (subquery over the filters' joins) or a
    # COUNT joined to the procedures costs several times the two scans.
    points = dict(
        FollowUp.objects.active()
        .order_by()
        .values_list("procedure_id")
        .annotate(points=Count("id"))
        .values_list("procedure_id", "points")
    )
    found: dict[int, Treated] = {}
    stored = TreatmentReading.objects.filter(
        profile=profile.name, engine_version=ENGINE_VERSION
    ).values_list(*STORED)
    for row in stored:
        expected = chosen.get(row[0])
        if (
            expected is not None
            and row[_VERSION] == expected[1]
            and row[_POINTS] == points.get(row[0], 0)
        ):
            found[row[0]] = _from_row(row)
    missing = set(chosen) - set(found)
    if missing:
        patients = {chosen[pk][0] for pk in missing}
        logger.warning(
            "evidence: %d treatments of %d patients read on the fly (stored reading missing "
            "or stale; run manage.py refresh_readings --stale)",
            len(missing),
            len(patients),
        )
        for row in compute_for_patients(patients).treatments:
            if row["procedure_id"] in missing and row["profile"] == profile.name:
                found[row["procedure_id"]] = _from_row(tuple(row[name] for name in STORED))
    return sorted(found.values(), key=lambda t: t.id)


def _share(count: int, total: int) -> tuple[float | None, float | None, float | None]:
    interval = stats.wilson_interval(count, total)
    if interval is None:
        return None, None, None
    return round(100 * count / total, 1), round(100 * interval[0], 1), round(100 * interval[1], 1)


def _point_columns(members: list[Treated], point: int, profile) -> dict:
    reliefs = [r for r in (m.relief_at(point) for m in members) if r is not None]
    substantial = sum(r >= profile.follow_up_substantial_relief_percent for r in reliefs)
    meaningful = sum(r >= profile.follow_up_meaningful_relief_percent for r in reliefs)
    row = {f"followed_{point}": len(reliefs)}
    for name, count in (("substantial", substantial), ("meaningful", meaningful)):
        percent, low, high = _share(count, len(reliefs))
        row[f"{name}_{point}"] = count
        row[f"{name}_{point}_percent"] = percent
        row[f"{name}_{point}_ci_low"] = low
        row[f"{name}_{point}_ci_high"] = high
    return row


def evidence_table(items: list[Treated], profile_name: str) -> pd.DataFrame:
    """One row per treatment kind and selection group, in the order of the groups."""
    profile = get_profile(profile_name)
    groups: dict[tuple[str, str], list[Treated]] = defaultdict(list)
    for item in items:
        groups[(item.kind, item.group)].append(item)
    rows = []
    order = {group: index for index, group in enumerate(rules.GROUPS)}
    for (kind, group), members in sorted(groups.items(), key=lambda g: (g[0][0], order[g[0][1]])):
        row = {"treatment": kind, "group": group, "treated": len(members)}
        for point in POINTS:
            row.update(_point_columns(members, point, profile))
        pgic_90 = [m.pgic_90 for m in members if m.relief_at(90) is not None]
        row["pgic_responders_90"] = sum(
            1 for pgic in pgic_90 if pgic is not None and pgic >= profile.pgic_responder_at_least
        )
        known = [m for m in members if m.benefit_days is not None]
        median = stats.km_median(
            [m.benefit_days for m in known], [not m.benefit_censored for m in known]
        )
        row["median_benefit_days"] = None if median is None else int(median)
        row["benefit_known"] = len(known)
        row["small_group"] = row["followed_90"] < SMALL_GROUP_BELOW
        rows.append(row)
    return pd.DataFrame(rows, columns=COLUMNS)


def km_curves(items: list[Treated]) -> dict[str, list[tuple[float, float]]]:
    """Kaplan-Meier curves of the duration of benefit per selection group (all kinds)."""
    by_group: dict[str, list[Treated]] = defaultdict(list)
    for item in items:
        if item.benefit_days is not None:
            by_group[item.group].append(item)
    return {
        group: stats.kaplan_meier(
            [m.benefit_days for m in members], [not m.benefit_censored for m in members]
        )
        for group, members in by_group.items()
    }


def relief_over_time(items: list[Treated]) -> pd.DataFrame:
    """Mean relief at each scheduled point (±14 days) per selection group, for the chart."""
    rows = []
    by_group: dict[str, list[Treated]] = defaultdict(list)
    for item in items:
        by_group[item.group].append(item)
    for group, members in by_group.items():
        for point in READ_POINTS:
            reliefs = [r for r in (m.relief_at(point) for m in members) if r is not None]
            if reliefs:
                rows.append(
                    {
                        "group": group,
                        "days_after": point,
                        "followed": len(reliefs),
                        "relief_mean": round(sum(reliefs) / len(reliefs), 1),
                    }
                )
    return pd.DataFrame(rows, columns=["group", "days_after", "followed", "relief_mean"])


def benefit_curves(items: list[Treated]) -> pd.DataFrame:
    """The Kaplan-Meier curves as a table: the share whose benefit still goes on, per day
    at which a benefit ended, per selection group (a step function starting at 100 %)."""
    rows = []
    for group, curve in sorted(km_curves(items).items()):
        known = sum(1 for i in items if i.group == group and i.benefit_days is not None)
        for day, survival in curve:
            rows.append(
                {
                    "group": group,
                    "days_after": int(day),
                    "benefit_continuing_percent": round(100 * survival, 1),
                    "treatments": known,
                }
            )
    return pd.DataFrame(
        rows, columns=["group", "days_after", "benefit_continuing_percent", "treatments"]
    )
