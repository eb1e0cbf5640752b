"""The history pages and the procedure edit page: who may see them, and no lost edits."""

import re

import pytest
from django.test import Client

from blocks import services
from blocks.models import Procedure
from tests.factories import update_procedure
from tests.pages.conftest import edit_post


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def edit_form(procedure, **changes):
    """The edit form as a browser posts it, opened at the procedure's current version."""
    return edit_post(procedure, **changes)


def keeps_to_the_content_security_policy(html: str) -> bool:
    inline_script = re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    return not inline_script and "<style" not in html and " style=" not in html


def test_physicians_and_quality_read_a_procedures_history(
    physician_user, quality_user, staff_user, procedure
):
    update_procedure(procedure=procedure, expected_version=1, updated_by=staff_user, pre_pain=6)

    for user in (physician_user, quality_user):
        response = signed_in(user).get(f"/procedures/{procedure.pk}/history/")
        assert response.status_code == 200
        html = response.content.decode()
        assert "Pain just before the block (0–10)</strong>" in html and "7 → 6" in html
        assert "<strong>pre_pain</strong>" not in html
        assert "sam.staff" in html
        assert "Pain score at 30 min" in html
        assert keeps_to_the_content_security_policy(html)


def test_staff_get_403_and_anonymous_visitors_are_sent_to_sign_in(staff_user, procedure):
    for url in (
        f"/procedures/{procedure.pk}/history/",
        f"/patients/{procedure.episode.patient_id}/history/",
        f"/episodes/{procedure.episode_id}/history/",
    ):
        assert signed_in(staff_user).get(url).status_code == 403
        response = Client().get(url)
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")


def test_patient_and_episode_history_pages(physician_user, staff_user, procedure):
    patient = procedure.episode.patient
    services.patient_update(patient=patient, expected_version=1, updated_by=staff_user, sex="male")
    client = signed_in(physician_user)

    patient_page = client.get(f"/patients/{patient.pk}/history/")
    episode_page = client.get(f"/episodes/{procedure.episode_id}/history/")

    assert patient_page.status_code == 200
    assert "Female → Male" in patient_page.content.decode()
    assert episode_page.status_code == 200
    assert client.get("/episodes/999999/history/").status_code == 404


def test_staff_edit_a_procedure_through_the_page(staff_user, procedure):
    client = signed_in(staff_user)
    page = client.get(f"/procedures/{procedure.pk}/edit/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'type="hidden" name="version" value="1"' in html
    assert keeps_to_the_content_security_policy(html)

    response = client.post(f"/procedures/{procedure.pk}/edit/", edit_form(procedure, pre_pain=5))

    assert response.status_code == 302
    stored = Procedure.objects.get(pk=procedure.pk)
    assert (stored.pre_pain, stored.version) == (5, 2)
    assert stored.history.first().history_user == staff_user
    assert stored.performed_at == procedure.performed_at  # untouched fields are not rewritten


def test_a_stale_page_submit_is_refused_with_409_and_overwrites_nothing(
    staff_user, physician_user, procedure
):
    opened = Procedure.objects.get(pk=procedure.pk)  # staff opens the form at version 1
    physician = signed_in(physician_user)
    assert (
        physician.post(f"/procedures/{procedure.pk}/edit/", edit_form(opened, side="left"))
    ).status_code == 302

    response = signed_in(staff_user).post(
        f"/procedures/{procedure.pk}/edit/", edit_form(opened, pre_pain=2)
    )

    assert response.status_code == 409
    html = response.content.decode()
    assert "changed by dr.pat at" in html
    assert "since you opened it; nothing was overwritten" in html
    assert 'name="version" value="2"' in html  # the form now holds the stored record
    stored = Procedure.objects.get(pk=procedure.pk)
    assert (stored.side, stored.pre_pain, stored.version) == ("left", 7, 2)


def test_an_invalid_edit_shows_the_error_and_saves_nothing(staff_user, procedure):
    response = signed_in(staff_user).post(
        f"/procedures/{procedure.pk}/edit/", edit_form(procedure, levels=["C5-C6"])
    )

    assert response.status_code == 400
    assert "Select a valid choice. C5-C6 is not one of the available choices." in (
        response.content.decode()
    )
    assert Procedure.objects.get(pk=procedure.pk).version == 1


@pytest.mark.parametrize("method", ["get", "post"])
def test_quality_may_not_edit_and_anonymous_visitors_sign_in_first(quality_user, procedure, method):
    url = f"/procedures/{procedure.pk}/edit/"

    assert getattr(signed_in(quality_user), method)(url).status_code == 403
    assert getattr(Client(), method)(url).status_code == 302


def test_a_procedure_entered_in_error_cannot_be_edited(staff_user, procedure):
    services.mark_entered_in_error(record=procedure, reason="Wrong patient", user=staff_user)
    client = signed_in(staff_user)

    page = client.get(f"/procedures/{procedure.pk}/edit/")
    post = client.post(f"/procedures/{procedure.pk}/edit/", edit_form(procedure, pre_pain=1))

    assert page.status_code == post.status_code == 409
    assert "entered in error" in page.content.decode()
    assert Procedure.objects.get(pk=procedure.pk).pre_pain == 7


def test_the_history_reads_in_local_time_and_clinical_words(
    physician_user, staff_user, procedure, settings
):
    """Issue 11: no raw field names, ISO strings or codes; times on the clinic's clock."""
    settings.TIME_ZONE = "Europe/Berlin"
    update_procedure(procedure=procedure, expected_version=1, updated_by=staff_user, side="left")
    html = signed_in(physician_user).get(f"/procedures/{procedure.pk}/history/").content.decode()
    html = re.sub(r"\s+", " ", html)
    # The factory's block was done at 09:30 UTC on 2 March 2026: 10:30 in Berlin.
    assert "<strong>Performed at</strong>: 02 Mar 2026, 10:30" in html
    assert "<strong>Side</strong>: Right → Left" in html
    assert "<strong>Procedure</strong>: Medial branch block" in html
    assert "2026-03-02T" not in html.replace('datetime="2026-', "")
    assert "medial_branch_block" not in html
    assert f"procedure {procedure.pk}" not in html.lower()
    assert "<strong>Entered by</strong>: sam.staff" in html  # a username stays as written
