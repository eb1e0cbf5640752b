"""After treatment: follow-up, its outcome and the selection that led to it (section 10).

Pure functions over the engine's dataclasses. A treatment (RFA, or a therapeutic facet, SI or
epidural injection) is followed at 14, 30, 90, 180 and 365 days (the profile's
`follow_up_days`), and staff may record an unscheduled follow-up on any day from 1 to 730.
Relief is read against the treatment's own pre-treatment pain; success and the PGIC responder
use the profile's IMMPACT thresholds; the duration of benefit feeds `rfa.repeat`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from blocks.rules import vocab
from blocks.rules.profiles import Profile
from blocks.rules.types import Block, FollowUpPoint

FIRST_DAY, LAST_DAY = 1, 730  # an unscheduled follow-up may fall on any of these days
DUE_BEFORE_DAYS = 3  # a scheduled point is due from 3 days before its day ...
DUE_AFTER_DAYS = 14  # ... to 14 days after, then overdue while unanswered
RESEND_AFTER_DAYS = 3  # an unanswered invitation is sent once more after 3 days
EVIDENCE_WINDOW_DAYS = 14  # a follow-up within ±14 days of 90 or 180 counts for the report
BASELINE_AT_LEAST = 3  # pre-treatment pain below this: relief is not read

SUBSTANTIAL, MEANINGFUL, NONE = "substantial", "meaningful", "none"
SUCCESS_LEVELS = (SUBSTANTIAL, MEANINGFUL, NONE)
MEDICATION_CHANGES = ("less", "same", "more")
DUE, OVERDUE, UPCOMING, ANSWERED = "due", "overdue", "upcoming", "answered"
POINT_STATES = (DUE, OVERDUE)

# PGIC, stored 1-7 (public domain); every page and export shows the words.
PGIC_WORDS = {
    1: "Very much worse",
    2: "Much worse",
    3: "Minimally worse",
    4: "No change",
    5: "Minimally improved",
    6: "Much improved",
    7: "Very much improved",
}

# The suggestion code each treatment answers (pathways._TREATMENT_FOR read the other way).
TREATMENT_CODE = {
    vocab.RFA: "radiofrequency_ablation",
    vocab.FACET_IA: "therapeutic_facet_injection",
    vocab.SI_JOINT: "therapeutic_si_injection",
    vocab.TRANSFORAMINAL: "therapeutic_epidural_injection",
    vocab.INTERLAMINAR: "therapeutic_epidural_injection",
}
EPIDURAL_KINDS = frozenset({vocab.TRANSFORAMINAL, vocab.INTERLAMINAR})

GROUPS = (
    "single-50",
    "single-80",
    "dual-50",
    "dual-80",
    "dual-80-concordant",
    "dual-80-discordant",
    "no-qualifying-selection",
    "no-diagnostic-block",
)
DEVIATION = "no-qualifying-selection"


def is_treatment(block: Block) -> bool:
    """A procedure that is followed up: an RFA or a therapeutic injection (not discography)."""
    return block.kind in TREATMENT_CODE and not vocab.is_diagnostic(block.kind, block.intent)


# --- one follow-up ---------------------------------------------------------------------


def relief_percent(pre_pain: int | None, pain: int) -> float | None:
    """(pre - follow-up) / pre x 100, one decimal; None when pre is missing or below 3."""
    if pre_pain is None or pre_pain < BASELINE_AT_LEAST:
        return None
    return round((pre_pain - pain) / pre_pain * 100, 1)


def success(relief: float | None, profile: Profile) -> str | None:
    """substantial (>= 50 %), meaningful (>= 30 %) or none; None when relief is unread."""
    if relief is None:
        return None
    if relief >= profile.follow_up_substantial_relief_percent:
        return SUBSTANTIAL
    if relief >= profile.follow_up_meaningful_relief_percent:
        return MEANINGFUL
    return NONE


def pgic_responder(pgic: int | None, profile: Profile) -> bool | None:
    """PGIC 6 or 7 ("much" or "very much improved"): a responder by the patient's judgement."""
    return None if pgic is None else pgic >= profile.pgic_responder_at_least


