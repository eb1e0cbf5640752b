"""The pages refuse what the API refuses (API_CONTRACT v1.1 "Plausible input"), beside the field.

The rules live once, in the models' clean(), so the wording is the API's.
"""

import pytest

from blocks.models import Episode, Patient, Procedure
from tests.factories import PatientFactory
from tests.pages.conftest import edit_post, procedure_post

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("birth_date", "message"),
    [
        ("0001-01-01", "The birth date must not be before 1900-01-01."),
        ("1899-12-31", "The birth date must not be before 1900-01-01."),
    ],
)
def test_the_patient_form_refuses_an_implausible_birth_date(staff, birth_date, message):
    response = staff.post(
        "/patients/new/", {"mrn": "A1", "birth_date": birth_date, "sex": "female"}
    )

    assert f'id="id_birth_date_error"><li>{message}' in response.content.decode()
    assert not Patient.objects.exists()


@pytest.mark.parametrize("mrn", ["=1+2", "A\u200bB", "\u202eABC", "-A"])
def test_the_patient_form_refuses_an_mrn_that_could_spoof_or_inject(staff, mrn):
    response = staff.post("/patients/new/", {"mrn": mrn, "birth_date": "1961-04-02", "sex": "male"})

    assert 'id="id_mrn_error"><li>An MRN is 1 to 32 characters' in response.content.decode()
    assert not Patient.objects.exists()


def test_the_patient_form_refuses_an_mrn_taken_in_other_case(staff):
    PatientFactory(mrn="DEMO-005")

    response = staff.post(
        "/patients/new/", {"mrn": "demo-005", "birth_date": "1961-04-02", "sex": "male"}
    )

    page = response.content.decode()
    assert 'id="id_mrn_error"><li>A patient with this MRN already exists.' in page
    assert Patient.objects.count() == 1


def test_the_patient_search_ignores_case_and_shows_the_mrn_as_stored(staff):
    PatientFactory(mrn="DEMO-005")

    page = staff.get("/patients/", {"mrn": "demo-005"}).content.decode()

    assert ">DEMO-005</a>" in page


def test_the_episode_form_refuses_an_opening_before_1990(staff):
    patient = PatientFactory()

    response = staff.post(
        f"/patients/{patient.pk}/episodes/new/",
        {
            "region": "lumbar",
            "side": "right",
            "pain_pattern": "axial",
            "opened_at": "0001-01-01T00:00",
        },
    )

    page = response.content.decode()
    assert 'id="id_opened_at_error"><li>The episode&#x27;s opening time must not be before' in page
    assert not Episode.objects.exists()


@pytest.mark.parametrize(
    ("performed_at", "message"),
    [
        ("0001-01-01T00:00", "The procedure time must not be before 1990-01-01."),
        ("9999-12-31T00:00", "The procedure time must not be more than 24 hours in the future."),
    ],
)
def test_the_procedure_form_refuses_an_implausible_time(
    staff, episode, physician_user, performed_at, message
):
    data = procedure_post(performed_by=physician_user, performed_at=performed_at)

    response = staff.post(f"/episodes/{episode.pk}/procedures/new/", data)

    assert f'id="id_performed_at_error"><li>{message}' in response.content.decode()
    assert not Procedure.objects.exists()


def test_the_edit_page_refuses_an_implausible_time_and_keeps_the_record(
    physician, episode, physician_user, block
):
    procedure = block()
    page = physician.get(f"/procedures/{procedure.pk}/edit/")
    assert page.status_code == 200
    data = edit_post(procedure, performed_at="0001-01-01T00:00")

    response = physician.post(f"/procedures/{procedure.pk}/edit/", data)

    assert "The procedure time must not be before 1990-01-01." in response.content.decode()
    procedure.refresh_from_db()
    assert procedure.version == 1
    assert procedure.performed_at.year == 2026
