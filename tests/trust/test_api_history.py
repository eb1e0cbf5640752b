"""GET /api/{procedures,patients,episodes}/{id}/history/: who changed what, when, from, to."""

import pytest

from blocks import services
from tests.factories import EpisodeFactory, PatientFactory


def entries(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.json()
    return response.json()["entries"]


def test_it_shows_who_changed_which_field_from_what_to_what(
    staff_client, physician_client, procedure
):
    staff_client.patch(
        f"/api/procedures/{procedure.pk}/", {"version": 1, "pre_pain": 6}, format="json"
    )

    history = entries(physician_client, f"/api/procedures/{procedure.pk}/history/")

    newest = history[0]
    assert newest["record"] == "procedure"
    assert newest["action"] == "changed"
    assert newest["by"] == "sam.staff"
    assert newest["version"] == 2
    assert {"field": "pre_pain", "from": 7, "to": 6} in newest["changes"]
    assert {"field": "version", "from": 1, "to": 2} in newest["changes"]
    assert newest["at"]


def test_it_includes_the_history_of_scores_screening_and_complications(
    staff_client, quality_client, procedure
):
    base = f"/api/procedures/{procedure.pk}"
    staff_client.post(f"{base}/pain-scores/", {"minutes_after": 240, "score": 3}, format="json")
    staff_client.post(
        f"{base}/complications/", {"code": "vasovagal", "severity": "mild"}, format="json"
    )

    history = entries(quality_client, f"{base}/history/")

    labels = [(entry["record"], entry["label"], entry["action"]) for entry in history]
    assert ("complication", "Complication vasovagal", "created") in labels
    assert ("pain_score", "Pain score at 240 min", "created") in labels
    assert ("pain_score", "Pain score at 30 min", "created") in labels
    assert ("screening", "Screening", "created") in labels
    assert ("procedure", f"Procedure {procedure.pk}", "created") in labels
    assert history[0]["record"] == "complication"  # newest first
    created = next(e for e in history if e["label"] == "Pain score at 240 min")
    assert {"field": "score", "from": None, "to": 3} in created["changes"]
    assert {"field": "recorded_by", "from": None, "to": "sam.staff"} in created["changes"]


def test_it_shows_marking_in_error_with_its_reason(staff_client, physician_client, procedure):
    staff_client.post(
        f"/api/procedures/{procedure.pk}/entered-in-error/",
        {"reason": "Wrong patient"},
        format="json",
    )

    newest = entries(physician_client, f"/api/procedures/{procedure.pk}/history/")[0]

    assert {"field": "entered_in_error", "from": False, "to": True} in newest["changes"]
    assert {"field": "entered_in_error_reason", "from": "", "to": "Wrong patient"} in newest[
        "changes"
    ]


def test_patient_and_episode_history(staff_user, physician_client):
    patient = PatientFactory(mrn="A1001")
    episode = EpisodeFactory(patient=patient)
    services.patient_update(patient=patient, expected_version=1, updated_by=staff_user, sex="male")
    services.episode_update(
        episode=episode, expected_version=1, updated_by=staff_user, surgery_considered=True
    )

    patient_entries = entries(physician_client, f"/api/patients/{patient.pk}/history/")
    episode_entries = entries(physician_client, f"/api/episodes/{episode.pk}/history/")

    assert {"field": "sex", "from": "female", "to": "male"} in patient_entries[0]["changes"]
    assert patient_entries[-1]["action"] == "created"
    assert {"field": "surgery_considered", "from": False, "to": True} in episode_entries[0][
        "changes"
    ]


@pytest.mark.parametrize("kind", ["procedures", "patients", "episodes"])
def test_staff_may_not_read_history_and_anonymous_gets_401(
    staff_client, anon_client, superuser_client, procedure, kind
):
    pk = {
        "procedures": procedure.pk,
        "patients": procedure.episode.patient_id,
        "episodes": procedure.episode_id,
    }[kind]
    url = f"/api/{kind}/{pk}/history/"

    assert staff_client.get(url).status_code == 403
    assert anon_client.get(url).status_code == 401
    assert superuser_client.get(url).status_code == 200
    assert superuser_client.get(f"/api/{kind}/999999/history/").status_code == 404
