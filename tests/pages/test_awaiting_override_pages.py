"""Awaiting override on the pages: staff save it, physicians see it first and record the reason."""

import pytest

from blocks.models import Procedure
from tests.factories import ProcedureFactory, ScreeningFactory

pytestmark = pytest.mark.django_db


def form_body(physician_user, **changes):
    body = {
        "performed_at": "2026-03-02T09:30",
        "performed_by": physician_user.pk,
        "kind": "medial_branch_block",
        "intent": "diagnostic",
        "side": "right",
        "levels": ["L4-L5", "L5-S1"],
        "anesthetic": "lidocaine",
        "anesthetic_volume_ml": "0.5",
        "steroid": "none",
        "guidance": "fluoroscopy",
        "sedation": "none",
        "contrast_used": "yes",
        "contrast_flow_confirmed": "yes",
        "pre_pain": "7",
        "contraindications": ["anticoagulant_not_held"],
        "diary-TOTAL_FORMS": "0",
        "diary-INITIAL_FORMS": "0",
        "discs-TOTAL_FORMS": "0",
        "discs-INITIAL_FORMS": "0",
    }
    body.update(changes)
    return body


@pytest.fixture
def awaiting(episode, physician_user):
    procedure = ProcedureFactory(
        episode=episode, performed_by=physician_user, awaiting_override=True, screening=None
    )
    ScreeningFactory(procedure=procedure, contraindications=["anticoagulant_not_held"])
    return procedure


def test_staff_meeting_a_hard_stop_are_offered_awaiting_override(staff, episode, physician_user):
    url = f"/episodes/{episode.pk}/procedures/new/"
    page = staff.post(url, form_body(physician_user)).content.decode()
    assert "Save as awaiting a physician&#x27;s override" in page
    assert not Procedure.objects.exists()
    response = staff.post(url, form_body(physician_user, awaiting_override="on"))
    assert response.status_code == 302
    procedure = Procedure.objects.get()
    assert procedure.awaiting_override
    assert procedure.screening.overridden_by is None


def test_awaiting_without_a_hard_stop_is_refused_beside_the_box(staff, episode, physician_user):
    url = f"/episodes/{episode.pk}/procedures/new/"
    body = form_body(physician_user, contraindications=[], awaiting_override="on")
    page = staff.post(url, body).content.decode()
    assert "No hard stop was found in the screening" in page
    assert not Procedure.objects.exists()


def test_the_worklist_lists_it_first_as_urgent(physician, awaiting):
    page = physician.get("/worklist/").content.decode()
    urgent = page.index("Urgent: awaiting your override")
    assert urgent < page.index("<h1>Worklist")
    assert f'href="/procedures/{awaiting.pk}/override/"' in page
    assert "Hard stop:" in page


def test_the_physician_records_the_reason_and_it_counts(physician, physician_user, awaiting):
    url = f"/procedures/{awaiting.pk}/override/"
    assert "Awaiting your override" in physician.get(url).content.decode()
    empty = physician.post(url, {"version": awaiting.version, "override_reason": ""})
    assert empty.status_code == 400
    assert "Write why the procedure went ahead" in empty.content.decode()
    response = physician.post(url, {"version": awaiting.version, "override_reason": "INR 1.1"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#procedure-{awaiting.pk}")
    awaiting.refresh_from_db()
    assert not awaiting.awaiting_override
    assert awaiting.screening.override_reason == "INR 1.1"
    assert awaiting.screening.overridden_by == physician_user
    assert "Urgent: awaiting" not in physician.get("/worklist/").content.decode()


def test_staff_may_not_open_the_override_page(staff, awaiting):
    assert staff.get(f"/procedures/{awaiting.pk}/override/").status_code == 403
