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

from collections import defaultdict
from dataclasses import dataclass

import pandas as pd

from blocks.rules import followup as rules
from blocks.rules import get_profile
from blocks.rules.selection import selection
from blocks.rules.types import Block, FollowUpPoint
from reports import stats
from reports.data import procedures
from reports.filters import ReportFilters
from reports.store.engine_input import load_for_patients

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


@dataclass(frozen=True)
class Treated:
    """One treatment as the evidence reads it."""

    id: int
    kind: str
    group: str
    pre_pain: int | None
    follow_ups: tuple[FollowUpPoint, ...]
    benefit_days: int | None
    benefit_censored: bool

    def nearest(self, point: int) -> FollowUpPoint | None:
        """The follow-up nearest the point within ±14 days (the earlier one on a tie)."""
        near = [
            f for f in self.follow_ups if abs(f.days_after - point) <= rules.EVIDENCE_WINDOW_DAYS
        ]
        return min(near, key=lambda f: (abs(f.days_after - point), f.days_after), default=None)

    def relief_at(self, point: int) -> float | None:
        found = self.nearest(point)
        return None if found is None else rules.relief_percent(self.pre_pain, found.pain)


def treated(filters: ReportFilters) -> list[Treated]:
    """Every standing treatment the filters select, with its group and follow-ups."""
    profile = get_profile(filters.profile)
    chosen = (
        procedures(filters)
        .therapeutic()
        .filter(kind__in=sorted(rules.TREATMENT_CODE))
        .values_list("id", "episode__patient_id", "episode_id")
    )
    ids = {pk for pk, _, _ in chosen}
    if not ids:
        return []
    by_episode: dict[int, list[Block]] = defaultdict(list)
    treated_episodes = {episode for _, _, episode in chosen}

    def findings_for(rows: list[dict]) -> set[int]:
        # Diary scores are read only in the treatments' own episodes (the selection's blocks).
        return {row["id"] for row in rows if row["episode_id"] in treated_episodes}

    patients = sorted({patient for _, patient, _ in chosen})
    for loaded in load_for_patients(patients, findings_for=findings_for):
        if loaded.episode_id not in treated_episodes:
            continue
        by_episode[loaded.episode_id].append(loaded.block)
    found = []
    for blocks in by_episode.values():
        for block in blocks:
            if block.id not in ids:
                continue
            outcome = rules.outcome(block, profile)
            found.append(
                Treated(
                    id=block.id,
                    kind=block.kind,
                    group=selection(block, blocks).group,
                    pre_pain=block.pre_pain,
                    follow_ups=block.follow_ups,
                    benefit_days=outcome.benefit_days,
                    benefit_censored=outcome.benefit_censored,
                )
            )
    return sorted(found, key=lambda t: t.id)


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
        at_90 = [m.nearest(90) for m in members if m.relief_at(90) is not None]
        row["pgic_responders_90"] = sum(
            1 for f in at_90 if f.pgic is not None and f.pgic >= profile.pgic_responder_at_least
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
        for point in (14, 30, 90, 180, 365):
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
