"""Journeys through the clinic pages in a real browser (Playwright driving Debian's Chromium).

A failed test leaves a screenshot under test-artifacts/screenshots/ (see conftest.py).
"""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.pages.conftest import record_block

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "journey-password-1"


@pytest.fixture
def people(settings, staff_user, physician_user, quality_user):
    # A fast hasher: these accounts exist only for the test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    for user in (staff_user, physician_user, quality_user):
        user.set_password(PASSWORD)
        user.save()
    return {"staff": staff_user, "physician": physician_user, "quality": quality_user}


@pytest.fixture
def browser_page(page: Page, live_server, people):
    """The page, with CSP violations and script errors collected."""
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on(
        "console",
        lambda message: (
            problems.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.set_default_timeout(10_000)
    page.problems = problems
    yield page
    assert problems == [], problems


def sign_in(page: Page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".who")).to_contain_text("Signed in as")


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def log_block(page: Page, *, day: str, anesthetic: str, diary) -> None:
    page.get_by_role("link", name="Log a procedure").click()
    page.get_by_label("Performed at").fill(f"{day}T09:30")
    page.get_by_label("Performed by").select_option(label="Pat Okafor")
    page.get_by_role("combobox", name=re.compile("^Procedure")).select_option("medial_branch_block")
    # The page's script offers only segments for a medial branch block.
    expect(page.get_by_label("L5", exact=True)).to_be_hidden()
    page.get_by_label("L4-L5", exact=True).check()
    page.get_by_label("L5-S1", exact=True).check()
    page.get_by_role("combobox", name=re.compile("^Anaesthetic")).select_option(anesthetic)
    page.get_by_label("Anaesthetic volume per level (mL)").fill("0.5")
    # Every clinical answer is chosen: the form preselects none.
    page.get_by_role("combobox", name=re.compile("^Intent")).select_option("diagnostic")
    page.get_by_role("combobox", name=re.compile("^Side")).select_option("right")
    page.get_by_role("combobox", name=re.compile("^Steroid")).select_option("none")
    page.get_by_role("combobox", name=re.compile("^Image guidance")).select_option("fluoroscopy")
    page.get_by_role("combobox", name=re.compile("^Sedation")).select_option("none")
    page.locator("input[name='contrast_used'][value='yes']").check()
    page.locator("input[name='contrast_flow_confirmed'][value='yes']").check()
    page.get_by_label("Pain just before the block (0–10)").fill("7")
    for row, (minutes, score) in enumerate(diary):
        page.get_by_label(f"Row {row + 1}: Minutes after the block").fill(str(minutes))
        page.get_by_label(f"Row {row + 1}: Pain score (0–10)").fill(str(score))
    page.get_by_role("button", name="Save procedure").click()
    expect(page.locator(".message.success")).to_contain_text("Medial branch block recorded.")


def test_staff_log_two_blocks_and_the_physician_accepts_rfa_from_the_worklist(
    browser_page: Page, live_server
):
    page = browser_page
    sign_in(page, live_server, "sam.staff")
    expect(page).to_have_url(f"{live_server.url}/today/")  # staff's home (issue 11)
    page.get_by_role("link", name="Patients", exact=True).click()

    page.get_by_role("link", name="New patient").click()
    page.get_by_label("MRN").fill("J1001")
    page.get_by_label("Birth date").fill("1961-04-02")
    page.get_by_role("combobox", name=re.compile("^Sex")).select_option("female")
    page.get_by_role("button", name="Create patient").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Patient J1001")

    page.get_by_role("link", name="New episode").click()
    page.get_by_role("combobox", name=re.compile("^Region")).select_option("lumbar")
    page.get_by_role("combobox", name=re.compile("^Side")).select_option("right")
    page.get_by_role("combobox", name=re.compile("^Pain pattern")).select_option("axial")
    page.get_by_role("button", name="Open episode").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lumbar, right, axial")
    episode_url = page.url

    log_block(
        page, day="2026-03-02", anesthetic="lidocaine", diary=[(15, 1), (30, 1), (90, 1), (180, 5)]
    )
    first = page.locator("article.procedure").first
    expect(first).to_contain_text("Response: Positive")
    expect(page.locator(".next-steps")).to_contain_text("Confirmatory block")
    expect(page.locator(".next-steps")).to_contain_text("Bupivacaine")
    expect(page.locator("svg.diary-chart")).to_have_count(1)
    expect(page.locator(".next-steps")).not_to_contain_text("Decline")  # staff do not decide

    log_block(
        page,
        day="2026-03-17",
        anesthetic="bupivacaine",
        diary=[(15, 1), (60, 1), (240, 1), (360, 5)],
    )
    expect(page.locator("article.procedure")).to_have_count(2)
    expect(page.locator(".next-steps")).to_contain_text("Radiofrequency ablation (RFA)")
    expect(page.locator(".next-steps")).not_to_contain_text("Confirmatory block")

    sign_out(page)
    sign_in(page, live_server, "dr.pat")
    expect(page).to_have_url(f"{live_server.url}/worklist/")
    item = page.locator("article.work-item", has_text="J1001")
    expect(item).to_contain_text("Radiofrequency ablation (RFA), right L4-L5, L5-S1")
    item.get_by_role(
        "button", name="Accept: Radiofrequency ablation (RFA), right L4-L5, L5-S1"
    ).click()
    expect(page.locator(".message.success")).to_contain_text(
        "Radiofrequency ablation (RFA) accepted"
    )
    expect(page).to_have_url(f"{live_server.url}/worklist/")
    expect(page.locator("article.work-item", has_text="J1001")).to_have_count(0)

    page.goto(episode_url)
    expect(page.locator(".next-steps")).to_contain_text("Accepted by Pat Okafor")


def test_a_form_with_bad_input_shows_the_error_beside_the_field_and_keeps_the_values(
    browser_page: Page, live_server, episode
):
    page = browser_page
    sign_in(page, live_server, "sam.staff")
    page.goto(f"{live_server.url}/episodes/{episode.pk}/procedures/new/")
    page.get_by_label("Performed by").select_option(label="Pat Okafor")
    page.locator("#id_kind").select_option("medial_branch_block")
    page.get_by_label("L4-L5", exact=True).check()
    page.locator("#id_anesthetic").select_option("lidocaine")
    page.get_by_label("Anaesthetic volume per level (mL)").fill("0.5")
    page.get_by_label("Pain just before the block (0–10)").fill("12")
    page.get_by_label("Row 1: Pain score (0–10)").fill("2")
    page.get_by_role("button", name="Save procedure").click()

    expect(page.locator(".form-problems")).to_contain_text("Nothing was saved.")
    pre_pain = page.get_by_label("Pain just before the block (0–10)")
    expect(pre_pain).to_have_value("12")
    expect(pre_pain).to_have_attribute("aria-invalid", "true")
    error = page.locator("#id_pre_pain_error")
    expect(error).to_have_text("Enter a score from 0 to 10.")
    # Beside the field: the message sits in the same field box, just under the input.
    assert error.evaluate(
        "e => e.closest('.field') === document.getElementById('id_pre_pain').closest('.field')"
    )
    expect(page.get_by_label("L4-L5", exact=True)).to_be_checked()
    expect(page.get_by_label("Anaesthetic volume per level (mL)")).to_have_value("0.5")
    expect(page.get_by_label("Row 1: Pain score (0–10)")).to_have_value("2")
    expect(page.locator("#id_anesthetic")).to_have_value("lidocaine")


def test_a_quality_user_cannot_reach_the_procedure_form(browser_page: Page, live_server, episode):
    page = browser_page
    sign_in(page, live_server, "quinn.quality")
    page.goto(f"{live_server.url}/episodes/{episode.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lumbar, right, axial")
    expect(page.get_by_role("link", name="Log a procedure")).to_have_count(0)
    response = page.goto(f"{live_server.url}/episodes/{episode.pk}/procedures/new/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You may not open this page")
    expect(page.locator(".site-header")).to_contain_text("Quality")


def test_a_physician_declines_from_the_keyboard_and_a_reason_is_required(
    browser_page: Page, live_server, episode, physician_user
):
    record_block(episode, performed_by=physician_user)
    page = browser_page
    sign_in(page, live_server, "dr.pat")
    item = page.locator("article.work-item", has_text=episode.patient.mrn)
    reason = item.get_by_label("Reason to decline")
    reason.focus()
    page.keyboard.press("Enter")  # Enter in the reason field declines; without a reason it fails
    expect(page.locator(".errorlist")).to_contain_text("Say why the suggestion is declined.")
    page.get_by_label("Reason to decline").fill("Patient prefers physiotherapy first.")
    page.keyboard.press("Enter")
    expect(page.locator(".message.success")).to_contain_text("Confirmatory block declined")
    page.goto(f"{live_server.url}/episodes/{episode.pk}/")
    expect(page.locator(".next-steps")).to_contain_text("Patient prefers physiotherapy first.")


@pytest.mark.parametrize("width", [1280, 768])
def test_the_pages_fit_the_screen_without_sideways_scrolling(
    browser_page: Page, live_server, episode, physician_user, width
):
    record_block(episode, performed_by=physician_user)
    record_block(episode, performed_by=physician_user, days=15, anesthetic="bupivacaine")
    page = browser_page
    page.set_viewport_size({"width": width, "height": 800 if width == 1280 else 1024})
    sign_in(page, live_server, "dr.pat")
    for path in (
        "/worklist/",
        f"/episodes/{episode.pk}/",
        f"/episodes/{episode.pk}/procedures/new/",
    ):
        page.goto(live_server.url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"


def test_quality_start_on_last_months_report_with_the_gaps_at_the_top(
    browser_page: Page, live_server, episode, physician_user
):
    import datetime as dt

    from django.utils import timezone

    record_block(episode, performed_by=physician_user, days=2, diary=())
    record_block(episode, performed_by=physician_user, days=60)
    page = browser_page
    sign_in(page, live_server, "quinn.quality")

    expect(page).to_have_url(re.compile(r"/reports/$"))
    gaps = page.locator("section", has=page.get_by_role("heading", name="Data completeness today"))
    expect(gaps).to_contain_text(re.compile(r"\b1\s+diagnostic block without scores"))
    html = page.content()
    assert html.index("Data completeness today") < html.index("Show report")
    month_ago = timezone.localdate() - dt.timedelta(days=30)
    expect(page.locator("#id_from")).to_have_value(month_ago.isoformat())
    expect(page.locator("#id_to")).to_have_value(timezone.localdate().isoformat())

    # Every date, one click away: empty the dates and ask again.
    page.locator("#id_from").fill("")
    page.locator("#id_to").fill("")
    page.get_by_role("button", name="Show report").click()
    expect(page).to_have_url(re.compile(r"from=&to="))
    expect(page.locator("#id_from")).to_have_value("")
