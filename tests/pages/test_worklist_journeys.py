"""The physician's own worklist in a real browser: accept, decline without and then with a
reason, and each time back on the same filtered worklist. Screenshots at 1280 and 390 px go
to /work/wt/shots/worklist/ (or $WORKLIST_SHOTS) for a person to look at.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.factories import EpisodeFactory, PatientFactory, UserFactory
from tests.pages.conftest import record_block
from tests.pages.test_journeys import browser_page, people, sign_in  # noqa: F401  (fixtures)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = Path(os.environ.get("WORKLIST_SHOTS", "/work/wt/shots/worklist"))
PARTIAL = ((15, 3), (30, 3), (90, 3), (180, 5))  # 57 % relief: a partial response


@pytest.fixture
def day(staff_user, physician_user):
    """Two of Dr Okafor's episodes (a confirmatory block, a partial response) and one of
    Dr Ng's."""
    other = UserFactory(username="dr.ola", roles=["physician"], first_name="Ola", last_name="Ng")
    mine = EpisodeFactory(created_by=staff_user, patient=PatientFactory(mrn="W2001"))
    partial = EpisodeFactory(created_by=staff_user, patient=PatientFactory(mrn="W2002"))
    theirs = EpisodeFactory(created_by=staff_user, patient=PatientFactory(mrn="W3001"))
    record_block(mine, performed_by=physician_user)
    record_block(partial, performed_by=physician_user, days=1, diary=PARTIAL)
    record_block(theirs, performed_by=other, days=2)
    return {"mine": mine, "partial": partial, "theirs": theirs}


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_the_physicians_own_worklist_accept_and_decline_back_in_place(
    browser_page: Page,  # noqa: F811
    live_server,
    day,
):
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, "dr.pat")
    expect(page).to_have_url(f"{live_server.url}/worklist/")
    items = page.locator("article.work-item")
    expect(items).to_have_count(2)  # their own: Dr Ng's patient is not on it
    expect(page.get_by_role("link", name="My patients")).to_have_attribute("aria-current", "page")
    shoot(page, "worklist-own-1280")

    page.get_by_role("link", name="All physicians").click()
    expect(items).to_have_count(3)
    expect(page.locator("article.work-item", has_text="W3001")).to_contain_text("By Ola Ng")
    page.get_by_role("link", name="My patients").click()
    expect(items).to_have_count(2)

    page.locator(".counts").get_by_role("link", name=re.compile("^Confirmatory block")).click()
    filtered = page.url
    assert "code=confirmatory_block" in filtered
    expect(items).to_have_count(1)
    card = page.locator("article.work-item", has_text="W2001")
    card.get_by_role("button", name=re.compile("^Decline")).click()  # no reason given

    expect(page.locator("h1")).to_contain_text("Worklist")
    card = page.locator("article.work-item", has_text="W2001")
    expect(card.locator(".errorlist")).to_contain_text("Say why the suggestion is declined.")
    expect(page.get_by_role("combobox", name="Suggestion")).to_have_value("confirmatory_block")
    shoot(page, "worklist-decline-error-1280")
    card.get_by_label("Reason to decline").fill("Patient prefers physiotherapy first.")
    card.get_by_label("Reason to decline").press("Enter")
    expect(page.locator(".message.success")).to_contain_text("Confirmatory block declined")
    expect(page).to_have_url(filtered)
    expect(page.locator(".empty")).to_contain_text("Nothing awaits a decision with these filters")

    page.get_by_role("link", name="Clear the suggestion filter").click()
    review = page.locator("article.work-item", has_text="W2002")
    review.get_by_role("button", name=re.compile("^Accept: physician review")).click()
    expect(page.locator(".message.success")).to_contain_text("Physician review accepted")
    expect(page.locator("article.work-item")).to_have_count(0)
    assert "physician=" in page.url


def test_the_worklist_on_a_phone_fits_the_screen(browser_page: Page, live_server, day):  # noqa: F811
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "dr.pat")
    page.goto(f"{live_server.url}/worklist/?physician=")
    expect(page.locator("article.work-item")).to_have_count(3)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    shoot(page, "worklist-all-390")
    assert overflow <= 0, f"the worklist scrolls sideways by {overflow}px at 390px"
