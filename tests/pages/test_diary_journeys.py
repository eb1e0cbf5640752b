"""The post-block diary from the patient's hands, in a real browser (issue 10's journeys).

Staff log a block, give the patient a diary link and print the card; the patient, on a phone
with no session, enters three scores; the reading on the episode page shows them; staff type
the rest from the returned card into the grid and the diary turns complete; a wrong score is
corrected; an expired link shows its page; an overdue diary is on the list to chase.
Screenshots go to test-artifacts/screenshots/diary/ (or $DIARY_SHOTS) for people to look at.
"""

import datetime as dt
import io
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.pages import test_journeys as journeys
from tests.pages.conftest import SCREENSHOTS
from tests.pages.test_journeys import sign_in

# The journeys' fixtures: signed-up people, and a page that fails on CSP or script errors.
people = journeys.people
browser_page = journeys.browser_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = Path(os.environ.get("DIARY_SHOTS", SCREENSHOTS.parent / "diary"))
PHONE = {"width": 390, "height": 844}
BLOCK_MINUTES_AGO = 250  # a lidocaine diary's last point (240) has just passed; open until 360


def shot(page: Page, name: str, **options) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True, **options)


def clock(performed_at: dt.datetime, minutes: int) -> str:
    return f"{timezone.localtime(performed_at + dt.timedelta(minutes=minutes)):%H:%M}"


def log_recent_block(page: Page, performed_at: dt.datetime) -> None:
    """A right L4-L5/L5-S1 lidocaine medial branch block, no diary scores yet."""
    page.get_by_role("link", name="Log a procedure").click()
    page.get_by_label("Performed at").fill(f"{timezone.localtime(performed_at):%Y-%m-%dT%H:%M}")
    page.get_by_label("Performed by").select_option(label="Pat Okafor")
    page.get_by_role("combobox", name=re.compile("^Procedure")).select_option("medial_branch_block")
    page.get_by_label("L4-L5", exact=True).check()
    page.get_by_label("L5-S1", exact=True).check()
    page.get_by_role("combobox", name=re.compile("^Anaesthetic")).select_option("lidocaine")
    page.get_by_label("Anaesthetic volume per level (mL)").fill("0.5")
    page.get_by_role("combobox", name=re.compile("^Intent")).select_option("diagnostic")
    page.get_by_role("combobox", name=re.compile("^Side")).select_option("right")
    page.get_by_role("combobox", name=re.compile("^Steroid")).select_option("none")
    page.get_by_role("combobox", name=re.compile("^Image guidance")).select_option("fluoroscopy")
    page.get_by_role("combobox", name=re.compile("^Sedation")).select_option("none")
    page.locator("input[name='contrast_used'][value='yes']").check()
    page.locator("input[name='contrast_flow_confirmed'][value='yes']").check()
    page.get_by_label("Pain just before the block (0–10)").fill("7")
    page.get_by_role("button", name="Save procedure").click()
    expect(page.locator(".message.success")).to_contain_text("Medial branch block recorded.")


def patient_scores(phone: Page, scores: list[tuple[str, int, str]]) -> None:
    """Each (clock time due, score, relief) as the patient taps it."""
    for due, score, relief in scores:
        expect(phone.locator(".pd-due")).to_have_text(f"Your score for {due}")
        if relief:
            phone.get_by_label(re.compile("how much better is your pain")).fill(relief)
        phone.get_by_role("button", name=str(score), exact=True).click()
        expect(phone.locator(".pd-thanks")).to_contain_text(f"Your score for {due} is saved.")


