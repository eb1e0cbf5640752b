"""The patient's phone page: the token leaves the URL bar, no identifier is shown, the 0-10
buttons answer the time point due, and an ended link says so plainly."""

import datetime as dt
import re

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from blocks.models import DiaryLink, PainScore
from blocks.patient_diary import handle_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def phone():
    """A browser with no session, enforcing CSRF as a real one would be held to it."""
    return Client(enforce_csrf_checks=True)


def _open(phone, token):
    """First visit: 303 to the token-free page, the token kept in a cookie for that path."""
    return phone.get(f"/diary/{token}/")


def _csrf(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def _clock(moment) -> str:
    return f"{timezone.localtime(moment):%H:%M}"


def test_the_link_moves_its_token_into_a_strict_cookie_and_leaves_the_url(
    phone, token, link_and_token
):
    link = link_and_token[0]
    response = _open(phone, token)

    handle = handle_of(link)
    assert response.status_code == 303
    assert response["Location"] == f"/diary/my/{handle}/"
    assert token not in response["Location"]
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["Cache-Control"] == "no-store"
    cookie = response.cookies[f"diary_{handle}"]
    assert cookie.value == token
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Strict"
    assert cookie["path"] == f"/diary/my/{handle}/"


def test_the_page_names_the_block_in_plain_words_and_no_identifier(phone, token, block):
    page = phone.get(_open(phone, token)["Location"])

    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    assert page["Referrer-Policy"] == "same-origin"  # a no-referrer form page sends Origin: null
    html = page.content.decode()
    local = timezone.localtime(block.performed_at)
    assert f"Right lower back, nerve block, {local.day} {local:%B %H:%M}" in html
    patient = block.episode.patient
    for identifier in (patient.mrn, f"{patient.birth_date:%d %b %Y}", "L4-L5", "bupivacaine"):
        assert identifier not in html
    assert token not in html
    due = _clock(block.performed_at + dt.timedelta(minutes=60))
    assert f"Your score for <strong>{due}</strong>" in html
    buttons = re.findall(r'<button type="submit" name="score" value="(\d+)"', html)
    assert buttons == [str(n) for n in range(11)]
    assert "<script" not in html


def test_a_tap_saves_the_score_and_thanks_with_the_next_time(phone, token, block):
    page = phone.get(_open(phone, token)["Location"])
    url = page.request["PATH_INFO"]

    answer = phone.post(
        url,
        {
            "csrfmiddlewaretoken": _csrf(page.content.decode()),
            "minutes_after": "60",
            "patient_reported_relief_percent": "75",
            "score": "2",
        },
    )

    assert answer.status_code == 303
    saved = PainScore.objects.get(procedure=block, source="patient")
    assert (saved.minutes_after, saved.score, saved.patient_reported_relief_percent) == (60, 2, 75)
    thanks = phone.get(answer["Location"]).content.decode()
    at_60 = _clock(block.performed_at + dt.timedelta(minutes=60))
    at_120 = _clock(block.performed_at + dt.timedelta(minutes=120))
    assert f"Your score for {at_60} is saved" in thanks
    assert f"Your next score is due at <strong>{at_120}</strong>" in thanks
    assert "it takes your score from" in thanks  # 120 is not open yet: no buttons
    assert 'name="score"' not in thanks


def test_a_second_tap_for_the_same_time_is_refused_and_the_first_counts(phone, token, block):
    page = phone.get(_open(phone, token)["Location"])
    url = page.request["PATH_INFO"]
    form = {"csrfmiddlewaretoken": _csrf(page.content.decode()), "minutes_after": "60"}
    phone.post(url, {**form, "score": "2"})

    again = phone.post(url, {**form, "score": "6"})

    assert again.status_code == 409
    assert "the first one counts" in again.content.decode()
    assert list(PainScore.objects.filter(source="patient").values_list("score", flat=True)) == [2]


def test_a_relief_out_of_range_is_refused_naming_it(phone, token):
    page = phone.get(_open(phone, token)["Location"])
    answer = phone.post(
        page.request["PATH_INFO"],
        {
            "csrfmiddlewaretoken": _csrf(page.content.decode()),
            "minutes_after": "60",
            "patient_reported_relief_percent": "150",
            "score": "2",
        },
    )
    assert answer.status_code == 400
    assert "less than or equal to 100" in answer.content.decode()
    assert not PainScore.objects.filter(source="patient").exists()


def test_the_page_without_its_cookie_reloads_once_then_says_to_open_the_link_again(
    link_and_token,
):
    stranger = Client()
    url = f"/diary/my/{handle_of(link_and_token[0])}/"

    first = stranger.get(url)
    again = stranger.get(f"{url}?again=1")

    assert first.status_code == 200
    assert '<meta http-equiv="refresh" content="0; url=' in first.content.decode()
    assert again.status_code == 400
    assert "open the link from the clinic" in again.content.decode()


@pytest.mark.parametrize("how", ["expired", "revoked"])
def test_an_ended_link_shows_a_plain_page_and_no_detail(how, phone, link_and_token, staff_user):
    from blocks import services

    link, token = link_and_token
    page_url = _open(phone, token)["Location"]
    if how == "expired":
        DiaryLink.objects.filter(pk=link.pk).update(
            expires_at=timezone.now() - dt.timedelta(minutes=1)
        )
    else:
        services.diary_link_revoke(procedure=link.procedure, revoked_by=staff_user)

    for response in (phone.get(page_url), Client().get(f"/diary/{token}/")):
        assert response.status_code == 410
        html = response.content.decode()
        assert "This diary link no longer works" in html
        assert "nerve block" not in html
        assert "revoked" not in html and "expired" not in html


def test_an_unknown_token_is_a_404_page(phone):
    response = phone.get(f"/diary/{'z' * 43}/")
    assert response.status_code == 404
    assert "This link is not known" in response.content.decode()


@override_settings(TRACKER_DIARY_RATE="2/minute")
def test_the_page_is_throttled_per_address(token):
    statuses = [Client().get(f"/diary/{token}/").status_code for _ in range(3)]
    assert statuses == [303, 303, 429]


def test_the_last_answer_completes_the_diary_and_the_page_thanks_instead_of_ending(
    phone, episode, physician_user, staff_user
):
    from blocks import services
    from tests.factories import record_block

    # Lidocaine is read from 0 to 180 minutes: the patient's 180-minute score completes it.
    recovery = [(15, 1), (30, 1), (45, 1), (60, 1), (90, 1), (120, 5)]
    block = record_block(
        episode=episode,
        performed_by=physician_user,
        minutes_ago=200,
        anesthetic="lidocaine",
        pre_pain=7,
        pain_scores=[{"minutes_after": m, "score": s} for m, s in recovery],
    )
    _, token = services.diary_link_create(procedure=block, created_by=staff_user)
    page = phone.get(_open(phone, token)["Location"])
    answer = phone.post(
        page.request["PATH_INFO"],
        {"csrfmiddlewaretoken": _csrf(page.content.decode()), "minutes_after": "180", "score": "6"},
    )

    block.refresh_from_db()
    assert block.diary_state() == "complete"
    thanks = phone.get(answer["Location"])
    assert thanks.status_code == 200
    html = thanks.content.decode()
    assert "your diary is complete" in html
    assert 'name="score"' not in html
    assert phone.get(f"/diary/{token}/").status_code == 303  # the link still opens, to read
