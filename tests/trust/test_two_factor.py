"""Two-factor sign-in: physicians, quality and superusers confirm with a code (issue 8).

The codes are computed here from the device's key with django-otp's own TOTP, as an
authenticator app would.
"""

import re

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def required(settings):
    settings.TRACKER_REQUIRE_2FA = True


def person(username, roles=(), **kwargs):
    user = UserFactory(username=username, roles=list(roles), **kwargs)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def physician(db):
    return person("dr.pat", ["physician"])


@pytest.fixture
def staff(db):
    return person("sam.staff", ["clinic_staff"])


def sign_in(client, username, next_url="/worklist/"):
    response = client.post(
        "/accounts/login/", {"username": username, "password": PASSWORD, "next": next_url}
    )
    assert response.status_code == 302, response.content
    return response


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def enrolled(user) -> tuple[TOTPDevice, list[str]]:
    """A confirmed app and recovery codes, as the enrolment page leaves them."""
    from tracker.auth.views import confirm_enrolment

    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device, confirm_enrolment(user, device)


def enrol_through_the_pages(client) -> tuple[TOTPDevice, list[str]]:
    client.get("/accounts/two-factor/enrol/")
    device = TOTPDevice.objects.get(user__username="dr.pat", confirmed=False)
    response = client.post(
        "/accounts/two-factor/enrol/", {"code": code_for(device), "next": "/worklist/"}
    )
    assert response.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    return device, codes


# --- who is asked -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "username, roles, superuser",
    [("dr.pat", ["physician"], False), ("quinn", ["quality"], False), ("root", [], True)],
)
def test_a_required_role_without_enrolment_is_sent_to_enrol(
    client, required, username, roles, superuser
):
    person(username, roles, is_superuser=superuser, is_staff=superuser)
    sign_in(client, username)

    response = client.get("/worklist/")

    assert response.status_code == 302
    assert response.url == "/accounts/two-factor/?next=%2Fworklist%2F"
    assert client.get(response.url).url == "/accounts/two-factor/enrol/?next=%2Fworklist%2F"


