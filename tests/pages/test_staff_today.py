"""Staff's home, "Today" (issue 11): the day's blocks, overdue diaries, blocks without scores."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from blocks.views.today import day_bounds
from tests.factories import EpisodeFactory, PainScoreFactory, PatientFactory, ProcedureFactory

pytestmark = pytest.mark.django_db


def moments():
    """A moment earlier today, one yesterday and one three days ago, on the clinic's clock."""
    now = timezone.now()
    start, _ = day_bounds(timezone.localdate(now), timezone.get_current_timezone())
    return (
        max(start, now - dt.timedelta(hours=1)),
        start - dt.timedelta(hours=1),
        start - dt.timedelta(days=3),
    )


def a_block(staff_user, at, **fields):
    patient = PatientFactory(given_name="Ada", family_name=f"Lovelace{at:%d%H%M%S%f}")
    episode = EpisodeFactory(patient=patient, created_by=staff_user)
    return ProcedureFactory(episode=episode, performed_at=at, **fields)


def test_staff_land_on_today(staff):
    response = staff.get("/")
    assert response["Location"] == "/today/"


def test_today_and_yesterday_list_their_blocks_with_the_diary_state(staff, staff_user):
    today, yesterday, earlier = moments()
    fresh = a_block(staff_user, today)
    old = a_block(staff_user, yesterday)
    a_block(staff_user, earlier)
    page = staff.get("/today/").content.decode()
    todays, rest = page.split("Yesterday's blocks")
    yesterdays = rest.split("Overdue diaries to chase")[0]
    assert fresh.episode.patient.name in todays and old.episode.patient.name not in todays
    assert old.episode.patient.name in yesterdays
    assert ">Open</span>" in todays  # a lidocaine diary stays open 6 hours after the block
    assert ">Overdue: call the patient</span>" in yesterdays
    assert f'href="/procedures/{fresh.pk}/diary/"' in todays


def test_the_overdue_diaries_show_the_missing_time_points(staff, staff_user):
    _, _, earlier = moments()
    late = a_block(staff_user, earlier)
    PainScoreFactory(procedure=late, minutes_after=15, score=2)
    page = staff.get("/today/").content.decode()
    overdue = page.split("Overdue diaries to chase")[1].split("Blocks awaiting scores")[0]
    assert late.episode.patient.mrn in overdue
    local = timezone.localtime(earlier + dt.timedelta(minutes=30))
    assert f"{local:%H:%M} (30 min)" in overdue
    assert "(15 min)" not in overdue  # answered
    assert f'href="/procedures/{late.pk}/diary/"' in overdue


def test_blocks_awaiting_scores_are_those_without_one(staff, staff_user):
    today, yesterday, _ = moments()
    scored = a_block(staff_user, today)
    PainScoreFactory(procedure=scored, minutes_after=15)
    waiting = a_block(staff_user, yesterday)
    page = staff.get("/today/").content.decode()
    awaiting = page.split("Blocks awaiting scores")[1]
    assert '<span class="sub">1</span>' in awaiting.split("</h2>")[0]
    assert waiting.episode.patient.mrn in awaiting
    assert scored.episode.patient.mrn not in awaiting


def test_marked_records_are_left_out(staff, staff_user):
    today, _, _ = moments()
    marked = a_block(staff_user, today)
    marked.entered_in_error = True
    marked.entered_in_error_reason = "Wrong patient"
    marked.entered_in_error_at = timezone.now()
    marked.save()
    assert marked.episode.patient.mrn not in staff.get("/today/").content.decode()


def queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/today/").status_code == 200
    return len(captured.captured_queries)


def test_today_costs_the_same_for_a_few_blocks_and_many(staff, staff_user):
    today, yesterday, earlier = moments()
    for at in (today, yesterday, earlier):
        a_block(staff_user, at)
    few = queries(staff)
    for _ in range(12):
        for at in (today, yesterday, earlier):
            block = a_block(staff_user, at)
            PainScoreFactory(procedure=block, minutes_after=15)
        a_block(staff_user, earlier)
    assert queries(staff) == few
    assert few <= 24  # sign-in and session, then ids and rows of each of the four lists
