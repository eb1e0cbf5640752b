"""GET /api/patients/{id}/fhir/: the patient's record as a FHIR R4 Bundle the EHR can read.

Every bundle is validated by fhir.resources' R4B models (pydantic): a validation failure is a
test failure. Expected values come from the two blocks of tests/sharing/conftest.py.
"""

import json

import pytest
from fhir.resources.R4B.bundle import Bundle

CPT = "http://www.ama-assn.org/go/cpt"
LOINC = "http://loinc.org"


def fetch_bundle(client, patient_id, **params) -> dict:
    response = client.get(f"/api/patients/{patient_id}/fhir/", params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/fhir+json"
    body = json.loads(response.content)
    Bundle.model_validate(body)  # raises on anything FHIR R4B does not allow
    return body


def resources(bundle, kind):
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def by_code(observations, code):
    return [o for o in observations if o["code"]["coding"][0]["code"] == code]


def test_the_bundle_is_a_valid_collection_with_the_patient(physician_client, rfa_episode):
    patient_id, _, _ = rfa_episode
    bundle = fetch_bundle(physician_client, patient_id)

    assert bundle["resourceType"] == "Bundle"
    assert bundle["type"] == "collection"
    (patient,) = resources(bundle, "Patient")
    assert patient["identifier"][0]["value"] == "SHARE-001"
    assert patient["birthDate"] == "1961-04-02"
    assert patient["gender"] == "female"
    full_urls = [e["fullUrl"] for e in bundle["entry"]]
    assert len(set(full_urls)) == len(full_urls)
    assert all(url.startswith("urn:uuid:") for url in full_urls)


def test_each_procedure_is_completed_with_its_cpt_code_time_and_site(physician_client, rfa_episode):
    patient_id, _, _ = rfa_episode
    bundle = fetch_bundle(physician_client, patient_id)

    procedures = resources(bundle, "Procedure")
    assert [p["performedDateTime"] for p in procedures] == [
        "2026-03-02T09:30:00Z",
        "2026-03-16T09:30:00Z",
    ]
    for procedure in procedures:
        assert procedure["status"] == "completed"
        cpt = [c for c in procedure["code"]["coding"] if c["system"] == CPT]
        assert cpt == [{"system": CPT, "code": "64493"}]  # lumbar medial branch block
        assert procedure["bodySite"] == [{"text": "L4-L5, L5-S1, right"}]
        assert procedure["subject"]["reference"] == bundle["entry"][0]["fullUrl"]


def test_pain_scores_are_loinc_observations_at_block_time_plus_minutes(
    physician_client, rfa_episode
):
    patient_id, _, _ = rfa_episode
    bundle = fetch_bundle(physician_client, patient_id)
    first_procedure = next(
        e["fullUrl"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Procedure"
    )

    pain = by_code(resources(bundle, "Observation"), "72514-3")
    # 4 diary scores + the pain before the block, then 5 + 1 for the second block.
    assert len(pain) == 11
    first = [o for o in pain if o["partOf"] == [{"reference": first_procedure}]]
    assert [(o["effectiveDateTime"], o["valueInteger"]) for o in first] == [
        ("2026-03-02T09:30:00Z", 7),
        ("2026-03-02T10:00:00Z", 1),
        ("2026-03-02T10:30:00Z", 1),
        ("2026-03-02T11:30:00Z", 2),
        ("2026-03-02T13:30:00Z", 6),
    ]
    assert all(o["code"]["coding"][0]["system"] == LOINC for o in pain)


def test_each_block_has_a_relief_observation_in_the_local_code_system(
    physician_client, rfa_episode
):
    patient_id, _, _ = rfa_episode
    bundle = fetch_bundle(physician_client, patient_id)

    relief = by_code(resources(bundle, "Observation"), "block-relief-percent")
    assert [o["valueQuantity"]["value"] for o in relief] == [85.7, 85.7]
    assert {o["code"]["coding"][0]["system"] for o in relief} == {
        "https://spinal-block-tracker.example.org/fhir/CodeSystem/relief"
    }
    assert relief[0]["effectiveDateTime"] == "2026-03-02T10:00:00Z"  # lowest score, 30 min
    assert relief[0]["interpretation"] == [{"text": "Positive"}]


def test_the_same_record_gets_the_same_ids_in_every_bundle(physician_client, rfa_episode):
    patient_id, _, _ = rfa_episode
    first = fetch_bundle(physician_client, patient_id)
    second = fetch_bundle(physician_client, patient_id)

    assert [e["fullUrl"] for e in first["entry"]] == [e["fullUrl"] for e in second["entry"]]


def test_records_entered_in_error_are_left_out(physician_client, rfa_episode):
    patient_id, _, procedure_ids = rfa_episode
    scores = physician_client.get(f"/api/procedures/{procedure_ids[1]}/pain-scores/").json()
    score_id = (scores["results"] if isinstance(scores, dict) else scores)[0]["id"]
    physician_client.post(
        f"/api/pain-scores/{score_id}/entered-in-error/", {"reason": "Wrong patient"}, format="json"
    )
    physician_client.post(
        f"/api/procedures/{procedure_ids[0]}/entered-in-error/",
        {"reason": "Wrong episode"},
        format="json",
    )

    bundle = fetch_bundle(physician_client, patient_id)

    procedures = resources(bundle, "Procedure")
    assert [p["performedDateTime"] for p in procedures] == ["2026-03-16T09:30:00Z"]
    assert len(by_code(resources(bundle, "Observation"), "72514-3")) == 5  # 6 less the marked


def test_a_patient_entered_in_error_is_not_shared(physician_client, rfa_episode):
    patient_id, _, _ = rfa_episode
    physician_client.post(
        f"/api/patients/{patient_id}/entered-in-error/", {"reason": "Duplicate"}, format="json"
    )

    assert physician_client.get(f"/api/patients/{patient_id}/fhir/").status_code == 404


@pytest.mark.parametrize("client_name", ["staff_client", "quality_client"])
def test_only_physicians_and_superusers_share_the_record(request, client_name, rfa_episode):
    patient_id, _, _ = rfa_episode
    client = request.getfixturevalue(client_name)

    response = client.get(f"/api/patients/{patient_id}/fhir/")

    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"


def test_a_superuser_gets_the_bundle(superuser_client, rfa_episode):
    patient_id, _, _ = rfa_episode
    fetch_bundle(superuser_client, patient_id)


def test_an_unknown_profile_is_a_400_naming_it(physician_client, rfa_episode):
    patient_id, _, _ = rfa_episode

    response = physician_client.get(f"/api/patients/{patient_id}/fhir/", {"profile": "nope"})

    assert response.status_code == 400
    assert "profile" in response.json()


def test_a_treatments_follow_ups_are_observations_on_their_day(physician_client, rfa_episode):
    from tests.sharing.treatments import treatment_with_follow_ups

    patient_id, _, _ = rfa_episode
    treatment_with_follow_ups(rfa_episode)  # an RFA on 1 Apr 2026, followed at 90 and 180 days
    bundle = fetch_bundle(physician_client, patient_id)

    treatment = next(
        e["fullUrl"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Procedure"
        and e["resource"]["performedDateTime"] == "2026-04-01T09:30:00Z"
    )
    after = [
        o for o in resources(bundle, "Observation") if o["partOf"] == [{"reference": treatment}]
    ]
    assert [
        (o["effectiveDateTime"], o["code"]["coding"][0]["code"], o.get("valueInteger"))
        for o in after
        if "valueQuantity" not in o
    ] == [
        ("2026-04-01T09:30:00Z", "72514-3", 8),  # the pain just before the treatment
        ("2026-06-30T09:30:00Z", "72514-3", 2),
        ("2026-06-30T09:30:00Z", "pgic", 7),
        ("2026-06-30T09:30:00Z", "pain-medication-change", None),
        ("2026-09-28T09:30:00Z", "72514-3", 6),
    ]
    relief = by_code(after, "treatment-relief-percent")
    assert [o["valueQuantity"]["value"] for o in relief] == [75.0, 25.0]  # against pain 8
    assert by_code(after, "pain-medication-change")[0]["valueString"] == "less"
