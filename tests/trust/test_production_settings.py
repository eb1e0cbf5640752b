"""Production settings pass Django's deployment checklist and send the security headers."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Variables that would switch the settings out of production mode.
_MODE_VARS = {
    "DJANGO_SECRET_KEY",
    "DJANGO_DEBUG",
    "DJANGO_TESTING",
    "DJANGO_ALLOWED_HOSTS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}
PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "k3y-" + "7Hq9xZ2mVb4Np8Lw" * 4,
    "DJANGO_ALLOWED_HOSTS": "tracker.clinic.example",
}


def run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in _MODE_VARS and k != "DATABASE_URL"}
    clean["DJANGO_SETTINGS_MODULE"] = "tracker.settings"
    clean.update(env)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def setting(name: str, **env: str) -> str:
    code = f"from django.conf import settings; print(repr(getattr(settings, {name!r}, None)))"
    result = run(["-c", code], **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_check_deploy_reports_nothing_in_production_mode():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION_ENV)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_fails_when_https_is_switched_off_without_a_proxy():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        **PRODUCTION_ENV,
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
    )

    assert result.returncode != 0
    assert "security.W008" in result.stderr + result.stdout
    assert "security.W012" in result.stderr + result.stdout


def test_a_tls_terminating_proxy_is_trusted_only_when_asked():
    assert setting("SECURE_PROXY_SSL_HEADER", **PRODUCTION_ENV) == "None"
    assert setting(
        "SECURE_PROXY_SSL_HEADER", **PRODUCTION_ENV, DJANGO_SECURE_PROXY_SSL_HEADER="1"
    ) == repr(("HTTP_X_FORWARDED_PROTO", "https"))


def test_the_idle_timeout_is_configurable():
    assert setting("SESSION_COOKIE_AGE", **PRODUCTION_ENV) == "900"
    assert setting("SESSION_COOKIE_AGE", **PRODUCTION_ENV, TRACKER_SESSION_IDLE_MINUTES="30") == (
        "1800"
    )


def test_production_refuses_to_start_without_a_secret_key_and_says_why():
    result = run(["manage.py", "check"], DJANGO_ALLOWED_HOSTS="tracker.clinic.example")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


@pytest.mark.django_db
def test_every_response_carries_the_security_headers(client):
    response = client.get("/admin/login/")

    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_passwords_use_djangos_validators(settings):
    names = {
        validator["NAME"].rsplit(".", 1)[-1] for validator in settings.AUTH_PASSWORD_VALIDATORS
    }

    assert {
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    } <= names
