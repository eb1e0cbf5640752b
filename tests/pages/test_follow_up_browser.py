"""The follow-up pages in a real browser, on the demo clinic: the evidence on /reports/, the
episode page's follow-up chart, the staff grid and the patient's page on a phone. Each page
is photographed into SHOTS (the lead's review) and must not scroll sideways."""

import os
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from blocks import services
from blocks.models import Patient, Procedure
from tests.pages.test_journeys import PASSWORD, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = Path(os.environ.get("FOLLOW_UP_SHOTS", "test-artifacts/screenshots/follow-up"))


@pytest.fixture
def demo(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    from django.contrib.auth import get_user_model

    for user in get_user_model().objects.filter(username__in=["staff", "physician"]):
        user.set_password(PASSWORD)
        user.save()
    SHOTS.mkdir(parents=True, exist_ok=True)


def rfa_of(mrn: str) -> Procedure:
    return Procedure.objects.get(episode__patient__mrn=mrn, kind="radiofrequency_ablation")


def no_sideways_scroll(page: Page, what: str) -> None:
    # The page's own content (the shared site header is not this page's to fix).
    wide = page.evaluate(
        "[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right"
        " > window.innerWidth + 1).map(e => e.tagName + '.' + e.className)"
    )
    assert wide == [], f"{what} is wider than the screen: {wide}"


def test_the_evidence_the_chart_the_grid_and_the_patient_page(page: Page, live_server, demo):
    page.set_default_timeout(15_000)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, "physician")

    page.goto(f"{live_server.url}/reports/?from=&to=")  # every date: the page opens on last month
    outcome = page.locator(
        "section", has=page.get_by_role("heading", name="Outcome of the pathway")
    )
    expect(outcome).to_contain_text("Two blocks ≥ 80 %, concordant")
    expect(outcome.locator("img")).to_have_count(2)
    outcome.screenshot(path=SHOTS / "reports-evidence-1280.png")

    repeat = rfa_of("DEMO-031")
    page.goto(f"{live_server.url}/episodes/{repeat.episode_id}/")
    card = page.locator(f"#follow-up-{repeat.pk}")
    expect(card).to_contain_text("Repeat RFA may be offered")
    expect(card.locator("svg")).to_have_count(1)
    card.screenshot(path=SHOTS / "episode-follow-up-chart-1280.png")
    no_sideways_scroll(page, "the episode page")

    due = rfa_of("DEMO-037")
    page.goto(f"{live_server.url}/procedures/{due.pk}/follow-ups/")
    expect(page.locator(".follow-up-grid")).to_contain_text("Due: call or send the link")
    page.screenshot(path=SHOTS / "follow-up-grid-1280.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    no_sideways_scroll(page, "the follow-up grid at 390 px")
    page.screenshot(path=SHOTS / "follow-up-grid-390.png", full_page=True)

    link, token = services.followup.follow_up_link_create(procedure=due, created_by=None)
    patient = page.context.browser.new_page(viewport={"width": 390, "height": 844})
    patient.goto(f"{live_server.url}/follow-up/{token}/")
    assert patient.url.endswith("/follow-up/")
    expect(patient.get_by_role("heading", level=1)).to_have_text(
        "How are you since your treatment?"
    )
    assert Patient.objects.get(mrn="DEMO-037").mrn not in patient.content()
    no_sideways_scroll(patient, "the patient's page at 390 px")
    patient.screenshot(path=SHOTS / "patient-follow-up-390.png", full_page=True)
    patient.locator(".scale label").nth(2).click()
    patient.get_by_label("Much improved", exact=True).check()
    patient.get_by_role("button", name="Send my answer").click()
    expect(patient.locator(".notice.good")).to_contain_text("your answer was saved")
    patient.screenshot(path=SHOTS / "patient-follow-up-saved-390.png", full_page=True)
    assert due.follow_ups.filter(days_after=30, source="patient", pain=2, pgic=6).exists()
