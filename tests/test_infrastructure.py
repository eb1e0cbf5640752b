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


def _load_settings(**env: str) -> subprocess.CompletedProcess:
    """Import tracker.settings in a fresh interpreter, as production would."""
    clean = {k: v for k, v in os.environ.items() if k not in _MODE_VARS}
    clean["DJANGO_SETTINGS_MODULE"] = "tracker.settings"
    clean.update(env)
    code = "from django.conf import settings; print(f'DEBUG={settings.DEBUG!r}')"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_settings_refuse_to_load_without_secret_key_in_production():
    result = _load_settings()
    assert result.returncode != 0, result.stdout
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr


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
