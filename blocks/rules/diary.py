"""The post-block diary: its schedule, its states and its entry rules (CLINICAL_RULES section 9).

Pure functions over plain data, beside the profiles: the models, the staff grid, the patient's
page and the lists of diaries to chase all ask here, so a time point, "open" or "late" means
the same thing everywhere. Times are aware datetimes; showing them in the clinic's time zone is
the caller's business (a person is never shown a bare minute count).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime, time, timedelta, tzinfo

from blocks.rules import vocab
from blocks.rules.interpretation import evaluation_window, read_relief
from blocks.rules.profiles import Profile
from blocks.rules.types import Block, DiaryScore

# [L] Local policy, kept as data: the minutes after the block at which a score is asked for.
_LONG_ACTING = (15, 30, 60, 120, 180, 240, 300, 360, 480, 600)
SCHEDULES: dict[str, tuple[int, ...]] = {
    vocab.LIDOCAINE: (15, 30, 45, 60, 90, 120, 180, 240),
    vocab.BUPIVACAINE: _LONG_ACTING,
    vocab.ROPIVACAINE: _LONG_ACTING,
    vocab.SALINE: _LONG_ACTING,
}
SCHEDULE_POLICY = (
    "Diary time points: lidocaine 15, 30, 45, 60, 90, 120, 180 and 240 minutes after the block; "
    "bupivacaine, ropivacaine and saline 15, 30, 60, 120, 180, 240, 300, 360, 480 and 600.",
    "A diary stays open until 2 hours after its last time point; a staff score within 10 "
    "minutes of a time point answers it.",
)

STAFF_TOLERANCE = timedelta(minutes=10)  # a staff score this close to a time point answers it
EARLY_LIMIT = timedelta(minutes=5)  # no time point is answered sooner before it is due
LAST_POINT_LATE_AFTER = timedelta(minutes=60)  # the last point has no next point to be late for
CLOSES_AFTER_LAST_POINT = timedelta(hours=2)
CHASE_FOR = timedelta(days=14)  # overdue diaries older than this count only in the figures

COMPLETE, OPEN, OVERDUE = "complete", "open", "overdue"
STATES = (COMPLETE, OPEN, OVERDUE)
STAFF, PATIENT = "staff", "patient"


def has_diary(kind: str, intent: str, anesthetic: str) -> bool:
    """A diagnostic block with an anaesthetic keeps a diary; discography and RFA do not."""
    return (
        vocab.is_diagnostic(kind, intent) and kind != vocab.DISCOGRAPHY and anesthetic in SCHEDULES
    )


def time_points(anesthetic: str) -> tuple[int, ...]:
    return SCHEDULES.get(anesthetic, ())


def due_at(performed_at: datetime, minutes_after: int) -> datetime:
    return performed_at + timedelta(minutes=minutes_after)


def closes_at(performed_at: datetime, anesthetic: str) -> datetime | None:
    """When the diary stops being open: its last time point plus two hours."""
    points = time_points(anesthetic)
    if not points:
        return None
    return due_at(performed_at, points[-1]) + CLOSES_AFTER_LAST_POINT


def answered(points: Sequence[int], entries: Iterable[DiaryScore]) -> set[int]:
    """The time points the entries answer: a patient's its own point, staff's within ±10 min."""
    tolerance = STAFF_TOLERANCE.total_seconds() / 60
    done: set[int] = set()
    for entry in entries:
        if entry.source == PATIENT:
            if entry.minutes_after in points:
                done.add(entry.minutes_after)
            continue
        done.update(p for p in points if abs(p - entry.minutes_after) <= tolerance)
    return done


def missing(
    points: Sequence[int], done: set[int], performed_at: datetime, now: datetime
) -> list[int]:
    """The time points already due and not answered."""
    return [p for p in points if p not in done and due_at(performed_at, p) <= now]


def is_complete(block: Block, profile: Profile) -> bool:
    """Every time point of the evaluation window answered, and the duration decided.

    The duration is decided unless relief is still present at the last score short of the
    agent's minimum duration (a censored run below it), whatever the block's kind.
    """
    points = time_points(block.anesthetic)
    if not points:
        return False
    window = evaluation_window(block, profile)
    end = window[1] if window else points[-1]
    needed = [p for p in points if p <= end]
    if not set(needed) <= answered(points, block.pain_scores):
        return False
    if block.pre_pain is None or block.pre_pain < profile.baseline_at_least:
        return True
    relief = read_relief(block, profile)
    minimum = profile.min_duration_minutes.get(block.anesthetic)
    return not (
        relief.duration_censored
        and minimum is not None
        and (relief.duration_minutes or 0) < minimum
    )


def state(complete: bool, closes: datetime | None, now: datetime) -> str | None:
    """complete, else open until the diary closes, else overdue (None: the block has no diary)."""
    if closes is None:
        return None
    if complete:
        return COMPLETE
    return OPEN if now < closes else OVERDUE


def entry_refusal(
    minutes_after: int,
    *,
    points: Sequence[int],
    done: set[int],
    performed_at: datetime,
    now: datetime,
) -> str | None:
    """Why a patient may not answer this time point now (None when they may).

    ``not_in_schedule`` (a 400), ``answered`` or ``too_early`` (a 409).
    """
    if minutes_after not in points:
        return "not_in_schedule"
    if minutes_after in done:
        return "answered"
    if now < due_at(performed_at, minutes_after) - EARLY_LIMIT:
        return "too_early"
    return None


def is_late(
    minutes_after: int, *, points: Sequence[int], performed_at: datetime, entered_at: datetime
) -> bool:
    """A patient's score entered after the next time point was already due (last: after 60 min)."""
    later = [p for p in points if p > minutes_after]
    if later:
        return entered_at > due_at(performed_at, later[0])
    return entered_at > due_at(performed_at, minutes_after) + LAST_POINT_LATE_AFTER


