"""Every page, as each role sees it, checked by axe-core for WCAG 2.1 A and AA: no violation.

axe-core (Deque's engine, bundled by axe-playwright-python) runs in Debian's Chromium through
Playwright on the demo clinic (seed_demo: thirty synthetic patients). Each role signs in and
visits the pages it works on; the patient's pages are opened from their links on a phone, with
no sign-in; a violation names the rule, the page and the elements.

Every address in tracker/urls.py, blocks/pages_urls.py, blocks/audit_urls.py,
tracker/auth/urls.py and reports/urls.py is either visited here or not a page:

- /api/... (blocks.api, blocks.sharing.api_urls, reports.api_urls): JSON and files (the
  prior-authorization packet is a PDF rendered from sharing/prior_authorization.html).
- /api/schema/ (YAML) and /api/docs/ (drf-spectacular's Swagger UI: a third party's viewer
  for developers, not a clinic page; axe finds its own markup's faults there: no lang on
  <html>, buttons inside buttons, grey method names).
- /episodes/<id>/summary.pdf: a file download.
- / (home): a redirect to the role's home (worklist, today, reports), each visited.
- /profile/, /procedures/<id>/diary/link/revoke/: POST only, answered by a redirect.
- /accounts/logout/: POST, redirects to the sign-in page (registration/logged_out.html is
  never shown); /accounts/keep-alive/: JSON pinged by static/js/session.js.
- /diary/<token>/ and /follow-up/<token>/: move the token into a cookie and redirect to
  /diary/my/<handle>/ and /follow-up/, which are visited.
- 500.html and 503.html: shown only when the server fails or the database is too busy.
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
# A suggestion physicians decide on, for the worklist filtered by it.
SUGGESTION = "confirmatory_block"
WCAG_21_A_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture
def demo(settings):
    """The demo clinic, its users with a known password, and one worked-up episode."""
    from django.contrib.auth import get_user_model

    from blocks.models import Episode, Procedure
    from tests.factories import EpisodeFactory, ProcedureFactory, ScreeningFactory, record_block

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    for user in get_user_model().objects.filter(username__in=["staff", "physician", "quality"]):
        user.set_password(PASSWORD)
        user.save()
    # The episode with the most procedures: its pages show every part (readings, diary,
    # suggestions, complications).
    episode = max(Episode.objects.all(), key=lambda e: e.procedures.count())
    procedure = episode.procedures.order_by("performed_at").first()
    physician = get_user_model().objects.get(username="physician")
    # A block done half an hour ago (its diary is open: a patient link can be made), one saved
    # as awaiting a physician's override, a treatment with a follow-up point due (DEMO-037),
    # and a second episode so that "Log a procedure" asks which one.
    fresh = record_block(
        episode=episode,
        performed_by=physician,
        minutes_ago=30,
        pain_scores=[],
        kind=procedure.kind,
        side=procedure.side,
        levels=procedure.levels,
    )
    awaiting = ProcedureFactory(
        episode=episode, performed_by=physician, awaiting_override=True, screening=None
    )
    ScreeningFactory(procedure=awaiting, contraindications=["anticoagulant_not_held"])
    EpisodeFactory(patient=episode.patient, region="cervical", side="left")
    treatment = Procedure.objects.get(
        episode__patient__mrn="DEMO-037", kind="radiofrequency_ablation"
    )
    return {
        "episode": episode,
        "procedure": procedure,
        "patient": episode.patient,
        "fresh": fresh,
        "awaiting": awaiting,
        "treatment": treatment,
    }


def pages_of(role: str, demo) -> list[str]:
    episode, procedure, patient = demo["episode"].pk, demo["procedure"].pk, demo["patient"].pk
    fresh, treatment = demo["fresh"].pk, demo["treatment"].pk
    clinic = [
        "/patients/",
        f"/patients/{patient}/",
        f"/episodes/{episode}/",
        f"/episodes/{episode}/summary/",
        "/rules/",
        "/patients/?q=DEMO-0",
        "/patients/?page=2",
        f"/episodes/{demo['treatment'].episode_id}/",  # a treatment's follow-up chart
        "/accounts/password_change/",
        "/accounts/password_change/done/",
        "/accounts/two-factor/enrol/",
    ]
    writing = [
        "/today/",
        "/patients/new/",
        f"/patients/{patient}/episodes/new/",
        f"/episodes/{episode}/procedures/new/",
        f"/procedures/{procedure}/edit/",
        f"/procedures/{procedure}/diary/",
        f"/procedures/{procedure}/pain-scores/new/",
        f"/procedures/{procedure}/complications/new/",
        f"/procedures/{fresh}/diary/",
        f"/procedures/{fresh}/diary/card/",
        f"/procedures/{treatment}/follow-ups/",
        f"/patients/{patient}/log-procedure/",
        "/diaries/",
        "/diaries/?status=open",
        "/diaries/?status=overdue",
    ]
    history = [
        f"/patients/{patient}/history/",
        f"/episodes/{episode}/history/",
        f"/procedures/{procedure}/history/",
    ]
    # The filter with an error beside a field (answered 400) is a page too.
    reports = [
        "/reports/",
        "/reports/?from=&to=",  # every date: the charts of the whole demo clinic
        "/reports/?kind=medial_branch_block",
        "/reports/?from=1800-01-01",
    ]
    return {
        "staff": clinic + writing,
        "physician": [
            "/worklist/",
            "/worklist/?physician=",
            f"/worklist/?code={SUGGESTION}&physician=",
            f"/procedures/{demo['awaiting'].pk}/override/",
            f"/episodes/{episode}/decisions/",
            *clinic,
            *writing,
            *history,
            *reports,
        ],
        "quality": [*clinic, *history, *reports],
    }[role]


# The page's main form (the one with the most fields) sent with every box emptied, or with
# every box holding `value` (a grid of scores, where empty rows are nothing to save).
SEND_FORM = """(value) => {
    const forms = [...document.querySelectorAll('main form[method=post]')];
    const form = forms.sort((a, b) => b.elements.length - a.elements.length)[0];
    for (const field of form.elements) {
        if (field.type === 'hidden' || field.tagName === 'BUTTON') continue;
        if (value === '' && (field.type === 'checkbox' || field.type === 'radio')) {
            field.checked = false;
        } else if (value === '' && field.tagName === 'SELECT') field.selectedIndex = -1;
        else if (!['checkbox', 'radio', 'select-one', 'select-multiple'].includes(field.type)) {
            field.value = value;
        }
    }
    form.noValidate = true;
    form.requestSubmit();
}"""


def forms_of(role: str, demo) -> list[tuple[str, str]]:
    """The pages whose form, sent empty (or with "99" in every box), is answered by the same
    page with its errors."""
    episode, procedure, patient = demo["episode"].pk, demo["procedure"].pk, demo["patient"].pk
    writing = [
        "/patients/new/",
        f"/patients/{patient}/episodes/new/",
        f"/episodes/{episode}/procedures/new/",
        f"/procedures/{procedure}/edit/",
        f"/procedures/{procedure}/pain-scores/new/",
        f"/procedures/{procedure}/complications/new/",
        "/accounts/password_change/",
    ]
    writing = [(path, "") for path in writing] + [
        (f"/procedures/{demo['fresh'].pk}/diary/", "99"),
        (f"/procedures/{demo['treatment'].pk}/follow-ups/", "99"),
    ]
    return {
        "staff": writing,
        "physician": [
            (f"/procedures/{demo['awaiting'].pk}/override/", ""),
            (f"/episodes/{episode}/decisions/", ""),
            ("/worklist/", ""),
            *writing,
        ],
        "quality": [("/accounts/password_change/", "")],
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
    # Each form sent wrong (the browser's own checks off): the page with its errors.
    for path, value in forms_of(role, demo):
        page.goto(f"{live_server.url}{path}")
        with page.expect_navigation() as sent:
            page.evaluate(SEND_FORM, value)
        assert sent.value.status in (200, 400), (path, sent.value.status)
        expect(
            page.locator("main :is(.has-error, .form-problems, .errorlist)").first
        ).to_be_visible()
        if found := violations_on(page, axe):
            problems[re.sub(r"\d+", "<id>", path) + " (refused)"] = found
    assert problems == {}


PHONE = {"width": 390, "height": 844}


def checked(page: Page, axe: Axe, problems: dict, name: str) -> None:
    expect(page.locator("main")).to_be_visible()
    if found := violations_on(page, axe):
        problems[name] = found


def test_the_pages_reached_by_a_form_or_a_link(page: Page, live_server, demo, settings):
    """The pages shown in answer to a form or opened from a patient's link, signed out, the
    error pages, and the two-factor pages."""
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from blocks import services
    from tests.factories import UserFactory

    axe = Axe()
    page.set_default_timeout(15_000)
    problems: dict = {}
    page.set_viewport_size({"width": 1280, "height": 900})

    # Signed out: the sign-in page, refused once (the error beside the form), and the 404.
    page.goto(f"{live_server.url}/accounts/login/")
    checked(page, axe, problems, "sign-in")
    page.get_by_label("Username").fill("staff")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".form-problems")).to_be_visible()
    checked(page, axe, problems, "sign-in refused")
    response = page.goto(f"{live_server.url}/no-such-page/")
    assert response.status == 404
    checked(page, axe, problems, "404")

    # The patient's diary on a phone, from the link (the token leaves the address), and the
    # page a withdrawn link shows.
    staff = get_user_model().objects.get(username="staff")
    _, token = services.diary_link_create(procedure=demo["fresh"], created_by=staff)
    phone = page.context.browser.new_context(viewport=PHONE, is_mobile=True).new_page()
    phone.set_default_timeout(15_000)
    phone.goto(f"{live_server.url}/diary/{token}/")
    assert "/diary/my/" in phone.url
    diary_page = phone.url
    checked(phone, axe, problems, "patient diary")
    phone.get_by_role("button", name="3", exact=True).click()
    expect(phone.locator(".pd-thanks")).to_be_visible()
    checked(phone, axe, problems, "patient diary, a score saved")
    # Too many requests from one address: the page asks the patient to wait (429).
    settings.TRACKER_DIARY_RATE = "1/hour"
    assert phone.reload().status == 429
    checked(phone, axe, problems, "patient diary, too many requests")
    cache.clear()  # the counts of this address: other tests start afresh
    settings.TRACKER_DIARY_RATE = "1000/minute"
    services.diary_link_revoke(procedure=demo["fresh"], revoked_by=staff)
    phone.reload()
    checked(phone, axe, problems, "patient diary withdrawn")
    phone.context.clear_cookies()  # another phone, or the cookie blocked
    phone.goto(diary_page)
    checked(phone, axe, problems, "patient diary without its cookie")
    # The follow-up page for a treatment with a point due, answered once (its thank-you).
    _, token = services.followup.follow_up_link_create(procedure=demo["treatment"], created_by=None)
    phone.goto(f"{live_server.url}/follow-up/{token}/")
    assert phone.url.endswith("/follow-up/")
    checked(phone, axe, problems, "patient follow-up")
    phone.locator(".scale label").nth(2).click()
    phone.get_by_label("Much improved", exact=True).check()
    phone.get_by_role("button", name="Send my answer").click()
    expect(phone.locator(".notice.good")).to_be_visible()
    checked(phone, axe, problems, "patient follow-up saved")
    phone.context.clear_cookies()
    phone.goto(f"{live_server.url}/follow-up/")
    checked(phone, axe, problems, "patient follow-up without a link")
    phone.context.close()

    # Staff give the patient a diary link: the card with the link, shown once.
    sign_in(page, live_server, "staff")
    page.goto(f"{live_server.url}/procedures/{demo['fresh'].pk}/diary/")
    page.get_by_role("button", name=re.compile("Give the patient a (new )?diary link")).click()
    expect(page.locator("#diary-link-url")).to_be_visible()
    checked(page, axe, problems, "diary card with the link")

    # An account in no clinic group is refused (403).
    nobody = UserFactory(username="nobody-axe")
    nobody.set_password(PASSWORD)
    nobody.save()
    page.context.clear_cookies()
    sign_in(page, live_server, "nobody-axe")
    response = page.goto(f"{live_server.url}/patients/")
    assert response.status == 403
    checked(page, axe, problems, "403")

    # Two-factor: enrolment's recovery codes, then the code asked for at the next sign-in.
    page.goto(f"{live_server.url}/accounts/two-factor/enrol/")
    device = TOTPDevice.objects.get(user=nobody, confirmed=False)
    page.get_by_label("Code").fill(f"{TOTP(device.bin_key).token():06d}")
    page.get_by_role("button", name="Confirm and turn on").click()
    expect(page.locator("main")).to_contain_text(re.compile("recovery", re.I))
    checked(page, axe, problems, "two-factor recovery codes")
    page.context.clear_cookies()
    sign_in(page, live_server, "nobody-axe")
    response = page.goto(f"{live_server.url}/accounts/two-factor/")
    assert response.status == 200
    checked(page, axe, problems, "two-factor code")

    # Too many wrong passwords: the lockout page.
    page.context.clear_cookies()
    user = get_user_model().objects.get(username="quality")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill("wrong")
        page.get_by_role("button", name="Sign in").click()
    expect(page.locator("main")).to_contain_text(re.compile("locked|too many", re.I))
    checked(page, axe, problems, "locked out")
    cache.clear()

    # The admin, for a superuser: its index, and each clinical record's list and form.
    get_user_model().objects.create_superuser("root-axe", "root@clinic.example", PASSWORD)
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/admin/login/")
    checked_admin(page, axe, problems, "admin sign-in")
    page.get_by_label("Username").fill("root-axe")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    checked_admin(page, axe, problems, "/admin/")
    records = {
        "patient": demo["patient"].pk,
        "episode": demo["episode"].pk,
        "procedure": demo["awaiting"].pk,
        "painscore": demo["procedure"].pain_scores.first().pk,
        "screening": demo["awaiting"].screening.pk,
    }
    for model, pk in records.items():
        for path in (f"/admin/blocks/{model}/", f"/admin/blocks/{model}/{pk}/change/"):
            assert page.goto(f"{live_server.url}{path}").status == 200, path
            checked_admin(page, axe, problems, re.sub(r"\d+", "<id>", path))
    page.goto(f"{live_server.url}/admin/blocks/procedure/{demo['awaiting'].pk}/history/")
    checked_admin(page, axe, problems, "/admin/blocks/procedure/<id>/history/")
    assert problems == {}


def checked_admin(page: Page, axe: Axe, problems: dict, name: str) -> None:
    """Django's own templates, checked by axe alone: its tabular inlines put each field's help
    text in the column's heading and still name a `<id>_helptext` the page does not have."""
    found = axe.run(page, options=WCAG_21_A_AA).response["violations"]
    if found:
        problems[name] = [
            f"{rule['id']}: " + "; ".join(" ".join(node["target"]) for node in rule["nodes"][:5])
            for rule in found
        ]
