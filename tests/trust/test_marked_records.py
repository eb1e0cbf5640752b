"""Entered in error covers everything beneath the record: nothing is added or changed under it.

API_CONTRACT v1.1 "Records": a write under a marked patient, episode or procedure is a 409 that
names the marked record, and nothing is stored.
"""

import pytest

from blocks.models import Complication, Episode, PainScore, Procedure

pytestmark = pytest.mark.django_db


def mark(client, noun, pk):
    response = client.post(f"/api/{noun}/{pk}/entered-in-error/", {"reason": "Wrong patient"})
    assert response.status_code == 200, response.json()


def assert_names(response, record: str, pk: int):
    assert response.status_code == 409, response.json()
    assert response.json()["entered_in_error"] == {"record": record, "id": pk}


def test_under_a_marked_patient_no_procedure_changes_and_nothing_is_added(staff_client, procedure):
    patient = procedure.episode.patient
    mark(staff_client, "patients", patient.pk)

    patch = staff_client.patch(
        f"/api/procedures/{procedure.pk}/", {"version": procedure.version, "pre_pain": 9}
    )
    score = staff_client.post(
        f"/api/procedures/{procedure.pk}/pain-scores/", {"minutes_after": 240, "score": 3}
    )
    complication = staff_client.post(
        f"/api/procedures/{procedure.pk}/complications/",
        {"code": "spinal_headache", "severity": "mild", "onset_days": 1},
    )
    episode_patch = staff_client.patch(
        f"/api/episodes/{procedure.episode_id}/",
        {"version": procedure.episode.version, "side": "left"},
    )
    new_episode = staff_client.post(
        "/api/episodes/",
        {"patient": patient.pk, "region": "lumbar", "side": "right", "pain_pattern": "axial"},
    )

    for response in (patch, score, complication, episode_patch, new_episode):
        assert_names(response, "patient", patient.pk)
    stored = Procedure.objects.get(pk=procedure.pk)
    assert (stored.pre_pain, stored.version) == (procedure.pre_pain, procedure.version)
    assert list(PainScore.objects.values_list("minutes_after", flat=True)) == [30]
    assert not Complication.objects.exists()
    assert Episode.objects.count() == 1
    assert Episode.objects.get().side == "right"


def test_under_a_marked_episode_no_score_is_added_and_the_procedure_stays(staff_client, procedure):
    mark(staff_client, "episodes", procedure.episode_id)

    score = staff_client.post(
        f"/api/procedures/{procedure.pk}/pain-scores/", {"minutes_after": 240, "score": 3}
    )
    patch = staff_client.patch(
        f"/api/procedures/{procedure.pk}/", {"version": procedure.version, "pre_pain": 9}
    )

    assert_names(score, "episode", procedure.episode_id)
    assert_names(patch, "episode", procedure.episode_id)
    assert PainScore.objects.count() == 1
    assert Procedure.objects.get(pk=procedure.pk).pre_pain == procedure.pre_pain


def test_a_marked_procedure_itself_takes_no_edit(staff_client, procedure):
    mark(staff_client, "procedures", procedure.pk)
    current = Procedure.objects.get(pk=procedure.pk)

    patch = staff_client.patch(
        f"/api/procedures/{procedure.pk}/", {"version": current.version, "pre_pain": 9}
    )

    assert_names(patch, "procedure", procedure.pk)
    assert patch.json()["current"]["pre_pain"] == procedure.pre_pain  # as under a stale version
    assert Procedure.objects.get(pk=procedure.pk).pre_pain == procedure.pre_pain


def test_the_diary_page_under_a_marked_patient_says_so_and_stores_nothing(
    staff_client, staff_user, procedure
):
    from django.test import Client

    mark(staff_client, "patients", procedure.episode.patient_id)
    page = Client()
    page.force_login(staff_user)

    response = page.post(
        f"/procedures/{procedure.pk}/pain-scores/new/", {"minutes_after": 240, "score": 3}
    )

    assert response.status_code == 200
    assert "entered in error" in response.content.decode()
    assert PainScore.objects.count() == 1
