"""The contract's diary-link endpoints: staff make and revoke a link; the patient, with only the
token, reads the diary and answers its time points (API_CONTRACT v1.1 "The patient's diary")."""

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from blocks.models import DiaryLink, PainScore, token_hash
from reports.models import BlockReading

pytestmark = pytest.mark.django_db

BUPIVACAINE_POINTS = [15, 30, 60, 120, 180, 240, 300, 360, 480, 600]


def _link_url(block):
    return f"/api/procedures/{block.pk}/diary-link/"


def test_staff_make_a_link_and_see_its_token_and_url_once(staff_client, block):
    response = staff_client.post(_link_url(block), format="json")

    assert response.status_code == 201
    body = response.json()
    token = body["token"]
    assert body["url"] == f"http://testserver/diary/{token}/"
    assert response["Cache-Control"] == "no-store"
    link = DiaryLink.objects.get(procedure=block)
    assert link.token_hash == token_hash(token)
    assert not DiaryLink.objects.filter(token_hash=token).exists()
    assert [p["minutes_after"] for p in body["time_points"]] == BUPIVACAINE_POINTS
    assert [p["answered"] for p in body["time_points"][:3]] == [True, True, False]
    first_due = dt.datetime.fromisoformat(body["time_points"][0]["due_at"])
    assert first_due == block.performed_at + dt.timedelta(minutes=15)
    assert dt.datetime.fromisoformat(body["expires_at"]) == block.diary_closes_at


@override_settings(TRACKER_PATIENT_BASE_URL="https://diary.clinic.example/")
def test_the_link_is_built_on_the_configured_patient_address(staff_client, block):
    body = staff_client.post(_link_url(block), format="json").json()
    assert body["url"] == f"https://diary.clinic.example/diary/{body['token']}/"


def test_a_new_link_revokes_the_old_one_and_revoke_withdraws_it(
    staff_client, patient_client, block
):
    old = staff_client.post(_link_url(block), format="json").json()["token"]
    new = staff_client.post(_link_url(block), format="json").json()["token"]

    assert patient_client.get(f"/api/diary/{old}/").status_code == 410
    assert patient_client.get(f"/api/diary/{new}/").status_code == 200

    revoked = staff_client.post(f"{_link_url(block)}revoke/", format="json")
    assert revoked.status_code == 204
    assert patient_client.get(f"/api/diary/{new}/").status_code == 410


def test_quality_may_not_make_a_link(quality_client, block):
    assert quality_client.post(_link_url(block), format="json").status_code == 403
    assert not DiaryLink.objects.exists()


def test_a_block_without_anaesthetic_gets_a_400_naming_the_procedure(
    staff_client, episode, physician_user
):
    from tests.factories import record_block

    plain = record_block(
        episode=episode, performed_by=physician_user, anesthetic="none", anesthetic_volume_ml=None
    )
    response = staff_client.post(_link_url(plain), format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["procedure"]


def test_a_closed_diary_gets_a_409(staff_client, episode, physician_user):
    from tests.factories import record_block

    old = record_block(episode=episode, performed_by=physician_user, minutes_ago=60 * 13)
    response = staff_client.post(_link_url(old), format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "diary_not_open"


def test_the_patient_reads_the_diary_without_anything_that_names_them(patient_client, token, block):
    patient = block.episode.patient
    response = patient_client.get(f"/api/diary/{token}/")

    assert response.status_code == 200
    body = response.json()
    assert (body["kind"], body["side"], body["levels"]) == (
        "medial_branch_block",
        "right",
        ["L4-L5", "L5-S1"],
    )
    assert body["block"].startswith("Right lower back, nerve block, ")
    assert body["next_due"] == 60
    text = response.content.decode()
    for identifier in (patient.mrn, str(patient.birth_date), "mrn", "birth"):
        assert identifier not in text
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "no-referrer"


def test_the_patient_answers_a_point_once_and_the_procedure_shows_it(
    patient_client, staff_client, token, block
):
    url = f"/api/diary/{token}/scores/"
    answer = patient_client.post(
        url,
        {"minutes_after": 60, "score": 2, "patient_reported_relief_percent": 80},
        format="json",
    )

    assert answer.status_code == 201
    assert answer.json()["late"] is False
    assert answer.json()["score"] == 2
    again = patient_client.post(url, {"minutes_after": 60, "score": 3}, format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "answered"
    scores = staff_client.get(f"/api/procedures/{block.pk}/").json()["pain_scores"]
    patient_scores = [s for s in scores if s["source"] == "patient"]
    assert [(s["minutes_after"], s["score"], s["late"]) for s in patient_scores] == [(60, 2, False)]
    reading = BlockReading.objects.get(procedure=block, profile="cms-2021")
    assert reading.diary_points == 3


def test_a_minute_off_the_schedule_is_a_400_and_too_early_a_409(patient_client, token):
    url = f"/api/diary/{token}/scores/"
    off = patient_client.post(url, {"minutes_after": 45, "score": 2}, format="json")
    assert off.status_code == 400
    assert list(off.json()) == ["minutes_after"]

    early = patient_client.post(url, {"minutes_after": 120, "score": 2}, format="json")
    assert early.status_code == 409
    assert early.json()["code"] == "too_early"
    assert not PainScore.objects.filter(source="patient").exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"minutes_after": 60, "score": 11}, "score"),
        ({"minutes_after": 60, "score": "2"}, "score"),
        ({"minutes_after": 60}, "score"),
        ({"minutes_after": 60, "score": 2, "patient_reported_relief_percent": 101}, None),
    ],
)
def test_a_bad_score_is_a_400_naming_the_field(patient_client, token, body, field):
    response = patient_client.post(f"/api/diary/{token}/scores/", body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field or "patient_reported_relief_percent"]
    assert not PainScore.objects.filter(source="patient").exists()


def test_an_answer_after_the_next_point_was_due_is_kept_and_marked_late(
    patient_client, staff_user, episode, physician_user
):
    from blocks import services
    from tests.factories import record_block

    block = record_block(episode=episode, performed_by=physician_user, minutes_ago=130)
    _, token = services.diary_link_create(procedure=block, created_by=staff_user)
    answer = patient_client.post(
        f"/api/diary/{token}/scores/", {"minutes_after": 60, "score": 2}, format="json"
    )
    assert answer.status_code == 201
    assert answer.json()["late"] is True
    assert PainScore.objects.get(procedure=block, source="patient").late is True


def test_an_expired_link_is_410_and_an_unknown_token_404(patient_client, link_and_token):
    link, token = link_and_token
    DiaryLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert patient_client.get(f"/api/diary/{token}/").status_code == 410
    late = patient_client.post(
        f"/api/diary/{token}/scores/", {"minutes_after": 60, "score": 2}, format="json"
    )
    assert late.status_code == 410
    assert patient_client.get(f"/api/diary/{'x' * 43}/").status_code == 404
    assert not PainScore.objects.filter(source="patient").exists()


def test_a_session_or_api_token_is_not_needed_and_not_used(staff_client, token):
    """A signed-in staff member's request to the token endpoint is read as the patient's."""
    response = staff_client.post(
        f"/api/diary/{token}/scores/", {"minutes_after": 60, "score": 4}, format="json"
    )
    assert response.status_code == 201
    score = PainScore.objects.get(source="patient")
    assert score.recorded_by is None


@override_settings(TRACKER_DIARY_RATE="3/minute")
def test_the_token_endpoints_are_throttled_per_client_address(patient_client, token):
    statuses = [patient_client.get(f"/api/diary/{token}/").status_code for _ in range(3)]
    refused = patient_client.get(f"/api/diary/{'y' * 43}/")

    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
