"""Follow-up after treatment through the API (API_CONTRACT v1.1, CLINICAL_RULES 10)."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import record_block, record_procedure

pytestmark = pytest.mark.django_db


def treatment(episode, user, days_ago, **changes):
    fields = dict(
        episode=episode,
        performed_by=user,
        performed_at=timezone.now() - dt.timedelta(days=days_ago),
        kind="radiofrequency_ablation",
        intent="therapeutic",
        side="right",
        levels=["L4-L5", "L5-S1"],
        anesthetic="lidocaine",
        anesthetic_volume_ml="0.5",
        steroid="none",
        guidance="fluoroscopy",
        contrast_used=False,
        sedation="none",
        pre_pain=7,
    )
    fields.update(changes)
    return record_procedure(**fields)


def post(client, procedure, **body):
    return client.post(f"/api/procedures/{procedure.pk}/follow-ups/", body, format="json")


def test_staff_record_a_follow_up_and_the_treatment_shows_its_outcome(
    staff_client, episode, staff_user
):
    rfa = treatment(episode, staff_user, 100)
    response = post(staff_client, rfa, days_after=90, pain=3, pgic=6, medication_change="less")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["days_after"], body["pain"], body["pgic_words"], body["source"]) == (
        90,
        3,
        "Much improved",
        "staff",
    )
    detail = staff_client.get(f"/api/procedures/{rfa.pk}/").json()
    assert [f["days_after"] for f in detail["follow_ups"]] == [90]
    outcome = detail["outcome"]
    assert outcome["relief_percent"] == {"90": 57.1}
    assert outcome["success"] == {"90": "substantial"}
    assert outcome["pgic_responder"] == {"90": True}
    assert (outcome["benefit_days"], outcome["benefit_censored"]) == (90, True)
    assert outcome["selection"]["group"] == "no-qualifying-selection"


def test_a_second_follow_up_on_the_same_day_is_a_409(staff_client, episode, staff_user):
    rfa = treatment(episode, staff_user, 100)
    assert post(staff_client, rfa, days_after=90, pain=3).status_code == 201
    assert post(staff_client, rfa, days_after=90, pain=4).status_code == 409


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"days_after": 0, "pain": 3}, "days_after"),
        ({"days_after": 731, "pain": 3}, "days_after"),
        ({"days_after": 30, "pain": 11}, "pain"),
        ({"days_after": 30, "pain": 3, "pgic": 0}, "pgic"),
        ({"days_after": 30, "pain": 3, "pgic": 8}, "pgic"),
        ({"days_after": "30", "pain": 3}, "days_after"),
        ({"days_after": 30, "pain": 3, "medication_change": "lots"}, "medication_change"),
    ],
)
def test_values_out_of_range_are_a_400_naming_the_field(
    staff_client, episode, staff_user, body, field
):
    rfa = treatment(episode, staff_user, 100)
    response = post(staff_client, rfa, **body)
    assert response.status_code == 400
    assert field in response.json()


def test_a_diagnostic_block_takes_no_follow_up(staff_client, episode, staff_user):
    block = record_block(episode=episode, performed_by=staff_user, minutes_ago=60 * 24 * 40)
    response = post(staff_client, block, days_after=30, pain=3)
    assert response.status_code == 400
    assert "procedure" in response.json()


def test_a_day_not_yet_come_is_refused(staff_client, episode, staff_user):
    rfa = treatment(episode, staff_user, 10)
    response = post(staff_client, rfa, days_after=14, pain=3)
    assert response.status_code == 400
    assert "days_after" in response.json()


def test_quality_reads_but_does_not_write(quality_client, episode, staff_user):
    rfa = treatment(episode, staff_user, 100)
    assert post(quality_client, rfa, days_after=90, pain=3).status_code == 403
    assert quality_client.get(f"/api/procedures/{rfa.pk}/follow-ups/").status_code == 200
    assert quality_client.post(f"/api/procedures/{rfa.pk}/follow-up-link/").status_code == 403
    assert quality_client.get("/api/follow-ups/").status_code == 403


def test_a_correction_needs_the_version_and_keeps_the_history(staff_client, episode, staff_user):
    rfa = treatment(episode, staff_user, 100)
    made = post(staff_client, rfa, days_after=90, pain=3).json()
    url = f"/api/follow-ups/{made['id']}/"
    fixed = staff_client.patch(url, {"version": 1, "pain": 2}, format="json")
    assert fixed.status_code == 200, fixed.json()
    assert (fixed.json()["pain"], fixed.json()["version"]) == (2, 2)
    stale = staff_client.patch(url, {"version": 1, "pain": 5}, format="json")
    assert stale.status_code == 409
    assert stale.json()["current"]["pain"] == 2
    from blocks.models import FollowUp

    assert [h.pain for h in FollowUp.history.filter(id=made["id"]).order_by("history_id")] == [
        3,
        2,
    ]


def test_a_follow_up_entered_in_error_is_read_by_nothing(staff_client, episode, staff_user):
    rfa = treatment(episode, staff_user, 100)
    made = post(staff_client, rfa, days_after=90, pain=3).json()
    marked = staff_client.post(
        f"/api/follow-ups/{made['id']}/entered-in-error/", {"reason": "wrong patient"}
    )
    assert marked.status_code == 200
    assert marked.json()["entered_in_error"] is True
    outcome = staff_client.get(f"/api/procedures/{rfa.pk}/").json()["outcome"]
    assert outcome["relief_percent"] == {}
    assert post(staff_client, rfa, days_after=90, pain=4).status_code == 201


def test_the_patient_answers_the_points_due_through_a_link(
    staff_client, anon_client, episode, staff_user
):
    rfa = treatment(episode, staff_user, 31)  # 30 days is due (27-44), 14 days too (11-28)
    made = staff_client.post(f"/api/procedures/{rfa.pk}/follow-up-link/")
    assert made.status_code == 201, made.json()
    body = made.json()
    assert [p["days_after"] for p in body["time_points"]] == [30]
    assert body["url"].endswith(f"/follow-up/{body['token']}/")
    token = body["token"]
    seen = anon_client.get(f"/api/follow-up/{token}/")
    assert seen.status_code == 200
    assert "mrn" not in seen.json() and "birth_date" not in seen.json()
    answer = anon_client.post(
        f"/api/follow-up/{token}/answers/", {"days_after": 30, "pain": 2, "pgic": 7}, format="json"
    )
    assert answer.status_code == 201, answer.json()
    assert answer.json()["time_points"] == [
        {"days_after": 30, "due_on": body["time_points"][0]["due_on"], "answered": True}
    ]
    again = anon_client.post(
        f"/api/follow-up/{token}/answers/", {"days_after": 30, "pain": 2}, format="json"
    )
    assert again.status_code == 409
    wrong = anon_client.post(
        f"/api/follow-up/{token}/answers/", {"days_after": 90, "pain": 2}, format="json"
    )
    assert wrong.status_code == 400 and "days_after" in wrong.json()
    detail = staff_client.get(f"/api/procedures/{rfa.pk}/").json()
    assert [(f["source"], f["pain"]) for f in detail["follow_ups"]] == [("patient", 2)]


def test_a_new_link_revokes_the_old_and_unknown_tokens_are_404(
    staff_client, anon_client, episode, staff_user
):
    rfa = treatment(episode, staff_user, 31)
    old = staff_client.post(f"/api/procedures/{rfa.pk}/follow-up-link/").json()["token"]
    new = staff_client.post(f"/api/procedures/{rfa.pk}/follow-up-link/").json()["token"]
    assert anon_client.get(f"/api/follow-up/{old}/").status_code == 410
    assert anon_client.get(f"/api/follow-up/{new}/").status_code == 200
    assert anon_client.get("/api/follow-up/" + "x" * 43 + "/").status_code == 404
    revoked = staff_client.post(f"/api/procedures/{rfa.pk}/follow-up-link/revoke/")
    assert revoked.status_code == 204
    assert anon_client.get(f"/api/follow-up/{new}/").status_code == 410


def test_no_point_due_makes_no_link(staff_client, episode, staff_user):
    rfa = treatment(episode, staff_user, 5)
    assert staff_client.post(f"/api/procedures/{rfa.pk}/follow-up-link/").status_code == 409


def test_the_list_of_follow_ups_due_and_overdue(staff_client, episode, staff_user):
    due = treatment(episode, staff_user, 31)  # 14 days: window 11-28 passed -> overdue; 30 due
    response = staff_client.get("/api/follow-ups/?status=due")
    assert [(i["procedure"], i["days_after"]) for i in response.json()["results"]] == [(due.pk, 30)]
    overdue = staff_client.get("/api/follow-ups/?status=overdue").json()["results"]
    assert [(i["procedure"], i["days_after"], i["state"]) for i in overdue] == [
        (due.pk, 14, "overdue")
    ]
    assert staff_client.get("/api/follow-ups/?status=late").status_code == 400


def test_a_patient_carries_the_phone_and_email_invitations_go_to(staff_client):
    made = staff_client.post(
        "/api/patients/",
        {"mrn": "FU-9", "birth_date": "1970-01-02", "sex": "male", "phone": "+44 7700 900001"},
    )
    assert made.status_code == 201, made.json()
    assert (made.json()["phone"], made.json()["email"]) == ("+44 7700 900001", "")
    url = f"/api/patients/{made.json()['id']}/"
    changed = staff_client.patch(url, {"version": 1, "email": "fu9@example.org"}, format="json")
    assert changed.status_code == 200, changed.json()
    assert changed.json()["email"] == "fu9@example.org"
    bad = staff_client.patch(url, {"version": 2, "email": "not an address"}, format="json")
    assert bad.status_code == 400 and "email" in bad.json()


def test_revoking_the_link_of_a_treatment_entered_in_error_is_a_409_naming_it(
    staff_client, episode, staff_user
):
    from blocks import services
    from blocks.models import Procedure

    rfa = treatment(episode, staff_user, 31)
    services.mark_entered_in_error(
        record=Procedure.objects.get(pk=rfa.pk), reason="Wrong patient", user=staff_user
    )
    response = staff_client.post(f"/api/procedures/{rfa.pk}/follow-up-link/revoke/")
    assert response.status_code == 409
    assert response.json()["entered_in_error"] == {"record": "procedure", "id": rfa.pk}


def test_an_mrn_with_a_nul_character_is_a_400_naming_the_filter(staff_client):
    response = staff_client.get("/api/procedures/?mrn=DEMO%00")
    assert response.status_code == 400
    assert list(response.json()) == ["mrn"]
