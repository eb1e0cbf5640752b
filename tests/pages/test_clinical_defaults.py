"""The procedure form asserts no clinical fact the user did not enter (issue 8, defect 15).

It used to open with contrast used ticked and flow confirmed unticked, so a discography saved
with the defaults read non-diagnostic; and a flow confirmed without contrast was stored.
"""

import re

import pytest
from django.test import Client

from blocks.models import Procedure
from tests.pages.conftest import procedure_post

pytestmark = pytest.mark.django_db

ASKED = ("intent", "side", "steroid", "guidance", "sedation")


def url(episode):
    return f"/episodes/{episode.pk}/procedures/new/"


def discography(physician_user, **changes):
    discs = [
        {"level": "L4-L5", "opening_pressure_psi": 10, "provocation_pressure_psi": 35,
         "pain_score": 8, "concordance": "concordant", "annular_grade": 3},
        {"level": "L3-L4", "opening_pressure_psi": 10, "provocation_pressure_psi": 40,
         "pain_score": 0, "concordance": "none", "annular_grade": 1},
    ]  # fmt: skip
    return procedure_post(
        performed_by=physician_user,
        kind="provocation_discography",
        levels=["L3-L4", "L4-L5"],
        anesthetic="none",
        anesthetic_volume_ml="",
        pre_pain="",
        diary=[],
        discs=discs,
        **changes,
    )


def test_the_new_form_preselects_no_clinical_answer(staff, episode):
    page = staff.get(url(episode)).content.decode()

    for name in ("contrast_used", "contrast_flow_confirmed"):
        radios = re.findall(rf'<input type="radio" name="{name}"[^>]*>', page)
        assert len(radios) == 2, (name, radios)  # Yes and No, neither of them chosen
        assert not any("checked" in radio for radio in radios), radios
    for name in ASKED:
        select = re.search(rf'<select name="{name}".*?</select>', page, re.S).group(0)
        assert "selected" not in select.replace('value="" selected', ""), (name, select)
        assert '<option value="" selected>Choose…</option>' in select, (name, select)


def test_a_form_without_a_contrast_answer_names_it_and_saves_nothing(
    staff, episode, physician_user
):
    data = procedure_post(performed_by=physician_user)
    del data["contrast_used"]
    del data["contrast_flow_confirmed"]

    response = staff.post(url(episode), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_contrast_used_error"' in page
    assert "Answer whether contrast was used." in page
    assert not Procedure.objects.exists()


@pytest.mark.parametrize("name", ASKED)
def test_each_clinical_choice_must_be_made(staff, episode, physician_user, name):
    response = staff.post(url(episode), procedure_post(performed_by=physician_user, **{name: ""}))

    assert f'id="id_{name}_error"' in response.content.decode()
    assert not Procedure.objects.exists()


def test_contrast_used_needs_a_flow_answer(staff, episode, physician_user):
    data = procedure_post(performed_by=physician_user)
    del data["contrast_flow_confirmed"]

    page = staff.post(url(episode), data).content.decode()

    assert 'id="id_contrast_flow_confirmed_error"' in page
    assert "Answer whether the contrast flow was confirmed before the medication." in page
    assert not Procedure.objects.exists()


def test_flow_confirmed_without_contrast_is_an_error_on_the_page(staff, episode, physician_user):
    data = procedure_post(performed_by=physician_user, contrast_used="no")

    response = staff.post(url(episode), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_contrast_flow_confirmed_error"' in page
    assert "Contrast flow cannot be confirmed when no contrast was used" in page
    assert not Procedure.objects.exists()


def test_no_contrast_with_flow_left_empty_is_recorded_as_no_flow(staff, episode, physician_user):
    data = procedure_post(performed_by=physician_user, contrast_used="no")
    del data["contrast_flow_confirmed"]

    assert staff.post(url(episode), data).status_code == 302

    procedure = Procedure.objects.get()
    assert (procedure.contrast_used, procedure.contrast_flow_confirmed) == (False, False)


def test_a_discography_entered_with_explicit_answers_reads_as_entered(
    staff, episode, physician_user
):
    response = staff.post(url(episode), discography(physician_user))
    assert response.status_code == 302, response.content.decode()[-2000:]

    procedure = Procedure.objects.get()
    assert (procedure.contrast_used, procedure.contrast_flow_confirmed) == (True, True)
    page = staff.get(f"/episodes/{episode.pk}/").content.decode()
    assert "Used, flow confirmed" in page
    assert "flow NOT confirmed" not in page
    assert "Validity: <strong>Valid</strong>" in page


def test_an_unconfirmed_flow_is_only_recorded_when_the_user_says_so(staff, episode, physician_user):
    staff.post(url(episode), discography(physician_user, contrast_flow_confirmed="no"))

    page = staff.get(f"/episodes/{episode.pk}/").content.decode()
    assert "Used, flow NOT confirmed" in page
    assert "Validity: <strong>Non-diagnostic</strong>" in page


# --- the same rule through the API and the edit page -----------------------------------------


def api(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_patch_that_leaves_a_confirmed_flow_without_contrast_is_400(staff_user, block):
    procedure = block()
    response = api(staff_user).patch(
        f"/api/procedures/{procedure.pk}/",
        {"version": 1, "contrast_used": False},
        content_type="application/json",
    )

    assert response.status_code == 400, response.content
    assert "contrast_flow_confirmed" in response.json()
    stored = Procedure.objects.get(pk=procedure.pk)
    assert (stored.contrast_used, stored.version) == (True, 1)


def test_a_patch_may_drop_contrast_with_its_flow(staff_user, block):
    procedure = block()
    response = api(staff_user).patch(
        f"/api/procedures/{procedure.pk}/",
        {"version": 1, "contrast_used": False, "contrast_flow_confirmed": False},
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    assert (response.json()["contrast_used"], response.json()["contrast_flow_confirmed"]) == (
        False,
        False,
    )


def test_the_edit_page_refuses_a_confirmed_flow_without_contrast(staff, block):
    from tests.pages.conftest import edit_post

    procedure = block()
    data = edit_post(procedure, contrast_used="no")  # flow stays "yes"

    response = staff.post(f"/procedures/{procedure.pk}/edit/", data)

    assert response.status_code == 400
    page = response.content.decode()
    assert "Contrast flow cannot be confirmed when no contrast was used" in page
    assert Procedure.objects.get(pk=procedure.pk).contrast_used is True


def test_when_and_by_whom_start_empty_even_for_a_physician(physician, episode):
    # A block logged the next morning must not keep the time the form was opened.
    page = physician.get(url(episode)).content.decode()

    performed_at = re.search(r'<input[^>]*name="performed_at"[^>]*>', page).group(0)
    assert "value=" not in performed_at, performed_at
    performer = re.search(r'<select name="performed_by".*?</select>', page, re.S).group(0)
    assert "selected" not in performer.replace('value="" selected', ""), performer