def benefit_duration(
    points: Sequence[FollowUpPoint], pre_pain: int | None, level_percent: float
) -> tuple[int | None, bool]:
    """Days of the first unbroken run of follow-ups at or above `level_percent`.

    (days to the run's last follow-up, censored) — censored when the run reaches the last
    follow-up (the benefit may go on); (0, False) when the first follow-up is already below;
    (None, False) with no follow-up or no readable relief.
    """
    ordered = sorted(points, key=lambda p: p.days_after)
    reliefs = [(p.days_after, relief_percent(pre_pain, p.pain)) for p in ordered]
    if not reliefs or any(r is None for _, r in reliefs):
        return None, False
    last_in_run = None
    for index, (day, relief) in enumerate(reliefs):
        if relief < level_percent:
            return (0 if last_in_run is None else last_in_run), False
        last_in_run = day
        if index == len(reliefs) - 1:
            return day, True
    return None, False  # unreachable: the loop returns


@dataclass(frozen=True)
class Outcome:
    relief_percent: dict[int, float | None]
    success: dict[int, str | None]
    pgic_responder: dict[int, bool | None]
    benefit_days: int | None
    benefit_censored: bool
    benefit_level_percent: float


def outcome(treatment: Block, profile: Profile) -> Outcome:
    """What the treatment's follow-ups show under the profile, keyed by days after it."""
    points = sorted(treatment.follow_ups, key=lambda p: p.days_after)
    reliefs = {p.days_after: relief_percent(treatment.pre_pain, p.pain) for p in points}
    days, censored = benefit_duration(
        points, treatment.pre_pain, profile.repeat_rfa_relief_at_least_percent
    )
    return Outcome(
        relief_percent=reliefs,
        success={day: success(relief, profile) for day, relief in reliefs.items()},
        pgic_responder={p.days_after: pgic_responder(p.pgic, profile) for p in points},
        benefit_days=days,
        benefit_censored=censored,
        benefit_level_percent=profile.repeat_rfa_relief_at_least_percent,
    )


def repeat_rfa_benefit(treatment: Block, profile: Profile) -> tuple[int | None, bool]:
    """Days of benefit the repeat-RFA rule reads from follow-ups; (None, False) without any."""
    if not treatment.follow_ups:
        return None, False
    return benefit_duration(
        treatment.follow_ups, treatment.pre_pain, profile.repeat_rfa_relief_at_least_percent
    )


# --- the schedule ----------------------------------------------------------------------


def due_on(performed_on: date, days_after: int) -> date:
    return performed_on + timedelta(days=days_after)


def window(days_after: int) -> tuple[int, int]:
    """The days after the treatment in which a scheduled point is due (and answered)."""
    return days_after - DUE_BEFORE_DAYS, days_after + DUE_AFTER_DAYS


def answers(point: int, recorded_days: Sequence[int]) -> bool:
    """A follow-up on a day inside the point's window answers it (a call on day 92 answers
    the 90-day point)."""
    low, high = window(point)
    return any(low <= day <= high for day in recorded_days)


def point_state(point: int, performed_on: date, today: date, recorded_days: Sequence[int]) -> str:
    """answered, upcoming (before its window), due (inside it) or overdue (after it)."""
    if answers(point, recorded_days):
        return ANSWERED
    low, high = window(point)
    elapsed = (today - performed_on).days
    if elapsed < low:
        return UPCOMING
    return DUE if elapsed <= high else OVERDUE


def schedule(
    performed_on: date, today: date, recorded_days: Sequence[int], profile: Profile
) -> list[tuple[int, str]]:
    """Every scheduled point with its state, in order."""
    return [
        (point, point_state(point, performed_on, today, recorded_days))
        for point in profile.follow_up_days
    ]


def link_expires_on(performed_on: date, points: Sequence[int]) -> date:
    """A follow-up link stays valid until 14 days after the latest of its points."""
    return due_on(performed_on, max(points) + DUE_AFTER_DAYS)
