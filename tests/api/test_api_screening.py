"""Contraindication screening on POST /api/procedures/: hard stops and who may override."""

import pytest

from blocks.models import Procedure, Screening

URL = "/api/procedures/"


def test_it_refuses_a_hard_stop_without_override(staff_client, procedure_body):
    body = procedure_body(contraindications=["anticoagulant_not_held"])

    response = staff_client.post(URL, body, format="json")

    assert response.status_code == 400
    [message] = response.json()["contraindications"]
    assert message.startswith("Hard stop: anticoagulant_not_held — ")
    assert message == (
        "Hard stop: anticoagulant_not_held — Anticoagulant not held for its required time. "
        "A physician must record an override reason. "
        "Rule screening.hard-stop.anticoagulant-not-held."
    )
    assert Procedure.objects.count() == 0


def test_it_names_every_hard_stop(physician_client, procedure_body):
    codes = ["skin_infection_at_site", "bleeding_disorder", "pregnancy"]

    response = physician_client.post(URL, procedure_body(contraindications=codes), format="json")

    assert response.status_code == 400
    messages = response.json()["contraindications"]
    assert len(messages) == 2
    assert "skin_infection_at_site" in messages[0]
    assert "bleeding_disorder" in messages[1]


def test_it_refuses_a_staff_override(staff_client, procedure_body):
    body = procedure_body(
        contraindications=["anticoagulant_not_held"], override_reason="INR checked, 1.1"
    )

    response = staff_client.post(URL, body, format="json")

    assert response.status_code == 400
    assert "anticoagulant_not_held" in response.json()["contraindications"][0]
    assert response.json()["override_reason"] == ["Only a physician may override a hard stop."]
    assert Procedure.objects.count() == 0


def test_it_refuses_a_physician_without_a_reason(physician_client, procedure_body):
    body = procedure_body(contraindications=["systemic_infection"], override_reason="   ")

    response = physician_client.post(URL, body, format="json")

    assert response.status_code == 400
    assert "systemic_infection" in response.json()["contraindications"][0]
    assert "override_reason" not in response.json()


def test_it_lets_a_physician_override_and_records_who(
    physician_client, physician_user, procedure_body
):
    body = procedure_body(
        contraindications=["anticoagulant_not_held"], override_reason="INR checked, 1.1"
    )

    response = physician_client.post(URL, body, format="json")

    assert response.status_code == 201, response.data
    screening = response.json()["screening"]
    assert screening["hard_stops"] == ["anticoagulant_not_held"]
    assert screening["override_reason"] == "INR checked, 1.1"
    assert screening["overridden_by"] == physician_user.pk
    assert screening["overridden_at"] is not None
    stored = Screening.objects.get()
    assert stored.overridden_by == physician_user


def test_it_lets_a_superuser_override(superuser_client, superuser, procedure_body):
    body = procedure_body(contraindications=["anesthetic_allergy"], override_reason="Test dose")

    response = superuser_client.post(URL, body, format="json")

    assert response.status_code == 201
    assert response.json()["screening"]["overridden_by"] == superuser.pk


@pytest.mark.parametrize(
    ("code", "changes"),
    [
        ("contrast_allergy", {"contrast_used": True}),
        ("steroid_allergy", {"steroid": "dexamethasone", "steroid_dose_mg": 4}),
    ],
)
def test_it_stops_on_a_conditional_hard_stop_when_it_applies(
    staff_client, procedure_body, code, changes
):
    response = staff_client.post(
        URL, procedure_body(contraindications=[code], **changes), format="json"
    )

    assert response.status_code == 400
    assert code in response.json()["contraindications"][0]


@pytest.mark.parametrize(
    ("code", "changes"),
    [
        ("contrast_allergy", {"contrast_used": False, "contrast_flow_confirmed": False}),
        ("steroid_allergy", {"steroid": "none"}),
    ],
)
def test_it_records_a_conditional_contraindication_that_does_not_apply(
    staff_client, procedure_body, code, changes
):
    response = staff_client.post(
        URL, procedure_body(contraindications=[code], **changes), format="json"
    )

    assert response.status_code == 201, response.data
    assert response.json()["screening"]["hard_stops"] == []


def test_it_stores_an_override_reason_without_a_hard_stop(staff_client, procedure_body):
    body = procedure_body(contraindications=[], override_reason="Discussed with patient")

    response = staff_client.post(URL, body, format="json")

    assert response.status_code == 201
    screening = response.json()["screening"]
    assert screening["override_reason"] == "Discussed with patient"
    assert screening["overridden_by"] is None


def test_it_warns_of_blood_sugar_when_a_diabetic_gets_a_steroid(staff_client, procedure_body):
    body = procedure_body(
        contraindications=["uncontrolled_diabetes"], steroid="dexamethasone", steroid_dose_mg=4
    )

    response = staff_client.post(URL, body, format="json")

    assert response.status_code == 201
    warnings = response.json()["screening"]["warnings"]
    assert warnings == ["uncontrolled_diabetes", "steroid_raises_blood_sugar"]
    assert "steroid_raises_blood_sugar" in response.json()["interpretation"]["warnings"]


def test_it_stores_repeated_codes_once(staff_client, procedure_body):
    body = procedure_body(contraindications=["pregnancy", "pregnancy"])

    response = staff_client.post(URL, body, format="json")

    assert response.status_code == 201
    assert Screening.objects.get().contraindications == ["pregnancy"]
