"""Handing the diary to the patient: the button on the procedure, the link shown once with its
QR code on a printable card, and withdrawing it."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from blocks.models import DiaryLink, token_hash
from blocks.views.diaries import block_words

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def staff(staff_user):
    return _client(staff_user)


def test_the_episode_page_offers_the_link_for_an_open_diary(staff, block):
    html = staff.get(f"/episodes/{block.episode_id}/").content.decode()
    assert "Give the patient a diary link" in html
    assert f'action="/procedures/{block.pk}/diary/card/"' in html


def test_a_closed_diary_offers_no_link(staff, episode, physician_user):
    from tests.factories import record_block

    old = record_block(episode=episode, performed_by=physician_user, minutes_ago=60 * 13)
    html = staff.get(f"/episodes/{old.episode_id}/").content.decode()
    assert "Give the patient a diary link" not in html
    refused = staff.post(f"/procedures/{old.pk}/diary/card/")
    assert refused.status_code == 409
    assert "no longer useful" in refused.content.decode()
    assert not DiaryLink.objects.exists()


def test_the_link_is_shown_once_with_its_qr_code_on_a_one_page_card(staff, block):
    response = staff.post(f"/procedures/{block.pk}/diary/card/")

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    url = re.search(r'id="diary-link-url"[^>]*value="(http://testserver/diary/[^"]+/)"', html)
    token = url.group(1).rstrip("/").rsplit("/", 1)[-1]
    link = DiaryLink.objects.get(procedure=block)
    assert link.token_hash == token_hash(token)
    assert '<svg class="qr" role="img"' in html
    card = html[html.index('<article class="diary-card"') :]
    clocks = re.findall(r'<tr><th scope="row">([^<]+)</th><td class="box">', card)
    expected = [
        f"{timezone.localtime(block.performed_at + dt.timedelta(minutes=m)):%H:%M}"
        for m in (15, 30, 60, 120, 180, 240, 300, 360, 480, 600)
    ]
    assert [c.removesuffix(" next day") for c in clocks] == expected
    assert "Right lower back, nerve block" in card
    assert block.episode.patient.mrn not in card  # the card goes home with the patient
    assert "Rate your usual pain" in card

    again = staff.get(f"/procedures/{block.pk}/diary/card/").content.decode()
    assert token not in again
    assert '<svg class="qr"' not in again


def test_the_recovery_scores_are_already_on_the_card(staff, block):
    html = staff.post(f"/procedures/{block.pk}/diary/card/").content.decode()
    card = html[html.index('<article class="diary-card"') :]
    boxes = re.findall(r'<td class="box">([^<]*)</td>', card)
    assert boxes[:6] == ["1", "", "1", "", "", ""]  # 15 and 30 minutes scored in recovery


def test_staff_withdraw_the_link_and_the_patient_page_says_it_ended(staff, block):
    staff.post(f"/procedures/{block.pk}/diary/card/")
    grid = staff.get(f"/procedures/{block.pk}/diary/").content.decode()
    assert "Withdraw the patient's link" in grid

    response = staff.post(f"/procedures/{block.pk}/diary/link/revoke/", follow=True)

    assert response.redirect_chain[-1][0] == f"/procedures/{block.pk}/diary/"
    assert "was withdrawn" in response.content.decode()
    assert DiaryLink.objects.standing().filter(procedure=block).count() == 0


def test_quality_may_not_make_a_link(quality_user, block):
    response = _client(quality_user).post(f"/procedures/{block.pk}/diary/card/")
    assert response.status_code == 403
    assert not DiaryLink.objects.exists()


def test_an_si_joint_reads_without_a_repeated_level(episode, physician_user):
    from tests.factories import record_block

    si = record_block(
        episode=episode, performed_by=physician_user, kind="sacroiliac_joint", levels=["SI"]
    )
    assert block_words(si).startswith("Right sacroiliac (SI) joint, ")
    assert " at SI" not in block_words(si)


def test_the_card_with_its_qr_code_and_the_patients_page_keep_to_the_csp(staff, block):
    from tests.trust.test_pages_keep_to_the_csp import FORBIDDEN

    card = staff.post(f"/procedures/{block.pk}/diary/card/")
    url = re.search(
        r'id="diary-link-url"[^>]*value="http://testserver([^"]+)"', card.content.decode()
    )
    phone = Client()
    page = phone.get(url.group(1), follow=True)

    for response in (card, page):
        assert "Content-Security-Policy" in response.headers
        html = response.content.decode()
        assert [name for name, pattern in FORBIDDEN.items() if pattern.search(html)] == []
    assert 'name="score"' in page.content.decode()
