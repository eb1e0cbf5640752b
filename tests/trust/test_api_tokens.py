"""API tokens expire, can be rotated, and failed attempts are throttled per address (defect 13)."""

import datetime as dt
import io

import pytest
import yaml
from django.core.management import call_command
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def physician(db):
    return UserFactory(username="dr.pat", roles=["physician"])


def get(key, address="10.0.0.7"):
    client = APIClient(REMOTE_ADDR=address)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get("/api/profiles/")


def age(token, days):
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - dt.timedelta(days=days))


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def key_from(output: str) -> str:
    return next(
        line[len("Token: ") :] for line in output.splitlines() if line.startswith("Token: ")
    )


# --- expiry -------------------------------------------------------------------------------


def test_a_token_works_until_its_expiry(physician, settings):
    token = Token.objects.create(user=physician)
    age(token, settings.TRACKER_API_TOKEN_DAYS - 1)

    assert get(token.key).status_code == 200


def test_an_expired_token_is_a_401_that_says_it_expired(physician, settings):
    token = Token.objects.create(user=physician)
    age(token, settings.TRACKER_API_TOKEN_DAYS)

    response = get(token.key)

    assert response.status_code == 401
    assert response.json()["detail"].startswith("Token expired at ")
    assert "rotate_api_token" in response.json()["detail"]
    assert response.headers["WWW-Authenticate"] == "Token"


def test_the_lifetime_comes_from_the_setting(physician, settings):
    settings.TRACKER_API_TOKEN_DAYS = 7
    token = Token.objects.create(user=physician)
    age(token, 8)

    assert get(token.key).status_code == 401


def test_the_default_lifetime_is_ninety_days(settings):
    assert settings.TRACKER_API_TOKEN_DAYS == 90


# --- commands -----------------------------------------------------------------------------


def test_drf_create_token_says_when_the_token_expires(physician):
    output = run("drf_create_token", "dr.pat")

    key = Token.objects.get(user=physician).key
    assert f"Generated token {key} for user dr.pat" in output
    expected = (timezone.now() + dt.timedelta(days=90)).strftime("%Y-%m-%d")
    assert f"Expires: {expected} " in output
    assert "(in 90 days)" in output
    assert get(key).status_code == 200


def test_drf_create_token_replaces_an_expired_token_instead_of_printing_it(physician):
    old = Token.objects.create(user=physician)
    age(old, 100)

    output = run("drf_create_token", "dr.pat")

    new = Token.objects.get(user=physician)
    assert new.key != old.key
    assert f"Generated token {new.key}" in output
    assert get(new.key).status_code == 200


def test_create_clinic_user_prints_a_working_token_and_its_expiry(db):
    output = run("create_clinic_user", "dr.new", "--role", "physician", "--token")

    assert "Expires: " in output
    assert get(key_from(output)).status_code == 200


def test_rotation_gives_a_new_key_and_the_old_one_stops_working(physician):
    old = Token.objects.create(user=physician).key

    output = run("rotate_api_token", "dr.pat")

    new = key_from(output)
    assert new != old
    assert "the old one no longer works" in output
    assert "(in 90 days)" in output
    assert get(old).status_code == 401
    assert get(new).status_code == 200


def test_rotation_renews_an_expired_token(physician):
    token = Token.objects.create(user=physician)
    age(token, 365)

    new = key_from(run("rotate_api_token", "dr.pat"))

    assert get(new).status_code == 200


def test_rotating_for_an_unknown_user_is_an_error_that_names_them(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="No user 'ghost'"):
        run("rotate_api_token", "ghost")


# --- throttling of failed attempts ----------------------------------------------------------


def test_after_the_limit_of_failures_an_address_gets_429_with_retry_after(physician, settings):
    settings.TRACKER_API_TOKEN_FAILURE_LIMIT = 3
    settings.TRACKER_API_TOKEN_FAILURE_WINDOW_MINUTES = 15

    failures = [get("0" * 40).status_code for _ in range(3)]
    blocked = get("1" * 40)

    assert failures == [401, 401, 401]
    assert blocked.status_code == 429
    assert 1 <= int(blocked.headers["Retry-After"]) <= 15 * 60
    assert blocked.json()["detail"] == (
        "Too many failed token attempts from this address. "
        f"Expected available in {blocked.headers['Retry-After']} seconds."
    )


def test_a_blocked_address_is_refused_even_with_a_valid_token(physician, settings):
    """Guessing keys gets no answers at all until the window ends."""
    settings.TRACKER_API_TOKEN_FAILURE_LIMIT = 2
    good = Token.objects.create(user=physician).key
    get("0" * 40)
    get("0" * 40)

    assert get(good).status_code == 429


def test_expired_tokens_count_as_failures(physician, settings):
    settings.TRACKER_API_TOKEN_FAILURE_LIMIT = 2
    token = Token.objects.create(user=physician)
    age(token, 200)

    assert [get(token.key).status_code for _ in range(3)] == [401, 401, 429]


def test_other_addresses_are_not_throttled(physician, settings):
    settings.TRACKER_API_TOKEN_FAILURE_LIMIT = 2
    good = Token.objects.create(user=physician).key
    get("0" * 40, address="10.0.0.66")
    get("0" * 40, address="10.0.0.66")

    assert get(good, address="10.0.0.7").status_code == 200


def test_the_block_ends_with_the_window(physician, settings, monkeypatch):
    import time

    settings.TRACKER_API_TOKEN_FAILURE_LIMIT = 1
    settings.TRACKER_API_TOKEN_FAILURE_WINDOW_MINUTES = 1
    good = Token.objects.create(user=physician).key
    get("0" * 40)
    assert get(good).status_code == 429

    later = time.time() + 61
    monkeypatch.setattr(time, "time", lambda: later)

    assert get(good).status_code == 200


def test_good_tokens_do_not_count_towards_the_limit(physician, settings):
    settings.TRACKER_API_TOKEN_FAILURE_LIMIT = 1
    good = Token.objects.create(user=physician).key

    assert [get(good).status_code for _ in range(5)] == [200] * 5


def test_requests_without_a_token_are_not_counted(physician, settings):
    settings.TRACKER_API_TOKEN_FAILURE_LIMIT = 1
    good = Token.objects.create(user=physician).key
    for _ in range(3):
        assert APIClient(REMOTE_ADDR="10.0.0.7").get("/api/profiles/").status_code == 401

    assert get(good).status_code == 200


# --- the schema -----------------------------------------------------------------------------


def test_the_schema_documents_429_with_retry_after_wherever_a_token_is_accepted(client):
    schema = yaml.safe_load(client.get("/api/schema/").content)

    token_operations = [
        (path, method, operation)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if any("tokenAuth" in item for item in operation.get("security", []))
    ]
    assert len(token_operations) > 20
    for path, method, operation in token_operations:
        throttled = operation["responses"].get("429")
        assert throttled, f"{method.upper()} {path} does not document 429"
        assert "Retry-After" in throttled["headers"]
