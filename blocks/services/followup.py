"""Follow-ups after a treatment and the patient's follow-up link (CLINICAL_RULES section 10).

Staff record a follow-up on a scheduled point or any day from 1 to 730 (a phone call when the
pain returns); a patient answers the scheduled points due through a link, as with the diary.
Every write is atomic, keeps its history and re-reads the episode's suggestions (rfa.repeat
reads follow-ups). Refusals: ValidationError naming the field (400), FollowUpConflict (409),
LinkGone (410, shared with the diary).
"""

from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from blocks.models import FollowUp, FollowUpLink, Procedure, new_token, token_hash
from blocks.models.checks import clean_record
from blocks.models.findings import PATIENT, STAFF
from blocks.rules import followup as rules
from blocks.rules import get_profile
from blocks.services.diary import LinkGone
from blocks.services.readings import refresh_block
from blocks.services.records import ensure_standing, mark_entered_in_error
from blocks.services.updates import UNSET, StaleVersion


class FollowUpConflict(Exception):
    """Understood but refused by the follow-up's state (a 409): `answered`, `nothing_due`."""

    def __init__(self, code: str, message: str):
        self.code = code
        super().__init__(message)


def _profile():
    from django.conf import settings

    return get_profile(settings.TRACKER_GUIDELINE_PROFILE)


def _locked(procedure: Procedure) -> Procedure:
    procedure = (
        Procedure.objects.select_for_update()
        .select_related("episode__patient")
        .get(pk=procedure.pk)
    )
    ensure_standing(procedure)
    return procedure


def ensure_treatment(procedure: Procedure) -> None:
    if not procedure.is_treatment():
        raise ValidationError(
            {
                "procedure": (
                    "Follow-up is recorded after a treatment (an RFA or a therapeutic "
                    "injection), not after a diagnostic block."
                )
            }
        )


def treated_on(procedure: Procedure) -> date:
    return timezone.localtime(procedure.performed_at).date()


def standing(procedure: Procedure) -> list[FollowUp]:
    return list(procedure.follow_ups.active().order_by("days_after"))


def schedule_of(procedure: Procedure, today: date | None = None, follow_ups=None):
    """The scheduled points with their state (answered, upcoming, due, overdue)."""
    today = today or timezone.localdate()
    follow_ups = standing(procedure) if follow_ups is None else follow_ups
    days = [f.days_after for f in follow_ups]
    return rules.schedule(treated_on(procedure), today, days, _profile())


def due_points(procedure: Procedure, today: date | None = None, follow_ups=None) -> list[int]:
    return [p for p, state in schedule_of(procedure, today, follow_ups) if state == rules.DUE]


# --- values ---------------------------------------------------------------------------


def _checked(days_after=UNSET, pain=UNSET, pgic=UNSET, medication_change=UNSET) -> None:
    """Each value in its range, refused with a message naming the field (a 400)."""
    errors = {}
    if days_after is not UNSET and not (
        isinstance(days_after, int) and rules.FIRST_DAY <= days_after <= rules.LAST_DAY
    ):
        errors["days_after"] = "Days after the treatment must be a whole number from 1 to 730."
    if pain is not UNSET and not (isinstance(pain, int) and 0 <= pain <= 10):
        errors["pain"] = "Index pain is a whole number from 0 to 10."
    if pgic is not UNSET and pgic is not None and not (isinstance(pgic, int) and 1 <= pgic <= 7):
        errors["pgic"] = "PGIC is 1 (very much worse) to 7 (very much improved)."
    if medication_change not in (UNSET, None, "", *rules.MEDICATION_CHANGES):
        errors["medication_change"] = "Medication change is less, same or more."
    if errors:
        raise ValidationError(errors)


def _taken(procedure: Procedure, days_after: int, *, but=None) -> None:
    rows = procedure.follow_ups.active().filter(days_after=days_after)
    if but is not None:
        rows = rows.exclude(pk=but.pk)
    if rows.exists():
        raise FollowUpConflict(
            "answered", f"This treatment already has a follow-up at {days_after} days."
        )


