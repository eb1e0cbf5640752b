"""Pages cost a fixed number of queries, however many rows they show."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import (
    ComplicationFactory,
    DiscInjectionFactory,
    EpisodeFactory,
    PainScoreFactory,
    ProcedureFactory,
)


@pytest.fixture
def token_client(staff_user):
    """Token auth loads the user afresh on every request, as in production."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=staff_user).key}")
    return client


def make_procedures(count: int, staff_user) -> None:
    """Procedures spread over several patients, each with scores and a complication."""
    episode = None
    for n in range(count):
        if n % 3 == 0:
            episode = EpisodeFactory(created_by=staff_user)
        procedure = ProcedureFactory(
            episode=episode, performed_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(n)
        )
        PainScoreFactory(procedure=procedure, minutes_after=30)
        PainScoreFactory(procedure=procedure, minutes_after=120)
        ComplicationFactory(procedure=procedure)
        if n % 5 == 0:
            DiscInjectionFactory(procedure__episode=episode)


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(context.captured_queries)


@pytest.mark.parametrize("url", ["/api/procedures/", "/api/episodes/", "/api/patients/"])
def test_it_lists_one_or_fifty_rows_with_the_same_queries(token_client, staff_user, url):
    make_procedures(1, staff_user)
    one = queries_for(token_client, url)

    make_procedures(49, staff_user)
    many = queries_for(token_client, url)

    assert many == one


def test_it_reads_next_steps_with_the_same_queries_for_one_or_many_blocks(token_client, staff_user):
    episode = EpisodeFactory(created_by=staff_user)
    ProcedureFactory(episode=episode)
    one = queries_for(token_client, f"/api/episodes/{episode.pk}/next-steps/")

    for day in range(2, 20):
        procedure = ProcedureFactory(
            episode=episode, performed_at=dt.datetime(2026, 1, day, tzinfo=dt.UTC)
        )
        PainScoreFactory(procedure=procedure, minutes_after=30)
    many = queries_for(token_client, f"/api/episodes/{episode.pk}/next-steps/")

    assert many == one


def test_it_lists_procedures_in_a_handful_of_queries(token_client, staff_user):
    make_procedures(10, staff_user)

    # token and user, the user's groups, count, the page's ids, its rows, 4 prefetches (scores,
    # discs, complications, follow-ups), the patients' history
    assert queries_for(token_client, "/api/procedures/") <= 10


@pytest.mark.parametrize("url", ["/api/procedures/", "/api/episodes/", "/api/patients/"])
def test_a_late_page_costs_the_queries_of_the_first_and_keeps_the_order(
    token_client, staff_user, url
):
    make_procedures(36, staff_user)  # 12 episodes and patients, 36 procedures and more
    everything = token_client.get(url, {"page_size": 200}).json()["results"]
    assert len(everything) >= 12

    first = queries_for(token_client, f"{url}?page_size=4&page=1")
    last_page = -(-len(everything) // 4)
    late = queries_for(token_client, f"{url}?page_size=4&page={last_page}")
    body = token_client.get(url, {"page_size": 4, "page": 2}).json()

    assert late == first
    assert body["count"] == len(everything)
    assert body["results"] == everything[4:8]
    assert "page=3" in body["next"]
