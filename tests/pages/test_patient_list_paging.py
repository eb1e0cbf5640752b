"""The patients list: names, paging, search by the first characters of the MRN, log from a row."""

import pytest

from blocks.models import Patient
from tests.factories import EpisodeFactory, PatientFactory

pytestmark = pytest.mark.django_db


def test_patients_are_shown_with_their_names(staff):
    PatientFactory(mrn="N1", given_name="Ada", family_name="Lovelace")
    PatientFactory(mrn="N2")
    page = staff.get("/patients/").content.decode()
    assert "<td>Ada Lovelace</td>" in page
    assert "<td>—</td>" in page


def test_the_list_is_paged_25_at_a_time_with_a_count(staff):
    for n in range(30):
        PatientFactory(mrn=f"PG{n:03d}")
    first = staff.get("/patients/").content.decode()
    assert "30 patients" in first
    assert first.count('href="/patients/') - first.count("log-procedure") >= 25
    assert "Page 1 of 2" in first and 'href="?page=2"' in first
    second = staff.get("/patients/", {"page": 2}).content.decode()
    assert "Page 2 of 2" in second
    rows = [f">PG{n:03d}<" for n in range(30)]
    assert sum(r in first for r in rows) == 25
    assert sum(r in second for r in rows) == 5


def test_a_search_finds_mrns_starting_with_the_text_whatever_the_case(staff):
    PatientFactory(mrn="A1001")
    PatientFactory(mrn="a10010")
    PatientFactory(mrn="B1001")
    page = staff.get("/patients/", {"q": "A100"}).content.decode()
    assert ">A1001</a>" in page and ">a10010</a>" in page
    assert "B1001" not in page
    assert "2 patients" in page
    assert "Patients whose MRN starts with A100" in page


def test_a_search_ends_exactly_where_the_prefix_does(staff):
    """The prefix is also asked as a range of MRNs (blocks.views.patients): the MRN just past
    the range and a character LIKE would read as a wildcard are not found."""
    for mrn in ("AB-9", "ab-z", "AB-", "AB.1", "ABX1", "A_1"):
        PatientFactory(mrn=mrn)

    def found(prefix: str) -> set[str]:
        page = staff.get("/patients/", {"q": prefix}).content.decode()
        return {
            mrn for mrn in Patient.objects.values_list("mrn", flat=True) if f">{mrn}</a>" in page
        }

    assert found("ab-") == {"AB-9", "ab-z", "AB-"}
    assert found("AB-Z") == {"ab-z"}
    assert found("a_") == {"A_1"}


def test_a_search_is_paged_and_the_page_links_keep_it(staff):
    for n in range(27):
        PatientFactory(mrn=f"S{n:03d}")
    PatientFactory(mrn="T000")
    page = staff.get("/patients/", {"q": "S"}).content.decode()
    assert "27 patients" in page and 'href="?q=S&amp;page=2"' in page


def test_the_old_mrn_parameter_still_searches(staff):
    PatientFactory(mrn="A1001")
    page = staff.get("/patients/", {"mrn": "A1001"}).content.decode()
    assert ">A1001</a>" in page


def test_log_a_procedure_goes_to_the_form_of_the_patients_one_episode(staff, staff_user):
    episode = EpisodeFactory(created_by=staff_user)
    page = staff.get("/patients/", {"q": episode.patient.mrn}).content.decode()
    link = f"/patients/{episode.patient.pk}/log-procedure/"
    assert f'href="{link}"' in page
    response = staff.get(link)
    assert response.status_code == 302
    assert response["Location"] == f"/episodes/{episode.pk}/procedures/new/"


def test_log_a_procedure_asks_which_episode_when_there_are_several(staff, staff_user):
    first = EpisodeFactory(created_by=staff_user, region="lumbar")
    second = EpisodeFactory(created_by=staff_user, patient=first.patient, region="cervical")
    page = staff.get(f"/patients/{first.patient.pk}/log-procedure/").content.decode()
    assert f'href="/episodes/{first.pk}/procedures/new/"' in page
    assert f'href="/episodes/{second.pk}/procedures/new/"' in page


def test_log_a_procedure_without_an_episode_opens_one_first(staff):
    patient = PatientFactory()
    response = staff.get(f"/patients/{patient.pk}/log-procedure/")
    assert response["Location"] == f"/patients/{patient.pk}/episodes/new/"


def test_staff_create_a_patient_with_a_name(staff):
    staff.post(
        "/patients/new/",
        {
            "mrn": "A1001",
            "given_name": "Grace",
            "family_name": "Hopper",
            "birth_date": "1961-04-02",
            "sex": "female",
        },
    )
    patient = Patient.objects.get(mrn="A1001")
    assert (patient.given_name, patient.family_name) == ("Grace", "Hopper")
    page = staff.get(f"/patients/{patient.pk}/").content.decode()
    assert "Grace Hopper" in page
