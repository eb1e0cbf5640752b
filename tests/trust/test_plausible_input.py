"""API_CONTRACT v1.1 "Plausible input": what the JSON API refuses, and that it stores nothing.

Each case was accepted (or answered 500) before: a year-1 block was committed and broke the
clinic's pages, "1" and 1.9 attached an episode to patient 1, demo-005 made a second
DEMO-005, 10,000 diary scores held a worker for 80 s, a deep body answered 500.
"""

import datetime as dt

import pytest
from django.utils import timezone

from blocks.models import Episode, Patient, Procedure
from tests.factories import PatientFactory

PATIENTS, EPISODES, PROCEDURES = "/api/patients/", "/api/episodes/", "/api/procedures/"


def _in_hours(hours: int) -> str:
    return (timezone.now() + dt.timedelta(hours=hours)).isoformat()


# -- dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "performed_at",
    ["0001-01-01T00:00:00Z", "9999-12-31T00:00:00Z", "1989-12-31T23:59:59Z", "future+25h"],
)
def test_an_implausible_procedure_time_is_a_400_and_stores_nothing(
    staff_client, procedure_body, performed_at
):
    if performed_at == "future+25h":
        performed_at = _in_hours(25)

    response = staff_client.post(PROCEDURES, procedure_body(performed_at=performed_at))

    assert response.status_code == 400
    assert list(response.json()) == ["performed_at"]
    assert not Procedure.objects.exists()


def test_the_first_moment_of_1990_and_tomorrow_morning_are_accepted(staff_client, procedure_body):
    first = staff_client.post(PROCEDURES, procedure_body(performed_at="1990-01-01T00:00:00Z"))
    # A block booked for tomorrow has no diary yet: a score is entered only once it is due.
    soon = staff_client.post(PROCEDURES, procedure_body(performed_at=_in_hours(23), pain_scores=[]))

    assert first.status_code == 201, first.json()
    assert first.json()["performed_at"] == "1990-01-01T00:00:00Z"
    assert soon.status_code == 201, soon.json()


def test_a_time_without_an_offset_is_refused_not_guessed(staff_client, procedure_body):
    response = staff_client.post(PROCEDURES, procedure_body(performed_at="2026-03-02T09:30:00"))

    assert response.status_code == 400
    assert response.json() == {
        "performed_at": [
            "Give the time with its offset, e.g. 2026-03-02T09:30:00Z or 2026-03-02T09:30:00+01:00."
        ]
    }
    assert not Procedure.objects.exists()


@pytest.mark.parametrize("birth_date", ["0001-01-01", "1899-12-31", "tomorrow"])
def test_an_implausible_birth_date_is_a_400(staff_client, birth_date):
    if birth_date == "tomorrow":
        birth_date = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    body = {"mrn": "A1001", "birth_date": birth_date, "sex": "female"}

    response = staff_client.post(PATIENTS, body)

    assert response.status_code == 400
    assert list(response.json()) == ["birth_date"]
    assert not Patient.objects.exists()


def test_a_birth_date_of_1900_is_accepted(staff_client):
    body = {"mrn": "A1001", "birth_date": "1900-01-01", "sex": "female"}

    assert staff_client.post(PATIENTS, body).status_code == 201


@pytest.mark.parametrize("opened_at", ["0001-01-01T00:00:00Z", "2026-03-02T09:30:00"])
def test_an_implausible_or_naive_episode_opening_is_a_400(staff_client, opened_at):
    patient = PatientFactory()
    body = {
        "patient": patient.pk,
        "region": "lumbar",
        "side": "right",
        "pain_pattern": "axial",
        "opened_at": opened_at,
    }

    response = staff_client.post(EPISODES, body)

    assert response.status_code == 400
    assert list(response.json()) == ["opened_at"]
    assert not Episode.objects.exists()


