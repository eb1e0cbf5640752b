"""The follow-up grid and the patient's follow-up page (CLINICAL_RULES section 10)."""

import pytest

from blocks import services
from blocks.models import FollowUp
from tests.api.test_api_follow_ups import treatment

pytestmark = pytest.mark.django_db


def test_the_grid_lists_the_points_due_and_saves_every_row_in_one_submit(
    staff, episode, staff_user
):
    rfa = treatment(episode, staff_user, 100)
    url = f"/procedures/{rfa.pk}/follow-ups/"
    page = staff.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Day 90" in text and "Due: call or send the link" in text
    assert "Overdue" in text  # 14 and 30 days passed unanswered
    saved = staff.post(
        url,
        {
            "p90-pain": "3",
            "p90-pgic": "6",
            "p14-pain": "2",
            "new-days_after": "60",
            "new-pain": "4",
        },
    )
    assert saved.status_code == 302
    rows = FollowUp.objects.filter(procedure=rfa).order_by("days_after")
    assert [(f.days_after, f.pain, f.pgic) for f in rows] == [
        (14, 2, None),
        (60, 4, None),
        (90, 3, 6),
    ]
    shown = staff.get(url).content.decode()
    assert "Much improved" in shown and "staff:" in shown


def test_one_refused_row_saves_nothing(staff, episode, staff_user):
    rfa = treatment(episode, staff_user, 100)
    refused = staff.post(
        f"/procedures/{rfa.pk}/follow-ups/",
        {"p90-pain": "3", "new-days_after": "900", "new-pain": "4"},
    )
    assert refused.status_code == 400
    assert "Nothing was saved" in refused.content.decode()
    assert not FollowUp.objects.filter(procedure=rfa).exists()


def test_a_correction_and_an_entered_in_error_mark_keep_the_history(staff, episode, staff_user):
    rfa = treatment(episode, staff_user, 100)
    first = services.followup.follow_up_add(
        procedure=rfa, days_after=90, pain=3, recorded_by=staff_user
    )
    other = services.followup.follow_up_add(
        procedure=rfa, days_after=30, pain=5, recorded_by=staff_user
    )
    url = f"/procedures/{rfa.pk}/follow-ups/"
    staff.post(
        url,
        {
            f"f{first.pk}-version": "1",
            f"f{first.pk}-pain": "2",
            f"f{other.pk}-version": "1",
            f"f{other.pk}-pain": "5",
            f"f{other.pk}-error_reason": "another patient's call",
        },
    )
    first.refresh_from_db()
    other.refresh_from_db()
    assert (first.pain, first.version) == (2, 2)
    assert other.entered_in_error and other.entered_in_error_reason == "another patient's call"
    stale = staff.post(url, {f"f{first.pk}-version": "1", f"f{first.pk}-pain": "6"})
    assert stale.status_code == 409


def test_the_patient_page_moves_the_token_into_a_cookie_and_takes_an_answer(
    anon, episode, staff_user
):
    rfa = treatment(episode, staff_user, 31)
    link, token = services.followup.follow_up_link_create(procedure=rfa, created_by=staff_user)
    arrived = anon.get(f"/follow-up/{token}/")
    assert arrived.status_code == 302 and arrived["Location"] == "/follow-up/"
    assert arrived["Referrer-Policy"] == "no-referrer"
    assert "no-store" in arrived["Cache-Control"]
    page = anon.get("/follow-up/")
    text = page.content.decode()
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "same-origin"
    assert "How are you since your treatment?" in text
    assert episode.patient.mrn not in text and token not in text
    answered = anon.post("/follow-up/", {"days_after": "30", "pain": "2", "pgic": "7"})
    assert answered.status_code == 302
    assert FollowUp.objects.get(procedure=rfa).source == "patient"
    assert "You have answered every follow-up" in anon.get("/follow-up/?saved=1").content.decode()


def test_a_revoked_link_says_so_in_plain_words(anon, episode, staff_user):
    rfa = treatment(episode, staff_user, 31)
    _, old = services.followup.follow_up_link_create(procedure=rfa, created_by=staff_user)
    services.followup.follow_up_link_create(procedure=rfa, created_by=staff_user)
    anon.get(f"/follow-up/{old}/")
    page = anon.get("/follow-up/")
    assert page.status_code == 410
    assert "This link has expired" in page.content.decode()


def test_the_staff_home_slot_lists_follow_ups_due_and_overdue(staff, episode, staff_user):
    from django.template.loader import render_to_string

    rfa = treatment(episode, staff_user, 31)
    html = render_to_string("blocks/_followups_due.html")
    assert "1 overdue · 1 due now." in html
    assert f"/procedures/{rfa.pk}/follow-ups/" in html
    assert html.index("14 days") < html.index("30 days")  # overdue first


def test_the_staff_home_slot_loads_only_the_points_it_shows(
    staff, episode, staff_user, monkeypatch
):
    """A large clinic has thousands of points to chase: the slot shows the first 20 and
    counts the rest, loading only the shown points' procedures (and their patients)."""
    from django.template.loader import render_to_string

    from blocks.models import Procedure
    from blocks.templatetags import followup_tags

    for _ in range(25):  # each: its 14-day point overdue, its 30-day point due
        treatment(episode, staff_user, 31)
    loaded = []
    from_db = Procedure.from_db.__func__
    monkeypatch.setattr(
        Procedure, "from_db", classmethod(lambda cls, *a: loaded.append(1) or from_db(cls, *a))
    )
    html = render_to_string("blocks/_followups_due.html")
    assert "25 overdue · 25 due now." in html
    assert html.count("/follow-ups/") == followup_tags.SHOWN
    assert "and 30 more" in html
    assert len(loaded) == followup_tags.SHOWN  # the 20 overdue points shown, one treatment each


def test_the_points_to_chase_are_kept_until_a_follow_up_or_treatment_changes(
    staff, episode, staff_user
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from blocks.selectors import followup_points

    rfa = treatment(episode, staff_user, 31)
    first = followup_points()
    assert [(p.days_after, p.state) for p in first] == [(14, "overdue"), (30, "due")]
    with CaptureQueriesContext(connection) as again:
        assert followup_points() == first
    assert not any("blocks_followup" in q["sql"] and "days_after" in q["sql"] for q in again)
    services.followup.follow_up_add(procedure=rfa, days_after=30, pain=3, recorded_by=staff_user)
    assert [(p.days_after, p.state) for p in followup_points()] == [(14, "overdue")]
    treatment(episode, staff_user, 16)  # a new treatment: its 14-day point is due
    assert [(p.days_after, p.state) for p in followup_points()] == [
        (14, "overdue"),
        (14, "due"),
    ]


def test_the_episode_page_shows_each_treatments_follow_up_chart(physician, episode, staff_user):
    rfa = treatment(episode, staff_user, 100)
    for days, pain in ((14, 1), (30, 2), (90, 3)):
        services.followup.follow_up_add(
            procedure=rfa, days_after=days, pain=pain, recorded_by=staff_user
        )
    html = physician.get(f"/episodes/{episode.pk}/").content.decode()
    assert f'id="follow-up-{rfa.pk}"' in html
    assert "<polyline" in html
    assert "Relief: 85.7 % at day 14, 71.4 % at day 30, 57.1 % at day 90." in html
    assert "No qualifying selection" in html  # no diagnostic block before this RFA
