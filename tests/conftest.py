"""Project-wide test set-up: environment defaults and "missing tool" handling.

Domain fixtures (users, patients, blocks) belong in tests/factories.py and the conftest of
each test folder, not here.

A test that needs something outside Python (PostgreSQL, Chromium) skips when it is missing on a
developer machine, but FAILS when CI=true: CI must never go green by skipping. Use
`require_tool()` for tools, the `postgres` marker for PostgreSQL-only tests and the `browser`
marker for Playwright tests.
"""

import os
import shutil
from typing import NoReturn

import pytest

# Settings are chosen here, not in pyproject.toml: pytest-django loads the settings module named
# in the pytest config *before* importing this file, and tracker.settings refuses to load
# without DJANGO_SECRET_KEY unless DJANGO_TESTING (or DJANGO_DEBUG) is on. Setting all three
# here lets a bare `.venv/bin/pytest` work with no environment variables.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
os.environ.setdefault("DJANGO_TESTING", "1")
# Playwright's sync API runs an event loop in the test thread; without this Django refuses ORM
# calls from live_server tests ("You cannot call this from an async context").
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}


def skip_or_fail(reason: str) -> NoReturn:
    """Skip the current test, or fail it when running under CI=true."""
    if in_ci():
        pytest.fail(
            f"{reason} (CI=true: a missing prerequisite fails, it is not skipped)", pytrace=False
        )
    pytest.skip(reason)


def require_tool(path_or_name: str, why: str) -> str:
    """Return the path of an external program; skip (locally) or fail (CI) when it is missing.

    `path_or_name` is an absolute path ("/usr/bin/chromium") or a name looked up on PATH.
    Use from a test or fixture: `from tests.conftest import require_tool`.
    """
    if os.path.isabs(path_or_name):
        found = path_or_name if os.access(path_or_name, os.X_OK) else None
    else:
        found = shutil.which(path_or_name)
    if found is None:
        skip_or_fail(f"{path_or_name} not found: {why}")
    return found


def pytest_configure(config: pytest.Config) -> None:
    # Load the settings now (DJANGO_SETTINGS_MODULE came from this file, so pytest-django has
    # not loaded them yet); pytest-django's own pytest_configure then runs django.setup().
    from django.conf import settings

    settings.INSTALLED_APPS  # noqa: B018


def pytest_report_header(config: pytest.Config) -> str:
    from django.conf import settings
    from django.db import connection

    return (
        f"django settings: {settings.SETTINGS_MODULE}, database: {connection.vendor} "
        f"({connection.settings_dict['NAME']}), CI={'true' if in_ci() else 'false'}"
    )


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("postgres"):
        from django.db import connection

        if connection.vendor != "postgresql":
            skip_or_fail(
                f"needs PostgreSQL, running on {connection.vendor} "
                "(use `make test-postgres` or scripts/with-postgres.sh)"
            )
    if item.get_closest_marker("browser"):
        require_tool(CHROMIUM, "browser tests need Debian's Chromium (`make browser-deps`)")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """pytest-playwright: launch Debian's Chromium; Playwright cannot download its own here."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM}


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Counters kept in Django's cache (failed token attempts) start at nothing in each test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _clinic_groups(request):
    """The clinic's groups, as migration 0002 makes them, in every test with a database.

    A transaction test ends by flushing every table, migrated rows included, so a later test
    would find the groups gone (create_clinic_user refuses a missing group).
    """
    if request.node.get_closest_marker("django_db") is not None:
        request.getfixturevalue("_django_db_helper")
    elif "transactional_db" in request.fixturenames:
        request.getfixturevalue("transactional_db")
    elif "db" in request.fixturenames:
        request.getfixturevalue("db")
    else:
        return
    from django.contrib.auth.models import Group

    from blocks.policy import ROLES

    if Group.objects.filter(name__in=ROLES).count() < len(ROLES):
        for role in ROLES:
            Group.objects.get_or_create(name=role)


# The clinic's personas, shared by the API, page and report tests: one user per role,
# plus a signed-in outsider in no clinic group and a superuser. Each test folder makes
# its own clients for them.
def _persona(username: str, roles=(), **kwargs):
    from tests.factories import UserFactory

    return UserFactory(username=username, roles=list(roles), **kwargs)


@pytest.fixture
def staff_user(db):
    return _persona("sam.staff", ["clinic_staff"], first_name="Sam", last_name="Staff")


@pytest.fixture
def physician_user(db):
    return _persona("dr.pat", ["physician"], first_name="Pat", last_name="Okafor")


@pytest.fixture
def quality_user(db):
    return _persona("quinn.quality", ["quality"])


@pytest.fixture
def nobody_user(db):
    return _persona("noel.nobody")


@pytest.fixture
def superuser(db):
    return _persona("root", is_superuser=True, is_staff=True)
