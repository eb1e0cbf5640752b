"""/api/patients/: create, find by MRN, retrieve, mark entered in error."""

import pytest

from blocks.models import Patient
from tests.factories import PatientFactory

URL = "/api/patients/"


def test_it_creates_a_patient(staff_client):
    body = {"mrn": "A1001", "birth_date": "1961-04-02", "sex": "female"}

    response = staff_client.post(URL, body, format="json")

    assert response.status_code == 201
    assert response.json()["id"] == Patient.objects.get(mrn="A1001").pk
    assert response.json()["sex"] == "female"


def test_it_refuses_an_mrn_with_spaces_around_it_rather_than_guess(staff_client):
    # API_CONTRACT v1.1: an MRN starts with a letter or a digit; " A1001 " is not one.
    body = {"mrn": "  A1001 ", "birth_date": "1961-04-02", "sex": "female"}

    response = staff_client.post(URL, body, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["mrn"]
    assert not Patient.objects.exists()


def test_it_refuses_a_second_patient_with_the_same_mrn(staff_client):
    PatientFactory(mrn="A1001")
    body = {"mrn": "A1001", "birth_date": "1961-04-02", "sex": "female"}

    response = staff_client.post(URL, body, format="json")

    assert response.status_code == 400
    assert response.json()["mrn"] == ["A patient with this MRN already exists."]
    assert Patient.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"mrn": ""}, "mrn"),
        ({"mrn": "x" * 33}, "mrn"),
        ({"mrn": 1001}, "mrn"),
        ({"birth_date": "2999-01-01"}, "birth_date"),
        ({"birth_date": "02/04/1961"}, "birth_date"),
        ({"sex": "F"}, "sex"),
        ({"sex": ...}, "sex"),
    ],
)
def test_it_refuses_bad_patient_fields(staff_client, changes, field):
    body = {"mrn": "A1001", "birth_date": "1961-04-02", "sex": "female", **changes}
    body = {key: value for key, value in body.items() if value is not ...}

    response = staff_client.post(URL, body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert Patient.objects.count() == 0


def test_it_finds_a_patient_by_mrn(staff_client):
    wanted = PatientFactory(mrn="A1001")
    PatientFactory(mrn="A10011")

    response = staff_client.get(f"{URL}?mrn=A1001")

    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert response.json()["results"][0]["id"] == wanted.pk


def test_it_retrieves_a_patient(staff_client):
    patient = PatientFactory()

    response = staff_client.get(f"{URL}{patient.pk}/")

    assert response.json()["mrn"] == patient.mrn


def test_it_answers_404_for_a_missing_patient(staff_client):
    assert staff_client.get(f"{URL}999999/").status_code == 404


def test_it_marks_a_patient_entered_in_error_and_hides_it_from_lists(staff_client, staff_user):
    patient = PatientFactory()

    response = staff_client.post(
        f"{URL}{patient.pk}/entered-in-error/", {"reason": "duplicate"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["entered_in_error"] is True
    assert response.json()["entered_in_error_by"] == staff_user.pk
    assert response.json()["version"] == 2
    assert staff_client.get(URL).json()["count"] == 0
    assert staff_client.get(f"{URL}?include_entered_in_error=true").json()["count"] == 1
    assert staff_client.get(f"{URL}{patient.pk}/").status_code == 200


def test_a_patient_carries_an_optional_given_and_family_name(staff_client):
    body = {
        "mrn": "N1001",
        "birth_date": "1961-04-02",
        "sex": "female",
        "given_name": "Ada",
        "family_name": "Lovelace",
    }
    created = staff_client.post(URL, body, format="json").json()
    assert (created["given_name"], created["family_name"]) == ("Ada", "Lovelace")
    nameless = staff_client.post(
        URL, {"mrn": "N1002", "birth_date": "1961-04-02", "sex": "male"}, format="json"
    ).json()
    assert (nameless["given_name"], nameless["family_name"]) == ("", "")
    changed = staff_client.patch(
        f"{URL}{created['id']}/", {"version": 1, "family_name": "King"}, format="json"
    )
    assert changed.status_code == 200
    assert changed.json()["family_name"] == "King" and changed.json()["version"] == 2


def test_a_name_that_is_not_a_string_is_a_400_naming_it(staff_client):
    body = {"mrn": "N1001", "birth_date": "1961-04-02", "sex": "female", "given_name": 7}
    response = staff_client.post(URL, body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["given_name"]
