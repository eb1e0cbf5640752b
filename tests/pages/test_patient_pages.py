"""Finding, creating and opening patients; opening an episode."""

import pytest

from blocks.models import Episode, Patient
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def test_it_lists_recent_patients_newest_first(staff):
    older = PatientFactory(mrn="A1")
    newer = PatientFactory(mrn="B2")
    Patient.objects.filter(pk=older.pk).update(created_at="2026-01-01T00:00Z")
    Patient.objects.filter(pk=newer.pk).update(created_at="2026-02-01T00:00Z")
    page = staff.get("/patients/").content.decode()
    assert "Recent patients" in page
    assert page.index(">B2<") < page.index(">A1<")


def test_a_search_lists_the_exact_mrn_first_then_those_it_begins(staff):
    # Issue 11: the search reads an MRN's first characters (tests/pages/test_patient_list_paging).
    PatientFactory(mrn="A10010")
    PatientFactory(mrn="A1001")
    PatientFactory(mrn="B1001")
    page = staff.get("/patients/", {"mrn": "A1001"}).content.decode()
    assert page.index(">A1001</a>") < page.index(">A10010</a>")
    assert "B1001" not in page


def test_an_unknown_mrn_offers_to_create_the_patient(staff):
    page = staff.get("/patients/", {"mrn": "Z9"}).content.decode()
    assert "No patient has the MRN" in page
    assert 'href="/patients/new/?mrn=Z9"' in page


def test_the_create_form_is_prefilled_with_the_searched_mrn(staff):
    page = staff.get("/patients/new/", {"mrn": "Z9"}).content.decode()
    assert 'value="Z9"' in page


def test_staff_create_a_patient(staff):
    response = staff.post(
        "/patients/new/", {"mrn": "A1001", "birth_date": "1961-04-02", "sex": "female"}
    )
    patient = Patient.objects.get(mrn="A1001")
    assert response.status_code == 302
    assert response["Location"] == f"/patients/{patient.pk}/"


def test_a_duplicate_mrn_is_shown_beside_the_mrn_and_the_values_stay(staff):
    PatientFactory(mrn="A1001")
    response = staff.post(
        "/patients/new/", {"mrn": "A1001", "birth_date": "1961-04-02", "sex": "male"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert '<ul class="errorlist" id="id_mrn_error"><li>A patient with this MRN already' in page
    assert 'aria-invalid="true"' in page
    assert 'value="1961-04-02"' in page
    assert '<option value="male" selected>' in page


def test_a_future_birth_date_is_refused_beside_the_field(staff):
    response = staff.post(
        "/patients/new/", {"mrn": "A1", "birth_date": "2999-01-01", "sex": "female"}
    )
    assert 'id="id_birth_date_error"><li>The birth date is in the future.' in (
        response.content.decode()
    )
    assert not Patient.objects.exists()


def test_the_patient_page_lists_its_episodes_with_procedure_counts(staff, episode, block):
    block()
    page = staff.get(f"/patients/{episode.patient_id}/").content.decode()
    assert f'href="/episodes/{episode.pk}/"' in page
    assert "Lumbar, right, axial" in page
    assert "<td>1</td>" in page
    assert "New episode" in page


def test_quality_sees_the_patient_without_the_new_episode_button(quality, episode):
    page = quality.get(f"/patients/{episode.patient_id}/").content.decode()
    assert f'href="/episodes/{episode.pk}/"' in page
    assert "New episode" not in page


def test_staff_open_an_episode(staff, staff_user):
    patient = PatientFactory()
    response = staff.post(
        f"/patients/{patient.pk}/episodes/new/",
        {"region": "lumbar", "side": "right", "pain_pattern": "axial", "surgery_considered": "on"},
    )
    episode = Episode.objects.get(patient=patient)
    assert response["Location"] == f"/episodes/{episode.pk}/"
    assert episode.surgery_considered is True
    assert episode.created_by == staff_user


def test_an_episode_without_a_region_is_refused_beside_the_field(staff):
    patient = PatientFactory()
    response = staff.post(
        f"/patients/{patient.pk}/episodes/new/",
        {"region": "", "side": "left", "pain_pattern": "radicular"},
    )
    page = response.content.decode()
    assert 'id="id_region_error"' in page
    assert '<option value="left" selected>' in page
    assert not Episode.objects.exists()
