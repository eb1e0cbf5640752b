"""The project's own plumbing: settings safety and which database the suite runs on."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
# Variables that switch the settings into development or test mode.
_MODE_VARS = {"DJANGO_SECRET_KEY", "DJANGO_DEBUG", "DJANGO_TESTING"}


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    """Run Python in a fresh interpreter with production's environment (no mode variables)."""
    clean = {k: v for k, v in os.environ.items() if k not in _MODE_VARS}
    clean["DJANGO_SETTINGS_MODULE"] = "tracker.settings"
    clean.update(env)
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _load_settings(**env: str) -> subprocess.CompletedProcess:
    return _run(
        ["-c", "from django.conf import settings; print(f'DEBUG={settings.DEBUG!r}')"], **env
    )


def test_the_wsgi_app_refuses_to_start_without_secret_key_in_production():
    result = _run(["-c", "import tracker.wsgi"])
    assert result.returncode != 0, result.stdout
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_the_development_server_refuses_too():
    result = _run(["manage.py", "runserver", "127.0.0.1:0", "--noreload"])
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_an_offline_check_of_the_migrations_needs_no_secret_key():
    result = _run(["manage.py", "makemigrations", "--check", "--dry-run"])
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_debug_is_off_by_default():
    result = _load_settings(DJANGO_SECRET_KEY="a-production-like-secret-key-" + "x" * 40)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "DEBUG=False"


@pytest.mark.postgres
@pytest.mark.django_db
def test_suite_runs_on_postgresql():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 + 1, current_setting('server_version_num')::int")
        total, version = cursor.fetchone()
    assert total == 2
    assert version >= 140000  # Django 5.2 supports PostgreSQL 14 and later