def test_the_diary_from_the_patients_hands(
    browser_page: Page, live_server, episode, physician_user
):
    from blocks.models import DiaryLink, Procedure
    from tests.factories import record_block

    # An older block whose diary closed yesterday with points missing: one to chase.
    overdue = record_block(
        episode=episode,
        performed_by=physician_user,
        minutes_ago=60 * 20,
        pain_scores=[{"minutes_after": 15, "score": 2}],
    )
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, "sam.staff")
    page.goto(f"{live_server.url}/episodes/{episode.pk}/")
    performed_at = (timezone.now() - dt.timedelta(minutes=BLOCK_MINUTES_AGO)).replace(
        second=0, microsecond=0
    )
    log_recent_block(page, performed_at)
    SHOTS.mkdir(parents=True, exist_ok=True)
    block = Procedure.objects.exclude(pk=overdue.pk).get(episode=episode)

    # Staff give the patient a link: it is shown once, with the card to print.
    article = page.locator(f"#procedure-{block.pk}")
    article.scroll_into_view_if_needed()
    article.screenshot(path=str(SHOTS / "episode-procedure-1280.png"))
    article.get_by_role("button", name="Give the patient a diary link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Diary card")
    url = page.locator("#diary-link-url").input_value()
    assert re.fullmatch(rf"{re.escape(live_server.url)}/diary/[\w-]{{40,}}/", url)
    card = page.locator("article.diary-card")
    expect(card.locator("tbody tr")).to_have_count(8)  # lidocaine: 15 ... 240 minutes
    expect(card.locator("tbody tr").first).to_contain_text(clock(performed_at, 15))
    expect(card.locator("svg.qr")).to_be_visible()
    expect(page.get_by_role("button", name="Print the card")).to_be_visible()
    shot(page, "card-screen-1280")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    shot(page, "card-print-1280")
    pdf = page.pdf(format="A4", print_background=True)
    page.emulate_media(media="screen")
    from pypdf import PdfReader

    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1  # the card is one page

    # The patient, on a phone with no session, opens the link and enters three scores.
    phone_context = page.context.browser.new_context(viewport=PHONE, is_mobile=True)
    phone = phone_context.new_page()
    phone.goto(url)
    assert "/diary/my/" in phone.url
    assert url.rstrip("/").rsplit("/", 1)[-1] not in phone.url  # the token left the URL bar
    local = timezone.localtime(performed_at)
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        f"Right lower back, nerve block, {local.day} {local:%B %H:%M}"
    )
    expect(phone.locator("body")).not_to_contain_text(episode.patient.mrn)
    shot(phone, "patient-phone-390")
    patient_scores(
        phone,
        [
            (clock(performed_at, 240), 6, "10"),
            (clock(performed_at, 180), 5, ""),
            (clock(performed_at, 120), 2, "70"),
        ],
    )
    expect(phone.locator(".pd-times")).to_contain_text("given later")
    shot(phone, "patient-phone-390-thanks")

    # The episode page shows the patient's scores, their source and the late mark.
    page.goto(f"{live_server.url}/episodes/{episode.pk}/")
    article = page.locator(f"#procedure-{block.pk}")
    article.locator("summary", has_text="Diary scores").click()
    expect(article.locator("table.data")).to_contain_text("patient (diary link)")
    expect(article.locator("table.data")).to_contain_text("late")
    expect(article.locator(".reading")).to_contain_text("71.4")  # (7 - 2) / 7 at 120 minutes

    # Staff type the returned card's first scores into the grid, in one submit.
    article.get_by_role("link", name="Diary by clock time: enter or correct scores").click()
    for minutes, score in ((15, 1), (30, 1), (45, 3), (60, 1), (90, 1)):
        page.get_by_label(f"{clock(performed_at, minutes)} ({minutes} min): pain (0–10)").fill(
            str(score)
        )
    page.get_by_role("button", name="Save the diary").click()
    expect(page.locator(".message.success")).to_contain_text("5 scores added")
    expect(page.locator(".phone-call")).to_contain_text("Complete")
    shot(page, "staff-grid-1280")

    # A score typed wrong (45 minutes: 3, the card says 1) is corrected in its row.
    page.get_by_label(f"{clock(performed_at, 45)} (45 min): pain (0–10)").fill("1")
    page.get_by_role("button", name="Save the diary").click()
    expect(page.locator(".message.success")).to_contain_text("1 score corrected")
    expect(page.locator("tr", has_text=f"{clock(performed_at, 45)} (45 min)")).to_contain_text("v2")
    page.goto(f"{live_server.url}/episodes/{episode.pk}/")
    expect(page.locator(f"#procedure-{block.pk} .reading")).to_contain_text("85.7")

    # The link has expired (its diary's time is over): the patient's page says so plainly.
    DiaryLink.objects.filter(procedure=block).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    answer = phone.reload()
    assert answer.status == 410
    expect(phone.get_by_role("heading", level=1)).to_have_text("This diary link no longer works")
    shot(phone, "patient-phone-390-ended")
    phone_context.close()

    # The overdue diary is on the staff's list to chase.
    page.get_by_role("link", name="Diaries to chase").click()
    row = page.locator("tr", has_text=episode.patient.mrn)
    expect(row.first).to_contain_text("Overdue: call the patient")
    shot(page, "diaries-to-chase-1280")