def _not_in_future(procedure: Procedure, days_after: int, now: datetime) -> None:
    if treated_on(procedure) + timedelta(days=days_after) > timezone.localtime(now).date():
        raise ValidationError(
            {"days_after": f"Day {days_after} after the treatment has not come yet."}
        )


# --- staff -----------------------------------------------------------------------------


@transaction.atomic
def follow_up_add(
    *,
    procedure: Procedure,
    days_after: int,
    pain: int,
    pgic: int | None = None,
    medication_change: str | None = "",
    recorded_by,
    now: datetime | None = None,
) -> FollowUp:
    """Staff record one follow-up (a scheduled point or an unscheduled day)."""
    now = now or timezone.now()
    procedure = _locked(procedure)
    ensure_treatment(procedure)
    _checked(days_after, pain, pgic, medication_change)
    _not_in_future(procedure, days_after, now)
    _taken(procedure, days_after)
    follow_up = FollowUp(
        procedure=procedure,
        days_after=days_after,
        pain=pain,
        pgic=pgic,
        medication_change=medication_change or "",
        source=STAFF,
        recorded_by=recorded_by,
        recorded_at=now,
    )
    clean_record(follow_up, held=["procedure", "recorded_by", "follow_up_link"])
    follow_up._history_user = recorded_by
    follow_up.save()
    refresh_block(procedure, locked=True)
    return follow_up


@transaction.atomic
def follow_up_correct(
    *,
    follow_up: FollowUp,
    expected_version: int,
    corrected_by,
    days_after: int = UNSET,
    pain: int = UNSET,
    pgic: int | None = UNSET,
    medication_change: str | None = UNSET,
) -> FollowUp:
    """Correct one follow-up in place; its history keeps what it was. StaleVersion when it
    changed since `expected_version` was read."""
    procedure = _locked(follow_up.procedure)
    current = FollowUp.objects.get(pk=follow_up.pk, procedure=procedure)
    if current.entered_in_error:
        raise ValidationError("This follow-up was entered in error: it cannot be corrected.")
    if current.version != expected_version:
        raise StaleVersion(current, expected_version=expected_version)
    _checked(days_after, pain, pgic, medication_change)
    changes = {
        name: ("" if name == "medication_change" and value is None else value)
        for name, value in (
            ("days_after", days_after),
            ("pain", pain),
            ("pgic", pgic),
            ("medication_change", medication_change),
        )
        if value is not UNSET
    }
    changes = {k: v for k, v in changes.items() if getattr(current, k) != v}
    if not changes:
        return current
    if "days_after" in changes:
        _not_in_future(procedure, changes["days_after"], timezone.now())
        _taken(procedure, changes["days_after"], but=current)
    claimed = FollowUp.objects.filter(pk=current.pk, version=expected_version).update(
        version=F("version") + 1
    )
    current = FollowUp.objects.get(pk=current.pk)
    if not claimed:
        raise StaleVersion(current, expected_version=expected_version)
    for name, value in changes.items():
        setattr(current, name, value)
    clean_record(current, held=["procedure", "recorded_by", "follow_up_link"])
    current._history_user = corrected_by
    current.save()
    refresh_block(procedure, locked=True)
    return current


@transaction.atomic
def follow_up_mark_entered_in_error(
    *, follow_up: FollowUp, reason: str, user, expected_version: int | None = None
) -> FollowUp:
    """Withdraw a follow-up: kept, flagged with who, when and why, read by nothing."""
    procedure = _locked(follow_up.procedure)
    current = FollowUp.objects.get(pk=follow_up.pk, procedure=procedure)
    if expected_version is not None and current.version != expected_version:
        raise StaleVersion(current, expected_version=expected_version)
    marked = mark_entered_in_error(record=current, reason=reason, user=user, refresh=False)
    refresh_block(procedure, locked=True)
    return marked


