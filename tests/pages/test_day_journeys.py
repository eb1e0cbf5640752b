# ruff: noqa: F811  (the fixtures of test_journeys.py are imported to be used here)
"""Issue 11 journeys in a real browser: staff's day, and a hard stop awaiting override.

Screenshots of the pages built for the issue (1280 px and a 390 px phone) go to
DAY_SHOTS (default /work/wt/shots/day) to be looked at.
"""

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from blocks.models import Procedure
from tests.factories import EpisodeFactory, PainScoreFactory, PatientFactory, ProcedureFactory
from tests.pages.test_journeys import browser_page, people, sign_in, sign_out  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = Path(os.environ.get("DAY_SHOTS", "/work/wt/shots/day"))


def shoot(page: Page, name: str) -> None:
    """The page at 1280 px, then as a 390 px phone, then back."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.fixture
def clinic_day(people):
    """A block this morning, one three days ago with its diary overdue, and a positive first
    block (2 Mar 2026) that asks for a confirmatory one."""
    staff, physician = people["staff"], people["physician"]
    now = timezone.now()
    start = timezone.make_aware(dt.datetime.combine(timezone.localdate(now), dt.time.min))
    today = EpisodeFactory(
        patient=PatientFactory(mrn="DAY-001", given_name="Ada", family_name="Lovelace"),
        created_by=staff,
    )
    ProcedureFactory(
        episode=today, performed_by=physician, performed_at=max(start, now - dt.timedelta(hours=1))
    )
    late = EpisodeFactory(
        patient=PatientFactory(mrn="DAY-002", given_name="Grace", family_name="Hopper"),
        created_by=staff,
    )
    overdue = ProcedureFactory(
        episode=late, performed_by=physician, performed_at=start - dt.timedelta(days=3)
    )
    PainScoreFactory(procedure=overdue, minutes_after=15, score=2)
    first = EpisodeFactory(
        patient=PatientFactory(mrn="DAY-003", given_name="Mary", family_name="Somerville"),
        created_by=staff,
    )
    block = ProcedureFactory(
        episode=first,
        performed_by=physician,
        performed_at=dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC),
    )
    for minutes in (15, 30, 45, 60, 90):
        PainScoreFactory(procedure=block, minutes_after=minutes, score=1)
    return {"block": block, "episode": first}


def test_staffs_day_today_an_overdue_diary_and_repeat_this_block(
    browser_page: Page, live_server, clinic_day
):
    page = browser_page
    sign_in(page, live_server, "sam.staff")
    expect(page).to_have_url(re.compile(r"/today/$"))
    today = page.locator("section.today-day").first
    expect(today.get_by_role("heading", level=2)).to_contain_text("Today's blocks")
    expect(today).to_contain_text("Ada Lovelace")
    overdue = page.locator(
        "section", has=page.get_by_role("heading", name=re.compile("Overdue diaries"))
    )
    expect(overdue).to_contain_text("Grace Hopper")
    expect(overdue).to_contain_text("(30 min)")
    expect(overdue.get_by_role("link", name="Phone call")).to_have_count(1)
    shoot(page, "staff-today")

    page.get_by_role("link", name="Patients", exact=True).click()
    expect(page.get_by_role("cell", name="Mary Somerville")).to_be_visible()
    page.get_by_label("MRN").fill("day-00")
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_role("heading", level=2)).to_contain_text("3 patients")
    shoot(page, "patient-list")

    page.goto(f"{live_server.url}/episodes/{clinic_day['episode'].pk}/")
    page.get_by_role("link", name="Repeat this block").click()
    expect(page.locator(".notice.repeat")).to_contain_text("Repeat of the block of 02 Mar 2026")
    expect(page.locator("form.procedure-form .carried")).to_have_count(7)
    expect(page.locator("#earliest-date")).to_contain_text("16 Mar 2026")
    expect(page.get_by_label("Performed at")).to_have_value("")
    expect(page.locator("select[name='anesthetic']")).to_have_value("bupivacaine")
    shoot(page, "procedure-form-repeat")


def fill_the_rest(page: Page, physician) -> None:
    page.get_by_label("Performed at").fill("2026-03-16T09:30")
    page.locator("select[name='performed_by']").select_option(str(physician.pk))
    page.locator("select[name='steroid']").select_option("none")
    page.locator("select[name='sedation']").select_option("none")
    page.locator("input[name='contrast_used'][value='yes']").check()
    page.locator("input[name='contrast_flow_confirmed'][value='yes']").check()
    page.locator("input[name='pre_pain']").fill("7")
    page.locator("input[name='contraindications'][value='anticoagulant_not_held']").check()


def test_a_hard_stop_saved_as_awaiting_override_then_overridden(
    browser_page: Page, live_server, clinic_day, people
):
    page = browser_page
    sign_in(page, live_server, "sam.staff")
    page.goto(
        f"{live_server.url}/episodes/{clinic_day['episode'].pk}/procedures/new/"
        f"?repeat={clinic_day['block'].pk}"
    )
    fill_the_rest(page, people["physician"])
    page.get_by_role("button", name="Save procedure").click()
    expect(page.locator(".procedure-form")).to_contain_text("Hard stop")
    box = page.get_by_label("Save as awaiting a physician's override")
    expect(box).to_be_visible()
    # The browser keeps what was typed; the ticked contraindication came back checked.
    box.check()
    page.get_by_role("button", name="Save procedure").click()
    expect(page.locator(".messages")).to_contain_text("saved as awaiting a physician's override")
    waiting = Procedure.objects.get(awaiting_override=True)
    sign_out(page)

    sign_in(page, live_server, "dr.pat")
    urgent = page.locator(".urgent-override")
    expect(urgent).to_contain_text("Urgent: awaiting your override")
    expect(urgent).to_contain_text("Mary Somerville")
    shoot(page, "worklist-urgent-override")
    urgent.get_by_role("link", name="Record the override").click()
    page.get_by_role("button", name="Record the override").click()
    expect(page.locator(".field.has-error")).to_contain_text("Write why the procedure went ahead")
    page.get_by_label("Why the procedure went ahead").fill("INR 1.1 on the morning of the block")
    page.get_by_role("button", name="Record the override").click()
    expect(page).to_have_url(re.compile(rf"/episodes/\d+/#procedure-{waiting.pk}$"))
    expect(page.locator("body")).to_contain_text("Override recorded")
    waiting.refresh_from_db()
    assert not waiting.awaiting_override
    assert waiting.screening.override_reason == "INR 1.1 on the morning of the block"
