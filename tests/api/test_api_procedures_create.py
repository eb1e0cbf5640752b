"""POST /api/procedures/: a valid record is stored whole, with its interpretation."""

from blocks.models import DiscInjection, PainScore, Procedure, Screening

URL = "/api/procedures/"


def test_it_records_the_contract_example(staff_client, staff_user, procedure_body):
    response = staff_client.post(URL, procedure_body(), format="json")

    assert response.status_code == 201, response.data
    body = response.json()
    procedure = Procedure.objects.get(pk=body["id"])
    assert procedure.performed_by == staff_user
    assert procedure.levels == ["L4-L5", "L5-S1"]
    assert body["anesthetic_volume_ml"] == 0.5
    assert body["steroid_dose_mg"] is None
    assert body["pain_scores"][0]["minutes_after"] == 30
    assert body["pain_scores"][0]["patient_reported_relief_percent"] == 90
    assert body["screening"]["contraindications"] == ["uncontrolled_diabetes"]
    assert body["screening"]["hard_stops"] == []
    assert body["screening"]["warnings"] == ["uncontrolled_diabetes"]
    assert body["screening"]["overridden_by"] is None
    assert body["version"] == 1
    assert body["entered_in_error"] is False


def test_it_returns_the_interpretation_with_the_contract_fields(staff_client, procedure_body):
    response = staff_client.post(URL, procedure_body(), format="json")

    reading = response.json()["interpretation"]
    for field in (
        "profile",
        "relief_percent",
        "response",
        "validity",
        "duration_minutes",
        "duration_censored",
        "warnings",
        "warning_messages",
        "reasons",
        "discs",
        "counts_towards_treatment",
        "peak_minutes",
        "positive_threshold_percent",
    ):
        assert field in reading, field
    assert reading["profile"] == "cms-2021"
    assert isinstance(reading["relief_percent"], float)
    assert reading["relief_percent"] == round(reading["relief_percent"], 1)
    assert isinstance(reading["warnings"], list)
    assert "uncontrolled_diabetes" in reading["warnings"]


def test_it_interprets_under_the_profile_named_in_the_query(staff_client, procedure_body):
    response = staff_client.post(f"{URL}?profile=asra-2020", procedure_body(), format="json")

    assert response.status_code == 201
    assert response.json()["interpretation"]["profile"] == "asra-2020"


def test_it_refuses_an_unknown_profile_before_writing(staff_client, procedure_body):
    response = staff_client.post(f"{URL}?profile=nice-2099", procedure_body(), format="json")

    assert response.status_code == 400
    assert "profile" in response.json()
    assert Procedure.objects.count() == 0


def test_it_records_a_discography_with_its_discs(staff_client, discography_body):
    response = staff_client.post(URL, discography_body(), format="json")

    assert response.status_code == 201, response.data
    body = response.json()
    assert body["pre_pain"] is None
    assert {d["level"] for d in body["discs"]} == {"L3-L4", "L4-L5"}
    assert DiscInjection.objects.count() == 2
    readings = body["interpretation"]["discs"]
    assert {d["level"] for d in readings} == {"L3-L4", "L4-L5"}
    assert all({"level", "result", "reason"} <= set(d) for d in readings)


def test_it_defaults_the_optional_parts(staff_client, procedure_body):
    body = procedure_body(
        pain_scores=...,
        contraindications=...,
        override_reason=...,
        anesthetic_volume_ml=...,
        steroid_dose_mg=...,
    )

    response = staff_client.post(URL, body, format="json")

    assert response.status_code == 201, response.data
    assert response.json()["pain_scores"] == []
    assert response.json()["anesthetic_volume_ml"] is None
    assert Screening.objects.get().contraindications == []
    assert PainScore.objects.count() == 0


def test_it_defaults_flow_confirmation_to_false_without_contrast(staff_client, procedure_body):
    body = procedure_body(contrast_used=False, contrast_flow_confirmed=...)

    response = staff_client.post(URL, body, format="json")

    assert response.status_code == 201, response.data
    assert response.json()["contrast_flow_confirmed"] is False


def test_it_keeps_history_of_who_recorded_it(staff_client, staff_user, procedure_body):
    response = staff_client.post(URL, procedure_body(), format="json")

    procedure = Procedure.objects.get(pk=response.json()["id"])
    assert procedure.history.get().history_user == staff_user
    assert procedure.pain_scores.get().history.get().history_user == staff_user
