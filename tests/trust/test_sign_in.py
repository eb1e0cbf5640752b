"""Sign-in is throttled after repeated failures; an idle session ends after 15 minutes."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Django's admin sign-in and the clinic's own (blocks/pages_urls.py) both go through axes.
SIGN_IN_PAGES = ["/admin/login/", "/accounts/login/"]
PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def admin_user():
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(client, password, page="/admin/login/"):
    return client.post(page, {"username": "root", "password": password, "next": "/admin/"})


@pytest.mark.parametrize("page", SIGN_IN_PAGES)
def test_the_right_password_signs_in(client, admin_user, page):
    response = sign_in(client, PASSWORD, page)

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("page", SIGN_IN_PAGES)
def test_repeated_failures_lock_the_account_out_even_for_the_right_password(
    client, admin_user, settings, page
):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "guess", page).status_code == 200  # the form again, with an error

    locked = sign_in(client, "guess", page)
    after = sign_in(client, PASSWORD, page)

    assert locked.status_code == 429
    assert after.status_code == 429
    assert b"Sign-in locked" in after.content
    assert client.get("/admin/").status_code == 302  # not signed in


def test_force_login_still_works_for_tests(client, admin_user):
    client.force_login(admin_user)

    assert client.get("/admin/").status_code == 200


def test_api_tokens_are_not_throttled_by_sign_in_failures(client, admin_user, settings):
    from rest_framework.authtoken.models import Token

    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "guess")
    token = Token.objects.create(user=admin_user)

    response = client.get("/api/profiles/", headers={"Authorization": f"Token {token.key}"})

    assert response.status_code == 200


class Clock:
    def __init__(self, monkeypatch):
        self.now = timezone.now()
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def advance(self, minutes):
        self.now += dt.timedelta(minutes=minutes)


def test_a_session_ends_after_fifteen_idle_minutes(client, admin_user, monkeypatch):
    clock = Clock(monkeypatch)
    client.force_login(admin_user)
    assert client.get("/admin/").status_code == 200

    clock.advance(16)

    assert client.get("/admin/").status_code == 302


def test_activity_keeps_a_session_alive(client, admin_user, monkeypatch):
    clock = Clock(monkeypatch)
    client.force_login(admin_user)
    for _ in range(3):
        clock.advance(14)
        assert client.get("/admin/").status_code == 200  # 42 minutes signed in, never idle 15


@pytest.mark.django_db
def test_an_overlong_username_is_refused_before_any_sign_in_attempt():
    # Found by the page fuzzer on PostgreSQL: the attempt's record broke a 255-character column.
    from axes.models import AccessAttempt
    from django.test import Client

    response = Client().post("/accounts/login/", {"username": "u" * 300, "password": "x"})

    assert response.status_code == 200
    assert "Not signed in." in response.content.decode()
    assert not AccessAttempt.objects.exists()
