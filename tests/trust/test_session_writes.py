"""A page view writes the session row at most once a minute; the idle timeout still signs out.

Before: SESSION_SAVE_EVERY_REQUEST wrote and committed the session row on every page view.
"""

import datetime as dt

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

pytestmark = pytest.mark.django_db

IDLE = dt.timedelta(minutes=settings.TRACKER_SESSION_IDLE_MINUTES)


@pytest.fixture
def clock(monkeypatch):
    """The time the sessions, the session store and the touch read; moved on by hand."""
    now = [timezone.now()]
    monkeypatch.setattr("django.utils.timezone.now", lambda: now[0])

    def move(**delta):
        now[0] += dt.timedelta(**delta)

    return move


@pytest.fixture
def signed_in(staff_user, clock):
    client = Client()
    client.force_login(staff_user)
    assert client.get("/patients/").status_code == 200  # the first view notes its time
    return client


def session_writes(client, url="/patients/") -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [
        q["sql"]
        for q in captured.captured_queries
        if "django_session" in q["sql"] and q["sql"].startswith(("UPDATE", "INSERT"))
    ]


def test_a_second_page_view_within_a_minute_writes_no_session(signed_in, clock):
    clock(seconds=30)
    assert session_writes(signed_in) == []


def test_a_page_view_a_minute_later_moves_the_expiry_on(signed_in, clock):
    clock(seconds=61)
    [write] = session_writes(signed_in)
    assert write.startswith("UPDATE")


def test_still_signed_out_after_the_idle_timeout(signed_in, clock):
    clock(seconds=30)
    session_writes(signed_in)  # within the minute: not saved, so the expiry did not move
    clock(seconds=IDLE.total_seconds() - 30 + 1)
    response = signed_in.get("/patients/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_views_a_few_minutes_apart_keep_the_session_past_the_idle_timeout(signed_in, clock):
    step = dt.timedelta(minutes=settings.TRACKER_SESSION_IDLE_MINUTES - 2)
    for _ in range(3):
        clock(seconds=step.total_seconds())
        assert signed_in.get("/patients/").status_code == 200


def test_the_keep_alive_ping_always_saves(signed_in, clock):
    clock(seconds=10)
    with CaptureQueriesContext(connection) as captured:
        response = signed_in.post("/accounts/keep-alive/")
    assert response.status_code == 204
    assert any(
        q["sql"].startswith("UPDATE") and "django_session" in q["sql"]
        for q in captured.captured_queries
    )
