"""Adding diary scores and complications after the procedure."""

import pytest

from blocks.models import Complication, PainScore
from tests.factories import PainScoreFactory, ProcedureFactory


@pytest.fixture
def procedure(episode):
    return ProcedureFactory(episode=episode)


def scores_url(procedure):
    return f"/api/procedures/{procedure.pk}/pain-scores/"


def complications_url(procedure):
    return f"/api/procedures/{procedure.pk}/complications/"


def test_it_adds_a_diary_score(staff_client, staff_user, procedure):
    response = staff_client.post(
        scores_url(procedure), {"minutes_after": 240, "score": 3}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["minutes_after"] == 240
    assert response.json()["patient_reported_relief_percent"] is None
    assert PainScore.objects.get().recorded_by == staff_user


def test_it_lists_diary_scores_in_time_order(staff_client, procedure):
    PainScoreFactory(procedure=procedure, minutes_after=240, score=3)
    PainScoreFactory(procedure=procedure, minutes_after=30, score=1)

    response = staff_client.get(scores_url(procedure))

    assert [s["minutes_after"] for s in response.json()] == [30, 240]


def test_it_refuses_a_second_score_at_the_same_minute(staff_client, procedure):
    PainScoreFactory(procedure=procedure, minutes_after=30)

    response = staff_client.post(
        scores_url(procedure), {"minutes_after": 30, "score": 2}, format="json"
    )

    assert response.status_code == 400
    assert "minutes_after" in response.json()
    assert PainScore.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"minutes_after": -1, "score": 3}, "minutes_after"),
        ({"minutes_after": 30, "score": 11}, "score"),
        ({"minutes_after": 30, "score": 3.5}, "score"),
        ({"minutes_after": 30, "score": "3"}, "score"),
        ({"minutes_after": 30, "score": False}, "score"),
        ({"minutes_after": 30, "score": 3, "patient_reported_relief_percent": 120}, None),
        ({"score": 3}, "minutes_after"),
    ],
)
def test_it_refuses_a_bad_diary_score(staff_client, procedure, body, field):
    response = staff_client.post(scores_url(procedure), body, format="json")

    assert response.status_code == 400
    assert (field or "patient_reported_relief_percent") in response.json()
    assert PainScore.objects.count() == 0


def test_it_refuses_a_score_for_a_procedure_entered_in_error(staff_client, procedure):
    staff_client.post(f"/api/procedures/{procedure.pk}/entered-in-error/", {"reason": "dup"})

    response = staff_client.post(
        scores_url(procedure), {"minutes_after": 30, "score": 2}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["entered_in_error"] == {"record": "procedure", "id": procedure.pk}
    assert procedure.pain_scores.count() == 0


def test_it_answers_404_for_scores_of_a_missing_procedure(staff_client, db):
    assert staff_client.get("/api/procedures/999999/pain-scores/").status_code == 404


def test_it_adds_a_complication(staff_client, staff_user, procedure):
    body = {"code": "spinal_headache", "severity": "mild", "onset_days": 1}

    response = staff_client.post(complications_url(procedure), body, format="json")

    assert response.status_code == 201
    assert response.json()["code"] == "spinal_headache"
    assert response.json()["is_serious"] is False
    assert response.json()["notes"] == ""
    assert Complication.objects.get().recorded_by == staff_user


def test_it_marks_serious_complications(staff_client, procedure):
    body = {"code": "infection", "severity": "severe", "onset_days": 4, "notes": "Abscess"}

    response = staff_client.post(complications_url(procedure), body, format="json")

    assert response.json()["is_serious"] is True


def test_it_lists_complications_and_shows_them_on_the_procedure(staff_client, procedure):
    body = {"code": "vasovagal", "severity": "mild", "onset_days": 0}
    staff_client.post(complications_url(procedure), body, format="json")

    listed = staff_client.get(complications_url(procedure)).json()
    record = staff_client.get(f"/api/procedures/{procedure.pk}/").json()

    assert [c["code"] for c in listed] == ["vasovagal"]
    assert [c["code"] for c in record["complications"]] == ["vasovagal"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"code": "headache", "severity": "mild"}, "code"),
        ({"code": "bleeding", "severity": "fatal"}, "severity"),
        ({"code": "bleeding", "severity": "mild", "onset_days": -2}, "onset_days"),
        ({"code": "bleeding", "severity": "mild", "onset_days": "2"}, "onset_days"),
        ({"code": "bleeding", "severity": "mild", "notes": 5}, "notes"),
        ({"severity": "mild"}, "code"),
    ],
)
def test_it_refuses_a_bad_complication(staff_client, procedure, body, field):
    response = staff_client.post(complications_url(procedure), body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert Complication.objects.count() == 0
