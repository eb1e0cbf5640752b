"""GET and POST /api/episodes/{id}/decisions/: every clinical role reads, physicians decide."""

import pytest
from rest_framework.test import APIClient

from blocks.models import Decision

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def body(**changes) -> dict:
    data = {
        "code": "confirmatory_block",
        "levels": ["L5-S1", "L4-L5"],
        "side": "right",
        "status": "accepted",
    }
    data.update(changes)
    return data


def url(episode) -> str:
    return f"/api/episodes/{episode.pk}/decisions/"


def test_a_physician_accepts_a_current_suggestion(episode, block, physician_user):
    first = block()
    response = api(physician_user).post(url(episode), body(), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["code"] == "confirmatory_block"
    assert data["levels"] == ["L4-L5", "L5-S1"]
    assert data["based_on"] == [first.pk]
    assert data["status"] == "accepted"
    assert data["decided_by"] == physician_user.pk
    assert data["decided_by_username"] == "dr.pat"
    assert data["profile"] == "cms-2021"
    assert data["rule"] == "mbb.confirmatory-block"
    assert len(data["fingerprint"]) == 40


@pytest.mark.parametrize("persona", ["staff_user", "physician_user", "quality_user"])
def test_every_clinical_role_reads_the_decisions(request, episode, block, physician_user, persona):
    block()
    api(physician_user).post(url(episode), body(), format="json")
    response = api(request.getfixturevalue(persona)).get(url(episode))
    assert response.status_code == 200
    assert [d["status"] for d in response.json()] == ["accepted"]


@pytest.mark.parametrize("persona", ["staff_user", "quality_user", "nobody_user"])
def test_other_roles_may_not_decide(request, episode, block, persona):
    block()
    response = api(request.getfixturevalue(persona)).post(url(episode), body(), format="json")
    assert response.status_code == 403
    assert not Decision.objects.exists()


def test_without_credentials_it_is_401(episode):
    assert api().get(url(episode)).status_code == 401
    assert api().post(url(episode), body(), format="json").status_code == 401


def test_a_suggestion_that_is_not_current_is_a_400(episode, block, physician_user):
    block()
    response = api(physician_user).post(
        url(episode), body(code="radiofrequency_ablation"), format="json"
    )
    assert response.status_code == 400
    assert "not among the episode's current suggestions" in response.json()["code"][0]


def test_declining_without_a_reason_is_a_400(episode, block, physician_user):
    block()
    response = api(physician_user).post(url(episode), body(status="declined"), format="json")
    assert response.status_code == 400
    assert response.json() == {"reason": ["Give a reason for declining."]}


def test_declining_with_a_reason_is_stored(episode, block, physician_user):
    block()
    response = api(physician_user).post(
        url(episode), body(status="declined", reason="Wants surgery opinion first"), format="json"
    )
    assert response.status_code == 201
    assert Decision.objects.get().reason == "Wants surgery opinion first"


def test_the_same_suggestion_is_decided_once(episode, block, physician_user):
    block()
    client = api(physician_user)
    client.post(url(episode), body(), format="json")
    response = client.post(url(episode), body(), format="json")
    assert response.status_code == 400
    assert "already accepted" in response.json()["non_field_errors"][0]


def test_unknown_codes_and_profiles_are_400s(episode, block, physician_user):
    block()
    client = api(physician_user)
    assert client.post(url(episode), body(code="nope"), format="json").status_code == 400
    assert client.post(url(episode), body(levels=["X9"]), format="json").status_code == 400
    response = client.post(url(episode), body(profile="nope"), format="json")
    assert response.status_code == 400
    assert "profile" in response.json()


def test_the_profile_decides_which_suggestions_are_current(episode, block, physician_user):
    block()
    # Under asra-2020 one positive block is enough for RFA; under cms-2021 it is not.
    response = api(physician_user).post(
        url(episode), body(code="radiofrequency_ablation", profile="asra-2020"), format="json"
    )
    assert response.status_code == 201
    assert response.json()["profile"] == "asra-2020"


def test_an_unknown_episode_is_a_404(physician_user, db):
    assert api(physician_user).get("/api/episodes/999999/decisions/").status_code == 404
    response = api(physician_user).post("/api/episodes/999999/decisions/", body(), format="json")
    assert response.status_code == 404


def test_an_entered_in_error_episode_takes_no_decision(episode, block, physician_user):
    from blocks.services import mark_entered_in_error

    block()
    mark_entered_in_error(record=episode, reason="wrong patient", user=physician_user)
    response = api(physician_user).post(url(episode), body(), format="json")
    assert response.status_code == 409
    assert response.json()["entered_in_error"] == {"record": "episode", "id": episode.pk}


def test_the_service_refuses_a_non_physician(episode, block, staff_user):
    from django.core.exceptions import PermissionDenied

    from blocks.services import decision_record

    block()
    with pytest.raises(PermissionDenied):
        decision_record(
            episode=episode,
            code="confirmatory_block",
            side="right",
            levels=["L4-L5", "L5-S1"],
            status="accepted",
            decided_by=staff_user,
            profile="cms-2021",
        )