@pytest.mark.parametrize(
    ("url", "field", "value"),
    [
        ("procedure", "performed_at", "0001-01-01T00:00:00Z"),
        ("procedure", "performed_at", "2026-03-02T09:30:00"),
        ("episode", "opened_at", "9999-12-31T00:00:00Z"),
        ("patient", "birth_date", "0001-01-01"),
    ],
)
def test_a_patch_with_an_implausible_date_is_a_400_and_keeps_the_version(
    staff_client, procedure, url, field, value
):
    record = {
        "procedure": procedure,
        "episode": procedure.episode,
        "patient": procedure.episode.patient,
    }[url]
    before = getattr(record, field)

    response = staff_client.patch(
        f"/api/{url}s/{record.pk}/", {"version": record.version, field: value}
    )

    assert response.status_code == 400
    assert list(response.json()) == [field]
    record.refresh_from_db()
    assert record.version == 1
    assert getattr(record, field) == before


# -- references -------------------------------------------------------------------------


@pytest.mark.parametrize("reference", [1.9, "1", True, 1.0, None, [1], {"id": 1}])
def test_an_episode_names_its_patient_by_a_json_integer_only(staff_client, reference):
    PatientFactory(pk=1)
    body = {"patient": reference, "region": "lumbar", "side": "right", "pain_pattern": "axial"}

    response = staff_client.post(EPISODES, body)

    assert response.status_code == 400
    assert list(response.json()) == ["patient"]
    assert not Episode.objects.exists()


@pytest.mark.parametrize("reference", [11.7, "11", False, 11.0])
def test_a_procedure_names_its_episode_by_a_json_integer_only(
    staff_client, procedure_body, episode, reference
):
    Episode.objects.filter(pk=episode.pk).update(id=11)

    response = staff_client.post(PROCEDURES, procedure_body(episode=reference))

    assert response.status_code == 400
    assert list(response.json()) == ["episode"]
    assert not Procedure.objects.exists()


@pytest.mark.parametrize("reference", [0, -1, 2**31, 2**70])
def test_an_id_out_of_range_is_an_unknown_record_not_a_500(staff_client, reference):
    body = {"patient": reference, "region": "lumbar", "side": "right", "pain_pattern": "axial"}

    response = staff_client.post(EPISODES, body)

    assert response.status_code == 400
    assert list(response.json()) == ["patient"]


def test_the_float_message_says_what_a_reference_is(staff_client):
    body = {"patient": 1.9, "region": "lumbar", "side": "right", "pain_pattern": "axial"}

    response = staff_client.post(EPISODES, body)

    assert response.json() == {
        "patient": ["A record id is a whole JSON number such as 12, not a decimal number."]
    }


# -- MRN --------------------------------------------------------------------------------


def test_an_mrn_differing_only_in_case_is_the_same_patient(staff_client):
    PatientFactory(mrn="DEMO-005")
    body = {"mrn": "demo-005", "birth_date": "1961-04-02", "sex": "female"}

    response = staff_client.post(PATIENTS, body)

    assert response.status_code == 400
    assert response.json() == {"mrn": ["A patient with this MRN already exists."]}
    assert list(Patient.objects.values_list("mrn", flat=True)) == ["DEMO-005"]


def test_renaming_a_patient_to_another_mrn_in_other_case_is_refused(staff_client):
    PatientFactory(mrn="DEMO-005")
    other = PatientFactory(mrn="A1")

    response = staff_client.patch(f"{PATIENTS}{other.pk}/", {"version": 1, "mrn": "Demo-005"})

    assert response.status_code == 400
    assert list(response.json()) == ["mrn"]
    other.refresh_from_db()
    assert (other.mrn, other.version) == ("A1", 1)


def test_a_patient_may_change_the_case_of_its_own_mrn(staff_client):
    patient = PatientFactory(mrn="demo-005")

    response = staff_client.patch(f"{PATIENTS}{patient.pk}/", {"version": 1, "mrn": "DEMO-005"})

    assert response.status_code == 200
    assert response.json()["mrn"] == "DEMO-005"


