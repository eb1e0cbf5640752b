"""Invitations that send themselves: the job queue (immediate backend in tests), the sweep,
the single re-send after 3 days, nothing once overdue, and what the message says."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from blocks import messaging
from blocks.models import FollowUpLink
from blocks.tasks import send_follow_up_invitation, sweep
from tests.api.test_api_follow_ups import treatment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    settings.TRACKER_SMS_BACKEND = "blocks.messaging.LocmemSmsBackend"
    messaging.outbox.clear()
    return messaging.outbox


@pytest.fixture
def reachable(episode):
    patient = episode.patient
    patient.email, patient.phone = "pat@example.org", "+44 7700 900123"
    patient.save()
    return episode


def age(procedure, days):
    """Let `days` pass for this treatment: it and its links move back in time (the jobs read
    the real clock)."""
    from django.db.models import F

    from blocks.models import Procedure

    shift = dt.timedelta(days=days)
    Procedure.objects.filter(pk=procedure.pk).update(performed_at=F("performed_at") - shift)
    FollowUpLink.objects.filter(procedure=procedure).update(
        created_at=F("created_at") - shift,
        sent_at=F("sent_at") - shift,
        expires_at=F("expires_at") - shift,
    )


def test_the_sweep_sends_the_link_of_a_point_due_by_email_and_text(
    reachable, staff_user, sms_outbox
):
    rfa = treatment(reachable, staff_user, 31)
    assert sweep() == [(rfa.pk, 30)]
    (email,) = mail.outbox
    assert email.to == ["pat@example.org"]
    (sms,) = sms_outbox
    assert sms[0] == "+44 7700 900123"
    link = FollowUpLink.objects.get(procedure=rfa)
    assert (link.points, link.sent_by, link.resend) == ([30], "email+sms", False)
    assert "/follow-up/" in email.body and email.body == sms[1]


def test_the_message_carries_no_diagnosis_and_no_identifier(reachable, staff_user):
    treatment(reachable, staff_user, 31)
    sweep()
    body = mail.outbox[0].body.lower() + mail.outbox[0].subject.lower()
    # The link's random token may spell anything ("l4" included): read the words around it.
    body = re.sub(r"https?://\S+", "<link>", body)
    assert "<link>" in body
    patient = reachable.patient
    for word in ("ablation", "facet", "radiofrequency", "lumbar", "l4", patient.mrn.lower()):
        assert word not in body
    assert str(patient.birth_date.year) not in body


def test_a_second_sweep_sends_nothing_twice(reachable, staff_user):
    treatment(reachable, staff_user, 31)
    sweep()
    assert sweep() == []
    assert len(mail.outbox) == 1


def test_an_unanswered_point_is_sent_once_more_after_3_days_with_a_new_link(reachable, staff_user):
    rfa = treatment(reachable, staff_user, 28)  # the 30-day point is due from day 27
    assert sweep() == [(rfa.pk, 14), (rfa.pk, 30)]  # both due on day 28: one message
    assert len(mail.outbox) == 1
    age(rfa, 2)
    assert sweep() == []
    age(rfa, 1)
    assert sweep() == [(rfa.pk, 30)]  # day 31: 14 is overdue now, 30 is sent once more
    first, second = FollowUpLink.objects.filter(procedure=rfa).order_by("created_at")
    assert first.revoked_at is not None and second.revoked_at is None and second.resend
    assert (first.points, second.points) == ([14, 30], [30])
    age(rfa, 3)
    assert sweep() == []  # once only
    assert len(mail.outbox) == 2


def test_an_answered_point_and_an_overdue_point_get_no_message(reachable, staff_user):
    from blocks import services

    answered = treatment(reachable, staff_user, 31)
    services.followup.follow_up_add(
        procedure=answered, days_after=30, pain=2, recorded_by=staff_user
    )
    overdue = treatment(reachable, staff_user, 46)  # 30 days: window 27-44 has passed
    assert sweep() == []
    assert send_follow_up_invitation.call(overdue.pk, 30) == "nothing owed"
    assert mail.outbox == []


def test_a_patient_without_an_address_gets_nothing(episode, staff_user):
    rfa = treatment(episode, staff_user, 31)
    assert send_follow_up_invitation.call(rfa.pk, 30) == "no address"
    assert mail.outbox == [] and not FollowUpLink.objects.exists()


def test_the_sweep_command_says_what_it_enqueued(reachable, staff_user, capsys):
    treatment(reachable, staff_user, 31)
    call_command("follow_up_sweep")
    assert "1 follow-up invitation(s) enqueued." in capsys.readouterr().out


def test_saving_a_treatment_queues_its_invitations_on_the_database(
    reachable, staff_user, settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        rfa = treatment(reachable, staff_user, 0)
    jobs = list(DBTaskResult.objects.order_by("run_after", "id"))
    assert [job.args_kwargs["args"] for job in jobs] == [
        [rfa.pk, point] for point in (14, 14, 30, 30, 90, 90, 180, 180, 365, 365)
    ]
    first, resend = (timezone.localtime(job.run_after) for job in jobs[:2])
    treated = timezone.localtime(rfa.performed_at).date()
    assert ((first.date() - treated).days, first.hour) == (11, 9)  # 3 days before day 14
    assert (resend.date() - first.date()).days == 3
    assert mail.outbox == []  # nothing is sent before its day


def test_the_log_backend_masks_the_token(caplog, settings):
    settings.TRACKER_SMS_BACKEND = "blocks.messaging.LogSmsBackend"
    with caplog.at_level("INFO", logger="tracker.sms"):
        messaging.send_sms("+447700900123", "Answer here: http://x/follow-up/SECRETTOKEN123/")
    assert "SECRETTOKEN123" not in caplog.text
    assert "/follow-up/***/" in caplog.text and "…123" in caplog.text
