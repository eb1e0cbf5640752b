"""Who may do what: 401 without credentials, 403 for a role that may not, 405 for deletes."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from blocks.models import Procedure
from tests.factories import ProcedureFactory


@pytest.fixture
def procedure(episode):
    return ProcedureFactory(episode=episode)


def read_urls(procedure):
    episode = procedure.episode
    return [
        "/api/patients/",
        f"/api/patients/{episode.patient_id}/",
        "/api/episodes/",
        f"/api/episodes/{episode.pk}/",
        f"/api/episodes/{episode.pk}/next-steps/",
        "/api/procedures/",
        f"/api/procedures/{procedure.pk}/",
        f"/api/procedures/{procedure.pk}/pain-scores/",
        f"/api/procedures/{procedure.pk}/complications/",
        "/api/profiles/",
        "/api/profiles/cms-2021/",
    ]


def writes(procedure, procedure_body):
    episode = procedure.episode
    return [
        ("/api/patients/", {"mrn": "NEW1", "birth_date": "1970-01-01", "sex": "male"}),
        (
            "/api/episodes/",
            {
                "patient": episode.patient_id,
                "region": "lumbar",
                "side": "left",
                "pain_pattern": "radicular",
            },
        ),
        ("/api/procedures/", procedure_body()),
        (f"/api/procedures/{procedure.pk}/pain-scores/", {"minutes_after": 240, "score": 3}),
        (
            f"/api/procedures/{procedure.pk}/complications/",
            {"code": "spinal_headache", "severity": "mild", "onset_days": 1},
        ),
        (f"/api/procedures/{procedure.pk}/entered-in-error/", {"reason": "wrong side"}),
        (f"/api/episodes/{episode.pk}/entered-in-error/", {"reason": "wrong complaint"}),
        (f"/api/patients/{episode.patient_id}/entered-in-error/", {"reason": "duplicate"}),
    ]


def test_it_refuses_anonymous_reads_with_401(anon_client, procedure):
    for url in read_urls(procedure):
        response = anon_client.get(url)
        assert response.status_code == 401, url
        assert response["WWW-Authenticate"] == "Token", url


def test_it_refuses_anonymous_writes_with_401(anon_client, procedure, procedure_body):
    for url, body in writes(procedure, procedure_body):
        assert anon_client.post(url, body, format="json").status_code == 401, url
    assert Procedure.objects.count() == 1


def test_it_refuses_a_user_in_no_clinic_group(nobody_client, procedure, procedure_body):
    for url in read_urls(procedure):
        assert nobody_client.get(url).status_code == 403, url
    for url, body in writes(procedure, procedure_body):
        assert nobody_client.post(url, body, format="json").status_code == 403, url


def test_it_lets_quality_read_everything(quality_client, procedure):
    for url in read_urls(procedure):
        assert quality_client.get(url).status_code == 200, url


def test_it_refuses_every_quality_write(quality_client, procedure, procedure_body):
    for url, body in writes(procedure, procedure_body):
        assert quality_client.post(url, body, format="json").status_code == 403, url
    procedure.refresh_from_db()
    assert Procedure.objects.count() == 1
    assert not procedure.entered_in_error
    assert not procedure.pain_scores.exists()


@pytest.mark.parametrize("persona", ["staff_client", "physician_client", "superuser_client"])
def test_it_lets_clinicians_read_and_write(request, persona, procedure, procedure_body):
    client = request.getfixturevalue(persona)
    for url in read_urls(procedure):
        assert client.get(url).status_code == 200, url
    for url, body in writes(procedure, procedure_body):
        response = client.post(url, body, format="json")
        assert response.status_code in (200, 201), (url, response.data)


def test_it_has_no_delete_or_replace_anywhere(superuser_client, procedure):
    # Edits are PATCH with a version (issue 5, tests/trust); only the three records take one.
    editable = {
        f"/api/patients/{procedure.episode.patient_id}/",
        f"/api/episodes/{procedure.episode_id}/",
        f"/api/procedures/{procedure.pk}/",
    }
    for url in read_urls(procedure):
        for method in ("delete", "put") if url in editable else ("delete", "put", "patch"):
            response = getattr(superuser_client, method)(url, {}, format="json")
            assert response.status_code == 405, (method, url)
    assert Procedure.objects.count() == 1


def test_it_accepts_a_token(staff_user, procedure):
    token = Token.objects.create(user=staff_user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    assert client.get("/api/procedures/").status_code == 200


def test_it_refuses_a_bad_token_with_401(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-key")

    assert client.get("/api/procedures/").status_code == 401


def test_it_refuses_an_inactive_user(staff_user, procedure):
    staff_user.is_active = False
    staff_user.save()
    client = APIClient()
    client.force_authenticate(staff_user)

    assert client.get("/api/procedures/").status_code == 403


def test_it_serves_the_schema_and_docs_without_credentials(anon_client):
    assert anon_client.get("/api/schema/").status_code == 200
    assert anon_client.get("/api/docs/").status_code == 200