def test_until_verified_nothing_but_the_two_factor_pages_and_sign_out_opens(
    client, required, physician
):
    sign_in(client, "dr.pat")

    assert client.get("/patients/").status_code == 302
    assert client.get("/reports/").status_code == 302
    assert client.get("/admin/").status_code == 302
    assert client.get("/accounts/password_change/").status_code == 302
    api = client.get("/api/patients/")
    assert api.status_code == 403
    assert "one-time code" in api.json()["detail"]
    assert client.post("/patients/new/", {"mrn": "X1"}).status_code == 302
    assert client.get("/accounts/two-factor/enrol/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302


def test_the_pending_page_offers_no_navigation_but_sign_out(client, required, physician):
    sign_in(client, "dr.pat")

    page = client.get("/accounts/two-factor/enrol/").content.decode()

    assert 'aria-label="Main"' not in page
    assert "Sign out" in page


def test_staff_are_not_required_to_enrol(client, required, staff):
    sign_in(client, "sam.staff", next_url="/patients/")

    assert client.get("/patients/").status_code == 200


def test_with_the_setting_off_a_physician_signs_in_in_one_step(client, settings, physician):
    settings.TRACKER_REQUIRE_2FA = False
    sign_in(client, "dr.pat")

    assert client.get("/worklist/").status_code == 200


def test_the_setting_is_off_in_tests_and_development_by_default(settings):
    assert settings.TRACKER_REQUIRE_2FA is False


def test_api_tokens_are_not_held_by_two_factor(client, required, physician):
    key = Token.objects.create(user=physician).key

    response = client.get("/api/patients/", headers={"Authorization": f"Token {key}"})

    assert response.status_code == 200


# --- enrolment ----------------------------------------------------------------------------


def test_enrolment_shows_a_qr_code_and_the_secret_key(client, required, physician):
    sign_in(client, "dr.pat")

    page = client.get("/accounts/two-factor/enrol/").content.decode()

    device = TOTPDevice.objects.get(user=physician, confirmed=False)
    assert 'src="data:image/svg+xml;base64,' in page
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    shown = re.search(r'<code class="secret-key">([A-Z2-7 ]+)</code>', page).group(1)
    assert shown.replace(" ", "") == secret
    # The same secret on a reload: the app scanned once keeps working.
    again = client.get("/accounts/two-factor/enrol/").content.decode()
    assert shown in again


def test_a_wrong_enrolment_code_turns_nothing_on(client, required, physician):
    sign_in(client, "dr.pat")
    client.get("/accounts/two-factor/enrol/")
    device = TOTPDevice.objects.get(user=physician)

    response = client.post("/accounts/two-factor/enrol/", {"code": code_for(device, 10)})

    assert response.status_code == 200
    assert b"That code is not right" in response.content
    assert not TOTPDevice.objects.filter(user=physician, confirmed=True).exists()
    assert client.get("/worklist/").status_code == 302


def test_the_right_enrolment_code_signs_in_and_shows_ten_recovery_codes_once(
    client, required, physician
):
    sign_in(client, "dr.pat")

    device, codes = enrol_through_the_pages(client)

    assert len(codes) == 10 == len(set(codes))
    assert sorted(codes) == sorted(
        StaticToken.objects.filter(device__user=physician).values_list("token", flat=True)
    )
    assert client.get("/worklist/").status_code == 200
    # Shown once: the enrolment page now offers a new app, not the old codes.
    assert codes[0] not in client.get("/accounts/two-factor/enrol/").content.decode()


def test_a_password_alone_cannot_replace_an_enrolled_app(client, required, physician):
    enrolled(physician)
    sign_in(client, "dr.pat")

    response = client.get("/accounts/two-factor/enrol/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/two-factor/?")


# --- verification -------------------------------------------------------------------------


def test_an_enrolled_user_is_asked_for_the_code(client, required, physician):
    enrolled(physician)
    sign_in(client, "dr.pat")

    page = client.get("/accounts/two-factor/?next=/worklist/")

    assert page.status_code == 200
    assert b"Confirm your sign-in" in page.content


def test_a_wrong_code_is_refused(client, required, physician):
    device, _ = enrolled(physician)
    sign_in(client, "dr.pat")

    response = client.post("/accounts/two-factor/", {"code": code_for(device, 10)})

    assert response.status_code == 200
    assert b"That code is not right" in response.content
    assert client.get("/worklist/").status_code == 302


def test_the_right_code_gets_in_and_goes_where_the_user_was_going(client, required, physician):
    device, _ = enrolled(physician)
    sign_in(client, "dr.pat")

    response = client.post(
        "/accounts/two-factor/", {"code": code_for(device), "next": "/worklist/"}
    )

    assert response.status_code == 302
    assert response.url == "/worklist/"
    assert client.get("/worklist/").status_code == 200
    assert client.get("/api/patients/").status_code == 200


def test_a_code_is_good_once(client, required, physician):
    device, _ = enrolled(physician)
    code = code_for(device)
    sign_in(client, "dr.pat")
    client.post("/accounts/two-factor/", {"code": code})
    client.post("/accounts/logout/")
    sign_in(client, "dr.pat")

    response = client.post("/accounts/two-factor/", {"code": code})

    assert response.status_code == 200
    assert client.get("/worklist/").status_code == 302


def test_an_outside_next_address_is_not_followed(client, required, physician):
    device, _ = enrolled(physician)
    sign_in(client, "dr.pat")

    response = client.post(
        "/accounts/two-factor/", {"code": code_for(device), "next": "https://evil.example/"}
    )

    assert response.url == "/"


def test_a_recovery_code_works_once(client, required, physician):
    _, codes = enrolled(physician)
    sign_in(client, "dr.pat")

    first = client.post("/accounts/two-factor/", {"code": codes[0].upper(), "next": "/worklist/"})

    assert first.status_code == 302
    assert client.get("/worklist/").status_code == 200
    client.post("/accounts/logout/")
    sign_in(client, "dr.pat")
    again = client.post("/accounts/two-factor/", {"code": codes[0]})
    assert again.status_code == 200
    assert b"That code is not right" in again.content
    assert client.get("/worklist/").status_code == 302
    assert StaticToken.objects.filter(device__user=physician).count() == 9


def test_staff_who_enrolled_are_asked_even_with_the_setting_off(client, settings, staff):
    settings.TRACKER_REQUIRE_2FA = False
    enrolled(staff)
    sign_in(client, "sam.staff", next_url="/patients/")

    assert client.get("/patients/").status_code == 302


def test_sign_in_lock_out_still_applies_before_two_factor(client, required, physician, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "dr.pat", "password": "guess"})

    locked = client.post("/accounts/login/", {"username": "dr.pat", "password": PASSWORD})

    assert locked.status_code == 429


def test_production_requires_two_factor_unless_told_otherwise():
    from tests.trust.test_production_settings import PRODUCTION_ENV, setting

    assert setting("TRACKER_REQUIRE_2FA", **PRODUCTION_ENV) == "True"
    assert setting("TRACKER_REQUIRE_2FA", **PRODUCTION_ENV, TRACKER_REQUIRE_2FA="0") == "False"
    assert setting("TRACKER_REQUIRE_2FA", DJANGO_DEBUG="1") == "False"


@pytest.mark.parametrize("page", ["/accounts/two-factor/", "/accounts/two-factor/enrol/"])
def test_right_after_a_wrong_code_the_page_asks_to_wait_then_takes_the_code(
    client, required, physician, settings, page
):
    if page.endswith("enrol/"):
        sign_in(client, "dr.pat")
        client.get(page)
        device = TOTPDevice.objects.get(user=physician)
    else:
        device, _ = enrolled(physician)
        sign_in(client, "dr.pat")
    client.post(page, {"code": code_for(device, 10)})

    hurried = client.post(page, {"code": code_for(device)})
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # as if the 1-second back-off had passed
    calm = client.post(page, {"code": code_for(device)})

    assert b"Too many wrong codes: wait a few seconds" in hurried.content
    assert calm.status_code in (200, 302)
    assert client.get("/worklist/").status_code == 200
