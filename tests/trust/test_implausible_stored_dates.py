"""A row with an implausible date already in the database must not break any page.

Such rows can no longer be written (the models' clean() refuses them), but a database
from before that rule, or a bulk import, may hold one. The rules and reports do date
arithmetic on every block (365 days back for the frequency limits, months for the
reports), which overflowed on year 1 or 9999 and made the pages answer 500 for everyone.
"""

import datetime as dt

import pytest

from blocks.models import Procedure
from tests.factories import PainScoreFactory, ProcedureFactory

EXTREMES = [
    dt.datetime(1, 1, 1, tzinfo=dt.UTC),
    dt.datetime(9999, 12, 31, 23, 0, tzinfo=dt.UTC),
]


@pytest.fixture(params=EXTREMES, ids=["year-1", "year-9999"])
def stored_extreme(request, staff_user):
    """Two blocks of one episode, one of them moved to an extreme date behind the models' back."""
    normal = ProcedureFactory(episode__created_by=staff_user)
    PainScoreFactory(procedure=normal, minutes_after=30, score=1)
    extreme = ProcedureFactory(episode=normal.episode, performed_by=staff_user)
    PainScoreFactory(procedure=extreme, minutes_after=30, score=1)
    Procedure.objects.filter(pk=extreme.pk).update(performed_at=request.param)
    return extreme


def test_pages_and_api_still_answer_with_an_extreme_date_stored(
    staff_client, physician_user, stored_extreme
):
    episode = stored_extreme.episode
    from django.test import Client

    pages = Client()
    pages.force_login(physician_user)

    for url in (
        f"/api/episodes/{episode.pk}/next-steps/",
        f"/api/procedures/{stored_extreme.pk}/",
        "/api/procedures/",
    ):
        assert staff_client.get(url).status_code == 200, url
    for url in (
        "/worklist/",
        f"/episodes/{episode.pk}/",
        "/reports/",
        f"/patients/{episode.patient_id}/",
    ):
        assert pages.get(url).status_code == 200, url
