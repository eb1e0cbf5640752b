"""The patient's diary link and the scores a patient enters through it (CLINICAL_RULES 9).

Staff make a link for one diagnostic block; the patient, with no account, answers the diary's
time points through it. The token is returned once and only its hash is stored. Refusals are
exceptions the API and the pages turn into their status codes: a ValidationError naming the
field (400), DiaryConflict (409) and LinkGone (410).
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from blocks.adapters import to_diary_score
from blocks.models import DiaryLink, PainScore, Procedure, new_token, token_hash
from blocks.models.checks import clean_record
from blocks.models.findings import PATIENT
from blocks.rules import diary
from blocks.services.readings import refresh_block
from blocks.services.records import ensure_standing


class DiaryConflict(Exception):
    """The request is understood but the diary's state refuses it (a 409).

    `code` is one of `diary_not_open`, `answered`, `too_early`.
    """

    def __init__(self, code: str, message: str):
        self.code = code
        super().__init__(message)


class LinkGone(Exception):
    """The link expired (the diary is no longer open) or was revoked (a 410)."""

    def __init__(self, link: DiaryLink, reason: str):
        self.link = link
        self.reason = reason  # expired | revoked
        super().__init__(f"This diary link has {reason}.")


def _locked(procedure: Procedure) -> Procedure:
    procedure = (
        Procedure.objects.select_for_update()
        .select_related("episode__patient")
        .get(pk=procedure.pk)
    )
    ensure_standing(procedure)
    return procedure


def standing_scores(procedure: Procedure) -> list[PainScore]:
    return list(procedure.pain_scores.active().order_by("minutes_after"))


def answered_points(procedure: Procedure, scores=None) -> set[int]:
    """The diary's time points already answered, by the patient or by staff (±10 minutes)."""
    scores = standing_scores(procedure) if scores is None else scores
    points = diary.time_points(procedure.anesthetic)
    return diary.answered(points, [to_diary_score(s) for s in scores])


@transaction.atomic
def diary_link_create(
    *, procedure: Procedure, created_by, now: datetime | None = None
) -> tuple[DiaryLink, str]:
    """A new link for the block's diary (revoking the previous one) and its token, shown once.

    Refused with a ValidationError for a block that keeps no diary, with DiaryConflict for a
    diary that is no longer open.
    """
    now = now or timezone.now()
    procedure = _locked(procedure)
    if not procedure.has_diary():
        raise ValidationError(
            {
                "procedure": (
                    "Only a diagnostic block with an anaesthetic keeps a diary "
                    "(not a discography, a treatment or a block without anaesthetic)."
                )
            }
        )
    state = procedure.diary_state(now)
    if state != diary.OPEN:
        raise DiaryConflict(
            "diary_not_open", f"This block's diary is {state}: a patient link is no longer useful."
        )
    _revoke(procedure, created_by, now)
    token = new_token()
    link = DiaryLink(
        procedure=procedure,
        token_hash=token_hash(token),
        created_by=created_by,
        created_at=now,
        expires_at=procedure.diary_closes_at,
    )
    link.save()
    return link, token


def _revoke(procedure: Procedure, user, now: datetime) -> int:
    return (
        DiaryLink.objects.standing()
        .filter(procedure=procedure)
        .update(revoked_at=now, revoked_by=user)
    )


@transaction.atomic
def diary_link_revoke(*, procedure: Procedure, revoked_by, now: datetime | None = None) -> int:
    """Withdraw the block's standing link; the scores entered through it stay."""
    procedure = _locked(procedure)
    return _revoke(procedure, revoked_by, now or timezone.now())


def link_for_token(token: str, *, now: datetime | None = None) -> DiaryLink:
    """The usable link of this token: DiaryLink.DoesNotExist when unknown, LinkGone when it
    was revoked or has expired."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        raise DiaryLink.DoesNotExist
    link = DiaryLink.objects.select_related("procedure__episode__patient").get(
        token_hash=token_hash(token)
    )
    _ensure_usable(link, now or timezone.now())
    return link


def _ensure_usable(link: DiaryLink, now: datetime) -> None:
    if link.revoked_at is not None:
        raise LinkGone(link, "been revoked")
    if not link.is_usable(now):
        raise LinkGone(link, "expired")


@transaction.atomic
def patient_score_add(
    *,
    link: DiaryLink,
    minutes_after: int,
    score: int,
    patient_reported_relief_percent: int | None = None,
    now: datetime | None = None,
) -> PainScore:
    """The patient answers one time point through the link; a late answer is kept and marked."""
    now = now or timezone.now()
    procedure = _locked(link.procedure)
    link = DiaryLink.objects.select_for_update().get(pk=link.pk)
    link.procedure = procedure
    _ensure_usable(link, now)
    points = diary.time_points(procedure.anesthetic)
    refusal = diary.entry_refusal(
        minutes_after,
        points=points,
        done=answered_points(procedure),
        performed_at=procedure.performed_at,
        now=now,
    )
    if refusal == "not_in_schedule":
        raise ValidationError(
            {
                "minutes_after": (
                    f"{minutes_after} is not a time point of this diary; "
                    f"choose one of {', '.join(map(str, points))}."
                )
            }
        )
    if refusal == "answered":
        raise DiaryConflict("answered", "This time point has already been answered.")
    if refusal == "too_early":
        due = diary.due_at(procedure.performed_at, minutes_after)
        raise DiaryConflict(
            "too_early",
            f"This time point is not due yet; it can be answered from "
            f"{timezone.localtime(due - diary.EARLY_LIMIT):%H:%M}.",
        )
    pain_score = PainScore(
        procedure=procedure,
        minutes_after=minutes_after,
        score=score,
        patient_reported_relief_percent=patient_reported_relief_percent,
        source=PATIENT,
        diary_link=link,
        recorded_at=now,
        late=diary.is_late(
            minutes_after, points=points, performed_at=procedure.performed_at, entered_at=now
        ),
    )
    clean_record(pain_score, held=["procedure", "diary_link", "recorded_by"])
    pain_score.save()
    refresh_block(procedure, locked=True)
    return pain_score
