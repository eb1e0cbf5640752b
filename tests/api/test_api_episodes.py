"""/api/episodes/: open an episode of care, list by patient or MRN, retrieve."""

import pytest

from blocks.models import Episode
from tests.factories import EpisodeFactory, PatientFactory, ProcedureFactory

URL = "/api/episodes/"


@pytest.fixture
def patient(db):
    return PatientFactory(mrn="A1001")


def test_it_opens_an_episode(staff_client, staff_user, patient):
    body = {
        "patient": patient.pk,
        "region": "lumbar",
        "side": "right",
        "pain_pattern": "axial",
        "surgery_considered": False,
    }

    response = staff_client.post(URL, body, format="json")

    assert response.status_code == 201, response.data
    episode = Episode.objects.get(pk=response.json()["id"])
    assert episode.created_by == staff_user
    assert response.json()["mrn"] == "A1001"
    assert response.json()["procedures"] == []
    assert response.json()["conservative_care_weeks"] is None


def test_it_takes_the_optional_fields(staff_client, patient):
    body = {
        "patient": patient.pk,
        "region": "cervical",
        "side": "left",
        "pain_pattern": "radicular",
        "conservative_care_weeks": 6,
        "opened_at": "2026-01-05T08:00:00Z",
    }

    response = staff_client.post(URL, body, format="json")

    assert response.status_code == 201
    assert response.json()["conservative_care_weeks"] == 6
    assert response.json()["opened_at"].startswith("2026-01-05T08:00:00")
    assert response.json()["surgery_considered"] is False


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"patient": 999999}, "patient"),
        ({"region": "sacral"}, "region"),
        ({"side": "both"}, "side"),
        ({"pain_pattern": "mixed"}, "pain_pattern"),
        ({"surgery_considered": "no"}, "surgery_considered"),
        ({"conservative_care_weeks": -1}, "conservative_care_weeks"),
        ({"conservative_care_weeks": 10**12}, "conservative_care_weeks"),
    ],
)
def test_it_refuses_bad_episode_fields(staff_client, patient, changes, field):
    body = {"patient": patient.pk, "region": "lumbar", "side": "right", "pain_pattern": "axial"}

    response = staff_client.post(URL, {**body, **changes}, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert Episode.objects.count() == 0


def test_it_refuses_an_episode_for_a_patient_entered_in_error(staff_client, patient):
    staff_client.post(f"/api/patients/{patient.pk}/entered-in-error/", {"reason": "dup"})
    body = {"patient": patient.pk, "region": "lumbar", "side": "right", "pain_pattern": "axial"}

    response = staff_client.post(URL, body, format="json")

    assert response.status_code == 409
    assert response.json()["entered_in_error"] == {"record": "patient", "id": patient.pk}
    assert Episode.objects.count() == 0


def test_it_lists_episodes_by_patient_and_by_mrn(staff_client, patient):
    mine = EpisodeFactory(patient=patient)
    EpisodeFactory()

    by_patient = staff_client.get(f"{URL}?patient={patient.pk}").json()
    by_mrn = staff_client.get(f"{URL}?mrn=A1001").json()

    assert [e["id"] for e in by_patient["results"]] == [mine.pk]
    assert [e["id"] for e in by_mrn["results"]] == [mine.pk]


def test_it_refuses_a_patient_filter_that_is_not_a_number(staff_client):
    response = staff_client.get(f"{URL}?patient=abc")

    assert response.status_code == 400
    assert "patient" in response.json()


def test_it_shows_the_episodes_standing_procedures(staff_client, episode):
    first = ProcedureFactory(episode=episode)
    second = ProcedureFactory(episode=episode, performed_at="2026-03-20T09:00:00Z")
    ProcedureFactory(
        episode=episode,
        entered_in_error=True,
        entered_in_error_reason="wrong patient",
        entered_in_error_at="2026-03-21T09:00:00Z",
    )

    response = staff_client.get(f"{URL}{episode.pk}/")

    assert response.status_code == 200
    procedures = response.json()["procedures"]
    assert [p["id"] for p in procedures] == [first.pk, second.pk]
    assert procedures[0]["kind"] == "medial_branch_block"
    assert procedures[0]["levels"] == ["L4-L5", "L5-S1"]
