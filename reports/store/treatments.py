"""Each treatment as the clinic's evidence reads it (CLINICAL_RULES section 10).

`read_treatments` is the one place that turns a treatment and its episode's blocks into what
the evidence report counts: the selection group (blocks.rules.selection), the relief at each
scheduled follow-up point, the PGIC read at 90 days and the duration of benefit under a
profile (blocks.rules.followup). The store (reports.store.readings) files its answers as
TreatmentReading rows when the record is written; the report reads those rows, and reads a
treatment on the fly only when its row is missing or stale.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from blocks.rules import followup as rules
from blocks.rules.profiles import PROFILES, Profile
from blocks.rules.selection import selection
from blocks.rules.types import Block, FollowUpPoint

# The scheduled points the evidence reads relief at: the profiles' follow-up schedule (section
# 10), one stored column each, so every profile must keep the same one (tested).
POINTS: tuple[int, ...] = next(iter(PROFILES.values())).follow_up_days
PGIC_POINT = 90


@dataclass(frozen=True)
class Treated:
    """One treatment as the evidence reads it under one profile."""

    id: int
    kind: str
    group: str
    pre_pain: int | None
    # Relief (%) at each point of POINTS: the nearest follow-up within 14 days, None without
    # one or when the pre-treatment pain is below 3.
    relief: Mapping[int, float | None]
    pgic_90: int | None
    benefit_days: int | None
    benefit_censored: bool
    based_on: tuple[int, ...] = ()

    def relief_at(self, point: int) -> float | None:
        return self.relief.get(point)


def nearest(follow_ups: Sequence[FollowUpPoint], point: int) -> FollowUpPoint | None:
    """The follow-up nearest the point within ±14 days (the earlier one on a tie)."""
    near = [f for f in follow_ups if abs(f.days_after - point) <= rules.EVIDENCE_WINDOW_DAYS]
    return min(near, key=lambda f: (abs(f.days_after - point), f.days_after), default=None)


def reliefs(pre_pain: int | None, follow_ups: Sequence[FollowUpPoint]) -> dict[int, float | None]:
    found = {point: nearest(follow_ups, point) for point in POINTS}
    return {
        point: None if f is None else rules.relief_percent(pre_pain, f.pain)
        for point, f in found.items()
    }


def treated(
    treatment: Block, group: str, profile: Profile, *, based_on: tuple[int, ...] = ()
) -> Treated:
    """The treatment read under the profile, its selection group already known."""
    outcome = rules.outcome(treatment, profile)
    at_pgic = nearest(treatment.follow_ups, PGIC_POINT)
    return Treated(
        id=treatment.id,
        kind=treatment.kind,
        group=group,
        pre_pain=treatment.pre_pain,
        relief=reliefs(treatment.pre_pain, treatment.follow_ups),
        pgic_90=None if at_pgic is None else at_pgic.pgic,
        benefit_days=outcome.benefit_days,
        benefit_censored=outcome.benefit_censored,
        based_on=based_on,
    )


def read_treatments(
    blocks: Sequence[Block], profiles: Sequence[Profile]
) -> list[tuple[Profile, Treated]]:
    """Every treatment among one episode's standing blocks (with their findings), under each
    profile. The selection is read once per treatment: it does not depend on the profile."""
    found = []
    for block in blocks:
        if not rules.is_treatment(block):
            continue
        chosen = selection(block, blocks)
        for profile in profiles:
            found.append((profile, treated(block, chosen.group, profile, based_on=chosen.based_on)))
    return found
