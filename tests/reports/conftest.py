"""Personas and a small clinic for the report tests.

- quality_user, physician_user: may read reports
- staff_user, nobody_user: may not
- superuser: may also export identified data
"""

import os
import tempfile

import pytest
from rest_framework.test import APIClient

# matplotlib writes a font cache under $HOME unless told otherwise (STACK.md); the
# Makefile sets MPLCONFIGDIR, this covers a bare `pytest tests/reports`.
os.environ.setdefault("MPLCONFIGDIR", os.path.join(tempfile.gettempdir(), "tracker-matplotlib"))
os.environ.setdefault("MPLBACKEND", "Agg")

REPORT_URLS = "tests.reports.urls"


def _client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def quality_client(quality_user):
    return _client_for(quality_user)


@pytest.fixture
def superuser_client(superuser):
    return _client_for(superuser)


@pytest.fixture
def client_for():
    return _client_for


@pytest.fixture
def report_urls(settings):
    settings.ROOT_URLCONF = REPORT_URLS
    settings.ALLOWED_HOSTS = ["testserver"]
