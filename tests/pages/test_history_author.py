"""The audit trail names the signed-in user who saved; "performed by" is a clinical field."""

import pytest

from blocks.models import Procedure
from tests.pages.conftest import procedure_post

pytestmark = pytest.mark.django_db


def test_staff_logging_a_physicians_block_are_named_in_every_history_row(
    staff, episode, physician_user, staff_user
):
    response = staff.post(
        f"/episodes/{episode.pk}/procedures/new/", procedure_post(performed_by=physician_user)
    )
    assert response.status_code == 302
    procedure = Procedure.objects.get()

    assert procedure.performed_by == physician_user
    assert [h.history_user for h in procedure.history.all()] == [staff_user]
    assert [h.history_user for h in procedure.screening.history.all()] == [staff_user]
    scores = list(procedure.pain_scores.all())
    assert len(scores) == 4
    assert {s.recorded_by for s in scores} == {staff_user}
    assert {h.history_user for s in scores for h in s.history.all()} == {staff_user}
