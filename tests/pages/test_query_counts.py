"""The worklist and the episode page cost the same number of queries for 1 row as for 200."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    BASE_TIME,
    EpisodeFactory,
    PainScoreFactory,
    ProcedureFactory,
)

pytestmark = pytest.mark.django_db


def add_blocks(episode, performer, count: int, *, start: int = 0) -> None:
    for day in range(start, start + count):
        procedure = ProcedureFactory(
            episode=episode,
            performed_by=performer,
            performed_at=BASE_TIME + dt.timedelta(days=day),
        )
        PainScoreFactory(procedure=procedure, minutes_after=30, score=1)
        PainScoreFactory(procedure=procedure, minutes_after=90, score=1)


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_worklist_costs_the_same_for_1_and_200_episodes(physician, physician_user, staff_user):
    from reports.store.readings import refresh_all

    # The factories write around the services: store the readings as the write path would.
    add_blocks(EpisodeFactory(created_by=staff_user), physician_user, 1)
    refresh_all()
    physician.get("/worklist/")  # the first view after signing in notes the time in the session
    one = queries(physician, "/worklist/")
    for _ in range(199):
        add_blocks(EpisodeFactory(created_by=staff_user), physician_user, 1)
    refresh_all()
    # The first view after new episodes asks once whether every episode is read (then
    # remembers the answer: reports.store.worklist.refresh_unread), as the first view above.
    physician.get("/worklist/")
    many = queries(physician, "/worklist/")
    assert many == one
    # sign-in 4, the store 4, the page's episodes 5 (procedures, scores, discs, follow-ups:
    # rfa.repeat reads them), the physicians, and the procedures awaiting a physician's
    # override (issue 11)
    assert one <= 15


def test_the_episode_page_costs_the_same_for_1_and_200_procedures(
    physician, physician_user, episode
):
    add_blocks(episode, physician_user, 1)
    one = queries(physician, f"/episodes/{episode.pk}/")
    add_blocks(episode, physician_user, 199, start=1)
    many = queries(physician, f"/episodes/{episode.pk}/")
    assert many == one
    assert one <= 15


def test_the_patient_list_and_page_cost_the_same_for_1_and_many_rows(staff, staff_user):
    first = EpisodeFactory(created_by=staff_user)
    one_list = queries(staff, "/patients/")
    one_page = queries(staff, f"/patients/{first.patient_id}/")
    for _ in range(30):
        EpisodeFactory(created_by=staff_user)
        EpisodeFactory(created_by=staff_user, patient=first.patient)
    assert queries(staff, "/patients/") == one_list
    assert queries(staff, f"/patients/{first.patient_id}/") == one_page
