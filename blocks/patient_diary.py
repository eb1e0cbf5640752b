"""What a patient may see of a block's diary through the link (CLINICAL_RULES section 9).

The patient's page, the diary card and the token endpoints of the API all read here, so the
patient is told the same thing everywhere: the block in plain words ("Right lower back, nerve
block, 2 March 09:30"), the time points as clock times in the clinic's time zone, which are
answered and which is due next. Nothing here names the patient: no MRN, name or birth date.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from blocks.adapters import to_diary_score
from blocks.models import DiaryLink, Procedure
from blocks.rules import diary, vocab
from blocks.services.diary import answered_points

# Where the pain is, in the words a patient uses (the episode's region).
REGION_WORDS = {
    "cervical": "neck",
    "thoracic": "middle back",
    "lumbar": "lower back",
    "sacroiliac": "lower back and buttock",
}
# What was done, in the words a patient uses.
KIND_WORDS = {
    vocab.MEDIAL_BRANCH: "nerve block",
    vocab.FACET_IA: "joint injection",
    vocab.SI_JOINT: "joint injection",
    vocab.TRANSFORAMINAL: "nerve root injection",
    vocab.INTERLAMINAR: "epidural injection",
}
SIDE_WORDS = {"left": "Left", "right": "Right", "bilateral": "Both sides,", "midline": ""}

INSTRUCTIONS = (
    "Rate your usual pain, the pain you had the injection for, not the soreness where the "
    "needle went in.",
    "Score it from 0 (no pain at all) to 10 (the worst pain you can imagine).",
    "Before you score, do something that usually brings the pain on (walk, bend, sit, turn "
    "your head), if it is safe to do so.",
    "Give one score at each time below; if you miss one, give the next one when it comes.",
    "Optional: how much better is the pain than before the injection, in per cent (0 = no "
    "better, 100 = the pain has gone)?",
)


def patient_words(procedure: Procedure) -> str:
    """'Right lower back, nerve block, 2 March 09:30': no levels, no drug names, no codes."""
    region = procedure.episode.region
    if procedure.kind == vocab.SI_JOINT:
        region = "sacroiliac"
    where = REGION_WORDS.get(region, "back")
    side = SIDE_WORDS.get(procedure.side, "")
    place = f"{side} {where}" if side else where
    place = place[:1].upper() + place[1:]
    what = KIND_WORDS.get(procedure.kind, "injection")
    return f"{place}, {what}, {when_words(procedure.performed_at)}"


def when_words(moment: datetime) -> str:
    """'2 March 09:30' in the clinic's time zone."""
    local = timezone.localtime(moment)
    return f"{local.day} {local:%B %H:%M}"


def clock(procedure: Procedure, minutes: int) -> str:
    """'10:30', or '07:00 next day': a time point as a clock time, never a minute count."""
    block = timezone.localtime(procedure.performed_at)
    at = timezone.localtime(diary.due_at(procedure.performed_at, minutes))
    days = (at.date() - block.date()).days
    return f"{at:%H:%M}" + ("" if days == 0 else " next day" if days == 1 else f" (+{days} days)")


@dataclass(frozen=True)
class TimePoint:
    minutes_after: int
    due_at: datetime
    clock: str
    answered: bool
    score: int | None = None
    relief: int | None = None
    late: bool = False


def time_points(procedure: Procedure) -> list[TimePoint]:
    """Every time point of the block's diary, answered or not, with what was recorded at it."""
    scores = list(procedure.pain_scores.active().order_by("minutes_after", "recorded_at"))
    points = diary.time_points(procedure.anesthetic)
    done = answered_points(procedure, scores)
    answering: dict[int, object] = {}
    for score in scores:
        for point in diary.answered(points, [to_diary_score(score)]):
            answering.setdefault(point, score)
    rows = []
    for point in points:
        score = answering.get(point)
        rows.append(
            TimePoint(
                minutes_after=point,
                due_at=diary.due_at(procedure.performed_at, point),
                clock=clock(procedure, point),
                answered=point in done,
                score=score.score if score else None,
                relief=score.patient_reported_relief_percent if score else None,
                late=bool(score and score.late),
            )
        )
    return rows


def next_due(procedure: Procedure, points: list[TimePoint], now: datetime) -> TimePoint | None:
    """The time point to ask for now: the latest unanswered one already open, else the next."""
    minutes = diary.next_due(
        [p.minutes_after for p in points],
        {p.minutes_after for p in points if p.answered},
        procedure.performed_at,
        now,
    )
    return next((p for p in points if p.minutes_after == minutes), None)


def opens_at(point: TimePoint) -> datetime:
    """The earliest moment a time point may be answered (5 minutes before it is due)."""
    return point.due_at - diary.EARLY_LIMIT


def handle_of(link: DiaryLink) -> str:
    """A non-secret name for the link, for the token-free URL of the patient's page.

    Derived from the stored hash (itself one-way from the token), so it tells nothing about
    the token; the token stays in an HttpOnly cookie scoped to this handle's path.
    """
    return hashlib.sha256(f"handle:{link.token_hash}".encode()).hexdigest()[:16]


def patient_url(request, token: str) -> str:
    """The link's absolute URL: TRACKER_PATIENT_BASE_URL when set, else the request's host."""
    path = reverse("patient-diary", args=[token])
    base = getattr(settings, "TRACKER_PATIENT_BASE_URL", "")
    if base:
        return base.rstrip("/") + path
    return request.build_absolute_uri(path)