@pytest.mark.parametrize("url", [PATIENTS, EPISODES, PROCEDURES])
def test_the_mrn_filter_ignores_case(staff_client, procedure, url):
    procedure.episode.patient.__class__.objects.update(mrn="DEMO-005")

    response = staff_client.get(url, {"mrn": "demo-005"})

    assert response.status_code == 200
    assert response.json()["count"] == 1


@pytest.mark.parametrize(
    "mrn",
    ["\u202eABC", "A\u200bB", " A1", "A1 ", "=1+2", "-A", "A" * 33, "", "A1\n", "ÄB", "A B"],
)
def test_an_mrn_that_could_spoof_or_inject_is_refused(staff_client, mrn):
    body = {"mrn": mrn, "birth_date": "1961-04-02", "sex": "female"}

    response = staff_client.post(PATIENTS, body)

    assert response.status_code == 400
    assert list(response.json()) == ["mrn"]
    assert not Patient.objects.exists()


@pytest.mark.parametrize("mrn", ["A1001", "12-34.5/6", "a_b", "9", "A" * 32])
def test_an_mrn_of_ascii_letters_digits_and_separators_is_stored_as_entered(staff_client, mrn):
    body = {"mrn": mrn, "birth_date": "1961-04-02", "sex": "female"}

    response = staff_client.post(PATIENTS, body)

    assert response.status_code == 201, response.json()
    assert Patient.objects.get().mrn == mrn


# -- list caps --------------------------------------------------------------------------


def test_ten_thousand_pain_scores_are_refused_by_their_count_alone(staff_client, procedure_body):
    # Every item is invalid too: the answer speaks only of the count, so no item was judged.
    scores = [{"minutes_after": "x", "score": 99}] * 10_000

    response = staff_client.post(PROCEDURES, procedure_body(pain_scores=scores))

    assert response.status_code == 400
    assert response.json() == {"pain_scores": ["At most 100 pain scores in one request."]}
    assert not Procedure.objects.exists()


def test_a_hundred_pain_scores_are_accepted(staff_client, procedure_body):
    scores = [{"minutes_after": minute, "score": 2} for minute in range(100)]

    response = staff_client.post(PROCEDURES, procedure_body(pain_scores=scores))

    assert response.status_code == 201, response.json()
    assert len(response.json()["pain_scores"]) == 100


def test_eleven_discs_are_refused(staff_client, discography_body):
    disc = {"level": "L4-L5", "concordance": "none"}

    response = staff_client.post(PROCEDURES, discography_body(discs=[disc] * 11))

    assert response.status_code == 400
    assert response.json() == {"discs": ["At most 10 discs in one request."]}


def test_the_schema_shows_the_caps(staff_client):
    schema = staff_client.get("/api/schema/?format=json").json()
    request = schema["components"]["schemas"]["ProcedureInputRequest"]["properties"]

    assert request["pain_scores"]["maxItems"] == 100
    assert request["discs"]["maxItems"] == 10


# -- nesting ----------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [33, 1000, 100_000])
@pytest.mark.parametrize("shape", ["list", "object"])
def test_deeply_nested_json_is_a_400(staff_client, depth, shape):
    if shape == "list":
        body = "[" * depth + "]" * depth
    else:
        body = '{"a":' * depth + "1" + "}" * depth

    response = staff_client.post(PATIENTS, body, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["JSON nested too deeply: at most 32 levels of objects and lists."]
    }


def test_a_body_nested_within_the_limit_gets_the_ordinary_answer(staff_client):
    body = '{"mrn":' + "[" * 30 + "]" * 30 + ', "birth_date": "1961-04-02", "sex": "female"}'

    response = staff_client.post(PATIENTS, body, content_type="application/json")

    assert response.status_code == 400
    assert list(response.json()) == ["mrn"]
