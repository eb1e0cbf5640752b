"""A hard stop found by staff for a procedure already done, saved as awaiting override.

API_CONTRACT v1.1: `"awaiting_override": true` → 201; the procedure is stored, read by no
rule and no report, listed for physicians until one PATCHes the override reason.
"""

import pytest

from blocks import selectors
from blocks.models import Procedure
from reports.models import BlockReading

URL = "/api/procedures/"
HARD_STOP = ["anticoagulant_not_held"]

pytestmark = pytest.mark.django_db


@pytest.fixture
def awaiting(staff_client, procedure_body, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            URL, procedure_body(contraindications=HARD_STOP, awaiting_override=True), format="json"
        )
    assert response.status_code == 201, response.json()
    return response.json()


def test_staff_save_a_hard_stop_as_awaiting_override(awaiting):
    assert awaiting["awaiting_override"] is True
    assert awaiting["screening"]["override_reason"] == ""
    stored = Procedure.objects.get(pk=awaiting["id"])
    assert stored.awaiting_override and stored.screening.overridden_by is None


def test_it_is_read_by_nothing(awaiting, staff_client, episode):
    assert not Procedure.objects.active().filter(pk=awaiting["id"]).exists()
    assert not Procedure.objects.counted().filter(pk=awaiting["id"]).exists()
    assert not BlockReading.objects.filter(procedure_id=awaiting["id"]).exists()
    steps = staff_client.get(f"/api/episodes/{episode.pk}/next-steps/").json()
    assert all(awaiting["id"] not in s["based_on"] for s in steps["suggestions"])
    diaries = staff_client.get("/api/diaries/").json()["results"]
    assert awaiting["id"] not in [d["procedure"] for d in diaries]
    assert [p.pk for p in selectors.awaiting_override_procedures()] == [awaiting["id"]]


def test_without_a_hard_stop_there_is_nothing_to_await(staff_client, procedure_body):
    response = staff_client.post(URL, procedure_body(awaiting_override=True), format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["awaiting_override"]
    assert not Procedure.objects.exists()


def test_awaiting_override_must_be_a_boolean(staff_client, procedure_body):
    body = procedure_body(contraindications=HARD_STOP, awaiting_override="yes")
    response = staff_client.post(URL, body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["awaiting_override"]


def test_the_physician_records_the_reason_and_then_it_counts(
    awaiting, physician_client, physician_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = physician_client.patch(
            f"{URL}{awaiting['id']}/",
            {"version": awaiting["version"], "override_reason": "INR checked, 1.1"},
            format="json",
        )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["awaiting_override"] is False
    assert body["version"] == awaiting["version"] + 1
    assert body["screening"]["override_reason"] == "INR checked, 1.1"
    procedure = Procedure.objects.get(pk=awaiting["id"])
    assert procedure.screening.overridden_by == physician_user
    assert Procedure.objects.counted().filter(pk=procedure.pk).exists()
    assert BlockReading.objects.filter(procedure=procedure).exists()
    assert selectors.awaiting_override_procedures() == []
    # The history keeps the awaiting version.
    assert list(
        procedure.history.order_by("history_id").values_list("awaiting_override", flat=True)
    ) == [True, False]


def test_staff_may_not_record_the_override(awaiting, staff_client):
    response = staff_client.patch(
        f"{URL}{awaiting['id']}/",
        {"version": awaiting["version"], "override_reason": "Looked fine"},
        format="json",
    )
    assert response.status_code == 400
    assert "override_reason" in response.json()
    assert Procedure.objects.get(pk=awaiting["id"]).awaiting_override


def test_a_stale_version_is_a_409(awaiting, physician_client):
    response = physician_client.patch(
        f"{URL}{awaiting['id']}/",
        {"version": awaiting["version"] + 5, "override_reason": "INR checked"},
        format="json",
    )
    assert response.status_code == 409
    assert Procedure.objects.get(pk=awaiting["id"]).awaiting_override
