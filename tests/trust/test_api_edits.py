"""PATCH on patients, episodes and procedures: `version` required, 409 on a stale one."""

import pytest

from blocks.models import Procedure
from tests.factories import EpisodeFactory, PatientFactory


def patch(client, url, body):
    return client.patch(url, body, format="json")


def test_it_saves_an_edit_and_returns_the_new_version(staff_client, procedure):
    response = patch(
        staff_client, f"/api/procedures/{procedure.pk}/", {"version": 1, "pre_pain": 6}
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["pre_pain"], body["version"]) == (6, 2)
    assert body["interpretation"]["relief_percent"] == pytest.approx(83.3)


def test_a_stale_edit_gets_409_with_the_current_record_and_nothing_is_overwritten(
    staff_client, physician_client, procedure
):
    url = f"/api/procedures/{procedure.pk}/"
    assert patch(physician_client, url, {"version": 1, "pre_pain": 5}).status_code == 200

    response = patch(staff_client, url, {"version": 1, "pre_pain": 9, "side": "left"})

    assert response.status_code == 409
    body = response.json()
    assert "dr.pat" in body["detail"]
    assert "nothing was overwritten" in body["detail"]
    assert body["current"]["version"] == 2
    assert body["current"]["pre_pain"] == 5
    assert body["current"]["interpretation"]["profile"] == "cms-2021"
    stored = Procedure.objects.get(pk=procedure.pk)
    assert (stored.pre_pain, stored.side, stored.version) == (5, "right", 2)


def test_the_version_is_required(staff_client, procedure):
    response = patch(staff_client, f"/api/procedures/{procedure.pk}/", {"pre_pain": 6})

    assert response.status_code == 400
    assert "version" in response.json()


@pytest.mark.parametrize(
    "change, field",
    [
        ({"levels": ["C5-C6"]}, "levels"),
        ({"kind": "transforaminal_epidural"}, "levels"),
        ({"pre_pain": 11}, "pre_pain"),
        ({"pre_pain": None}, "pre_pain"),
        ({"anesthetic": "none"}, "anesthetic_volume_ml"),
        ({"kind": "provocation_discography", "intent": "therapeutic"}, "intent"),
        ({"contrast_used": True}, "contrast_flow_confirmed"),
        ({"side": "up"}, "side"),
        ({"performed_at": "yesterday"}, "performed_at"),
    ],
)
def test_it_validates_an_edit_as_it_validates_a_new_record(staff_client, procedure, change, field):
    response = patch(staff_client, f"/api/procedures/{procedure.pk}/", {"version": 1, **change})

    assert response.status_code == 400, response.json()
    assert field in response.json()
    assert Procedure.objects.get(pk=procedure.pk).version == 1


def test_quality_may_not_edit(quality_client, procedure):
    response = patch(quality_client, f"/api/procedures/{procedure.pk}/", {"version": 1})

    assert response.status_code == 403


def test_anonymous_gets_401(anon_client, procedure):
    response = patch(anon_client, f"/api/procedures/{procedure.pk}/", {"version": 1})

    assert response.status_code == 401


def test_a_missing_record_is_404(staff_client, db):
    response = patch(staff_client, "/api/procedures/999999/", {"version": 1})

    assert response.status_code == 404


@pytest.mark.parametrize("method", ["put", "delete"])
def test_put_and_delete_stay_refused(staff_client, superuser_client, procedure, method):
    for client in (staff_client, superuser_client):
        for url in (
            f"/api/procedures/{procedure.pk}/",
            f"/api/episodes/{procedure.episode_id}/",
            f"/api/patients/{procedure.episode.patient_id}/",
        ):
            assert getattr(client, method)(url, {}, format="json").status_code == 405


def test_a_patient_edit_is_versioned(staff_client, staff_user):
    patient = PatientFactory(mrn="A1001")
    url = f"/api/patients/{patient.pk}/"

    first = patch(staff_client, url, {"version": 1, "birth_date": "1960-01-31"})
    stale = patch(staff_client, url, {"version": 1, "sex": "male"})

    assert first.status_code == 200
    assert first.json()["version"] == 2
    assert stale.status_code == 409
    assert stale.json()["current"]["birth_date"] == "1960-01-31"


def test_a_patient_edit_refuses_a_taken_mrn(staff_client):
    PatientFactory(mrn="A1001")
    patient = PatientFactory(mrn="A1002")

    response = patch(staff_client, f"/api/patients/{patient.pk}/", {"version": 1, "mrn": "A1001"})

    assert response.status_code == 400
    assert "mrn" in response.json()


def test_an_episode_edit_is_versioned(physician_client):
    episode = EpisodeFactory()
    url = f"/api/episodes/{episode.pk}/"

    first = patch(physician_client, url, {"version": 1, "surgery_considered": True})
    stale = patch(physician_client, url, {"version": 1, "side": "left"})

    assert first.status_code == 200
    assert (first.json()["surgery_considered"], first.json()["version"]) == (True, 2)
    assert stale.status_code == 409
    assert stale.json()["current"]["side"] == "right"


def test_an_episode_cannot_move_away_from_its_procedures_levels(staff_client, procedure):
    response = patch(
        staff_client, f"/api/episodes/{procedure.episode_id}/", {"version": 1, "region": "cervical"}
    )

    assert response.status_code == 400
    assert "region" in response.json()
