"""Every page, as each role sees it, checked by axe-core for WCAG 2.1 A and AA: no violation.

axe-core (Deque's engine, bundled by axe-playwright-python) runs in Debian's Chromium through
Playwright on the demo clinic (seed_demo: thirty synthetic patients). Each role signs in and
visits the pages it works on; a violation names the rule, the page and the elements.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import Page, expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "axe-password-1"
WCAG_21_A_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture
def demo(settings):
    """The demo clinic, its users with a known password, and one worked-up episode."""
    from django.contrib.auth import get_user_model

    from blocks.models import Episode

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    for user in get_user_model().objects.filter(username__in=["staff", "physician", "quality"]):
        user.set_password(PASSWORD)
        user.save()
    # The episode with the most procedures: its pages show every part (readings, diary,
    # suggestions, complications).
    episode = max(Episode.objects.all(), key=lambda e: e.procedures.count())
    procedure = episode.procedures.order_by("performed_at").first()
    return {"episode": episode, "procedure": procedure, "patient": episode.patient}


def pages_of(role: str, demo) -> list[str]:
    episode, procedure, patient = demo["episode"].pk, demo["procedure"].pk, demo["patient"].pk
    clinic = [
        "/patients/",
        f"/patients/{patient}/",
        f"/episodes/{episode}/",
        f"/episodes/{episode}/summary/",
        "/rules/",
    ]
    writing = [
        "/patients/new/",
        f"/patients/{patient}/episodes/new/",
        f"/episodes/{episode}/procedures/new/",
        f"/procedures/{procedure}/edit/",
        f"/procedures/{procedure}/diary/",
        f"/procedures/{procedure}/pain-scores/new/",
        "/diaries/",
    ]
    history = [
        f"/patients/{patient}/history/",
        f"/episodes/{episode}/history/",
        f"/procedures/{procedure}/history/",
    ]
    # The filter with an error beside a field (answered 400) is a page too.
    reports = ["/reports/", "/reports/?kind=medial_branch_block", "/reports/?from=1800-01-01"]
    return {
        "staff": clinic + writing,
        "physician": [
            "/worklist/",
            f"/episodes/{episode}/decisions/",
            *clinic,
            *writing,
            *history,
            *reports,
        ],
        "quality": [*clinic, *history, *reports],
    }[role]


def sign_in(page: Page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".who")).to_contain_text("Signed in as")


# aria-describedby naming an element that is not on the page (a help text not rendered):
# axe passes it when any one of the ids exists, so the page is asked directly.
DANGLING_DESCRIPTIONS = """() => [...document.querySelectorAll('[aria-describedby]')].flatMap(
    element => element.getAttribute('aria-describedby').split(/\\s+/)
        .filter(id => id && !document.getElementById(id))
        .map(id => `${element.id || element.tagName}: aria-describedby="${id}" is not on the page`)
)"""


def violations_on(page: Page, axe: Axe) -> list[str]:
    found = axe.run(page, options=WCAG_21_A_AA).response["violations"]
    return [
        f"{rule['id']} ({rule['impact']}): {rule['help']} -- "
        + "; ".join(" ".join(node["target"]) for node in rule["nodes"][:5])
        for rule in found
    ] + page.evaluate(DANGLING_DESCRIPTIONS)


# Quality reads on a phone: the wide tables then scroll, and their scroll boxes must take
# keyboard focus (scrollable-region-focusable only fires where a box overflows).
WIDTHS = {"staff": 1280, "physician": 1280, "quality": 390}


@pytest.mark.parametrize("role", ["staff", "physician", "quality"])
def test_every_page_of_the_role_passes_axe(page: Page, live_server, demo, role):
    axe = Axe()
    page.set_viewport_size({"width": WIDTHS[role], "height": 900})
    page.set_default_timeout(15_000)
    sign_in(page, live_server, role)
    problems = {}
    for path in pages_of(role, demo):
        response = page.goto(f"{live_server.url}{path}")
        expected = 400 if "1800" in path else 200
        assert response.status == expected, (path, response.status)
        expect(page.locator("main")).to_be_visible()
        if found := violations_on(page, axe):
            problems[re.sub(r"\d+", "<id>", path)] = found
    assert problems == {}