def next_due(
    points: Sequence[int], done: set[int], performed_at: datetime, now: datetime
) -> int | None:
    """The time point to ask the patient for: the latest unanswered one already open, else
    the first one still to come (None when every point is answered)."""
    unanswered = [p for p in points if p not in done]
    opened = [p for p in unanswered if now >= due_at(performed_at, p) - EARLY_LIMIT]
    if opened:
        return opened[-1]
    return unanswered[0] if unanswered else None


# How staff type a time into the grid: a clock time ("14:05") or minutes after the block ("275").
ENTRY_LIMIT = timedelta(days=1)  # a diary ends the next day at the latest
BEFORE_BLOCK = timedelta(hours=2)  # a clock time this little before the block's is a slip
_CLOCK = re.compile(r"^([01]?\d|2[0-3])[:.h]([0-5]\d)$")


class EntryTimeError(ValueError):
    """A typed time the grid cannot take; the message says why in the clinic's words."""


def minutes_from_entry(text: str, performed_at: datetime, tz: tzinfo) -> int:
    """The minutes after the block that `text` names: "275" (minutes) or "14:05" (a clock time
    in the clinic's time zone `tz`).

    A clock time is read on the block's day; one earlier than the block's own clock time reads as
    the next day (the diary crosses midnight), unless it is less than two hours before it: that
    is a slip for a time before the block, and refused. Minutes must be from 0 to 1440.
    """
    raw = (text or "").strip().lower().removesuffix("min").strip()
    block = performed_at.astimezone(tz)
    if raw.lstrip("-").isdigit() and len(raw) <= 6:
        minutes = int(raw)
        if minutes < 0:
            raise EntryTimeError("A time before the block cannot be a diary score.")
        if minutes > ENTRY_LIMIT.total_seconds() // 60:
            raise EntryTimeError(
                f"{minutes} minutes is more than a day after the block "
                f"({block:%H:%M}); the diary ends the next day."
            )
        return minutes
    match = _CLOCK.match(raw)
    if not match:
        raise EntryTimeError(
            "Type a clock time such as 14:05, or the minutes after the block such as 275."
        )
    hour, minute = int(match.group(1)), int(match.group(2))
    same_day = datetime.combine(block.date(), time(hour, minute), tzinfo=tz)
    if same_day < block.replace(second=0, microsecond=0):
        if block - same_day <= BEFORE_BLOCK:
            raise EntryTimeError(
                f"{hour:02d}:{minute:02d} is before the block ({block:%H:%M}). A time after "
                "midnight reads as the next day."
            )
        same_day = datetime.combine(block.date() + timedelta(days=1), time(hour, minute), tz)
    # Counted from the block's minute: a clock time names a minute, not a second.
    start = performed_at.replace(second=0, microsecond=0)
    return max(int((same_day - start).total_seconds() // 60), 0)
