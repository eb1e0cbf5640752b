"""Follow-up invitations that send themselves (CLINICAL_RULES section 10).

Jobs run on the tracker's own database (django-tasks with the django-tasks-db backend; the
worker is `manage.py db_worker`, started by `make run`). When a treatment is saved, one job per
scheduled point is enqueued to run when the point comes due (`run_after`) and one three days
later for the single re-send; `manage.py follow_up_sweep` enqueues again whatever a restart
lost. Every job is idempotent: it re-reads the treatment and sends only what is still owed,
so a job run twice, or a sweep beside a queued job, sends nothing twice.

The message names no diagnosis, no treatment and no patient: only the clinic's request and
the link. It goes by e-mail (Django's framework) and by text message (blocks/messaging.py) to
the patient's `email` and `phone`, where they are known.
"""

import logging
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend, task

from blocks.messaging import send_sms
from blocks.models import FollowUpLink, Procedure
from blocks.rules import followup as rules
from blocks.services import followup as service
from blocks.services.records import MarkedEnteredInError

logger = logging.getLogger(__name__)

SUBJECT = "A short question from your clinic"
BODY = (
    "Your clinic would like to know how you are since your treatment. It takes a minute: "
    "{url}\nThe link works until {until}. If you have questions, please call the clinic."
)
SEND_HOUR = 9  # invitations go out in the morning of the day a point comes due


def _at_morning(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(SEND_HOUR)))


def link_url(token: str) -> str:
    return settings.TRACKER_BASE_URL + reverse("follow-up-patient", args=[token])


def _sent_links(procedure: Procedure, point: int) -> list[FollowUpLink]:
    links = procedure.follow_up_links.filter(sent_at__isnull=False).order_by("sent_at", "id")
    return [link for link in links if point in link.points]


def owed(procedure: Procedure, point: int, now: datetime) -> str | None:
    """What the point is owed now: `send`, `resend` or nothing (None)."""
    state = dict(service.schedule_of(procedure, timezone.localtime(now).date())).get(point)
    if state != rules.DUE:
        return None  # answered, not yet due, or overdue (staff call; no more messages)
    sent = _sent_links(procedure, point)
    if not sent:
        return "send"
    if len(sent) == 1 and now - sent[0].sent_at >= timedelta(days=rules.RESEND_AFTER_DAYS):
        return "resend"
    return None


def _deliver(procedure: Procedure, url: str, until) -> str:
    patient = procedure.episode.patient
    body = BODY.format(url=url, until=f"{until:%d %B %Y}")
    channels = []
    if patient.email:
        send_mail(SUBJECT, body, None, [patient.email])
        channels.append("email")
    if patient.phone:
        send_sms(patient.phone, body)
        channels.append("sms")
    return "+".join(channels)


@task()
def send_follow_up_invitation(procedure_id: int, point: int) -> str:
    """Send (or re-send, once, after 3 days) the link for a point that is due and unanswered.

    Returns what was done: sent, resent, or why nothing was.
    """
    now = timezone.now()
    with transaction.atomic():
        procedure = (
            Procedure.objects.select_for_update()
            .select_related("episode__patient")
            .filter(pk=procedure_id)
            .first()
        )
        if procedure is None or not procedure.is_treatment():
            return "not a treatment"
        if procedure.entered_in_error or procedure.episode.entered_in_error:
            return "entered in error"
        what = owed(procedure, point, now)
        if what is None:
            return "nothing owed"
        patient = procedure.episode.patient
        if patient.entered_in_error or not (patient.email or patient.phone):
            return "no address"  # the staff home lists it: a phone call from the records
        try:
            link, token = service.follow_up_link_create(
                procedure=procedure, now=now, resend=what == "resend"
            )
        except (service.FollowUpConflict, MarkedEnteredInError):
            return "nothing due"
        link.sent_by = _deliver(procedure, link_url(token), timezone.localtime(link.expires_at))
        link.sent_at = now
        link.save(update_fields=["sent_by", "sent_at"])
    logger.info("Follow-up invitation %s for procedure %s, day %s.", what, procedure_id, point)
    return "resent" if what == "resend" else "sent"


def _backend_defers() -> bool:
    return bool(getattr(default_task_backend, "supports_defer", False))


def schedule_invitations(procedure: Procedure) -> int:
    """Enqueue the treatment's invitations for later: each point when it comes due and the
    re-send three days after. Nothing with a backend that cannot wait (tests run the sweep)."""
    if not procedure.is_treatment() or not _backend_defers():
        return 0
    on = service.treated_on(procedure)
    count = 0
    for point in service._profile().follow_up_days:
        low, _ = rules.window(point)
        for delay in (0, rules.RESEND_AFTER_DAYS):
            when = _at_morning(rules.due_on(on, low + delay))
            if when < timezone.now():
                continue  # already due: the sweep sends it
            send_follow_up_invitation.using(run_after=when).enqueue(procedure.pk, point)
            count += 1
    return count


def sweep(now: datetime | None = None) -> list[tuple[int, int]]:
    """Enqueue, now, an invitation job for every point due and owed a message.

    Re-run safely at any time (a cron entry or after a restart): each job re-checks.
    """
    from blocks.selectors import followups_due

    now = now or timezone.now()
    owed_now = []
    for item in followups_due(timezone.localtime(now).date(), states=(rules.DUE,)):
        if owed(item.procedure, item.days_after, now):
            owed_now.append((item.procedure.pk, item.days_after))
    for procedure_id, point in owed_now:
        send_follow_up_invitation.enqueue(procedure_id, point)
    return owed_now