# --- the patient's link ----------------------------------------------------------------


def _end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


@transaction.atomic
def follow_up_link_create(
    *,
    procedure: Procedure,
    created_by=None,
    now: datetime | None = None,
    resend: bool = False,
) -> tuple[FollowUpLink, str]:
    """A link for the scheduled points now due (revoking the previous link), and its token,
    shown once. 400 for a diagnostic block; FollowUpConflict when no point is due."""
    now = now or timezone.now()
    procedure = _locked(procedure)
    ensure_treatment(procedure)
    points = due_points(procedure, timezone.localtime(now).date())
    if not points:
        raise FollowUpConflict("nothing_due", "No follow-up point of this treatment is due now.")
    _revoke(procedure, created_by, now)
    token = new_token()
    link = FollowUpLink(
        procedure=procedure,
        token_hash=token_hash(token),
        points=points,
        created_by=created_by,
        created_at=now,
        expires_at=_end_of(rules.link_expires_on(treated_on(procedure), points)),
        resend=resend,
    )
    link.save()
    return link, token


def _revoke(procedure: Procedure, user, now: datetime) -> int:
    return (
        FollowUpLink.objects.standing()
        .filter(procedure=procedure)
        .update(revoked_at=now, revoked_by=user)
    )


@transaction.atomic
def follow_up_link_revoke(*, procedure: Procedure, revoked_by, now=None) -> int:
    procedure = _locked(procedure)
    return _revoke(procedure, revoked_by, now or timezone.now())


def link_for_token(token: str, *, now: datetime | None = None) -> FollowUpLink:
    """The usable link of this token: DoesNotExist when unknown, LinkGone when revoked or
    expired."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        raise FollowUpLink.DoesNotExist
    link = FollowUpLink.objects.select_related("procedure__episode__patient").get(
        token_hash=token_hash(token)
    )
    _ensure_usable(link, now or timezone.now())
    return link


def _ensure_usable(link: FollowUpLink, now: datetime) -> None:
    if link.revoked_at is not None:
        raise LinkGone(link, "been revoked")
    if not link.is_usable(now):
        raise LinkGone(link, "expired")


def link_points(link: FollowUpLink, follow_ups=None) -> list[dict]:
    """The link's points with their due date and whether they are answered."""
    procedure = link.procedure
    days = [f.days_after for f in (standing(procedure) if follow_ups is None else follow_ups)]
    on = treated_on(procedure)
    return [
        {
            "days_after": point,
            "due_on": rules.due_on(on, point),
            "answered": rules.answers(point, days),
        }
        for point in link.points
    ]


@transaction.atomic
def patient_answer_add(
    *,
    link: FollowUpLink,
    days_after: int,
    pain: int,
    pgic: int | None = None,
    medication_change: str | None = "",
    now: datetime | None = None,
) -> FollowUp:
    """The patient answers one of the link's points."""
    now = now or timezone.now()
    procedure = _locked(link.procedure)
    link = FollowUpLink.objects.select_for_update().get(pk=link.pk)
    link.procedure = procedure
    _ensure_usable(link, now)
    if days_after not in link.points:
        raise ValidationError(
            {
                "days_after": (
                    f"{days_after} is not a follow-up point of this link; choose "
                    f"{', '.join(map(str, link.points))}."
                )
            }
        )
    _checked(UNSET, pain, pgic, medication_change)
    if rules.answers(days_after, [f.days_after for f in standing(procedure)]):
        raise FollowUpConflict("answered", "This follow-up has already been answered.")
    follow_up = FollowUp(
        procedure=procedure,
        days_after=days_after,
        pain=pain,
        pgic=pgic,
        medication_change=medication_change or "",
        source=PATIENT,
        follow_up_link=link,
        recorded_at=now,
    )
    clean_record(follow_up, held=["procedure", "recorded_by", "follow_up_link"])
    follow_up.save()
    refresh_block(procedure, locked=True)
    return follow_up
