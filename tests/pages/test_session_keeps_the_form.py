"""A session that ends while the procedure form is filled loses nothing (issue 8, defect 14).

Before: a Save after the idle limit landed on the sign-in page and the typed procedure was
gone. Now the late POST is kept for the user who was signed in, shown again after signing
in (never saved by itself), and the pages keep the session alive while a form is filled.
"""

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from blocks.models import Procedure
from tests.pages.conftest import procedure_post
from tracker.session_keep import KEPT_MESSAGE, SIGNED_IN_COOKIE

pytestmark = pytest.mark.django_db

PASSWORD = "a long synthetic passphrase 42"


def url(episode):
    return f"/episodes/{episode.pk}/procedures/new/"


def sign_in(client: Client, user, next_url: str = ""):
    return client.post(
        f"/accounts/login/?next={next_url}",
        {"username": user.username, "password": PASSWORD, "next": next_url},
    )


def signed_in_then_expired(user) -> Client:
    """A browser whose user signed in and then let the session run out."""
    user.set_password(PASSWORD)
    user.save()
    client = Client()
    assert sign_in(client, user).status_code == 302
    assert client.get("/patients/").status_code == 200
    client.session.flush()  # what the idle limit does: the server forgets the session
    client.cookies.pop(settings.SESSION_COOKIE_NAME, None)  # and the browser drops it
    return client


def next_of(response) -> str:
    return parse_qs(urlsplit(response["Location"]).query)["next"][0]


def late_save(client, episode, physician_user):
    data = procedure_post(performed_by=physician_user, pre_pain="6", anesthetic_volume_ml="0.45")
    data["csrfmiddlewaretoken"] = "never-kept"
    return client.post(url(episode), data)


def test_a_late_save_is_kept_and_shown_again_after_signing_in(staff_user, physician_user, episode):
    client = signed_in_then_expired(staff_user)

    response = late_save(client, episode, physician_user)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    next_url = next_of(response)
    assert next_url.startswith(url(episode) + "?kept=")
    assert not Procedure.objects.exists()

    signed = sign_in(client, staff_user, next_url)
    assert signed.status_code == 302 and signed["Location"] == next_url

    page = client.get(next_url).content.decode()
    assert KEPT_MESSAGE in page
    assert 'name="pre_pain" value="6"' in page
    assert 'value="0.45"' in page
    assert 'name="diary-3-score" value="5"' in page
    assert re.search(r'<input type="radio" name="contrast_used" value="yes"[^>]*checked', page)
    assert "never-kept" not in page  # the page carries its own, fresh CSRF token
    assert not Procedure.objects.exists()  # shown, not saved: saving takes the user's click

    # Once shown, the kept entries are gone: a reload shows the empty form.
    assert KEPT_MESSAGE not in client.get(next_url).content.decode()


def test_another_user_signing_in_on_the_browser_never_sees_the_kept_entries(
    staff_user, physician_user, episode
):
    client = signed_in_then_expired(staff_user)
    response = late_save(client, episode, physician_user)
    next_url = next_of(response)

    physician_user.set_password(PASSWORD)
    physician_user.save()
    assert sign_in(client, physician_user, next_url).status_code == 302

    page = client.get(next_url).content.decode()
    assert KEPT_MESSAGE not in page
    assert 'name="pre_pain" value="6"' not in page
    assert 'value="0.45"' not in page


def test_a_post_from_a_browser_where_nobody_signed_in_is_not_kept(anon, episode, physician_user):
    response = anon.post(url(episode), procedure_post(performed_by=physician_user))

    assert response.status_code == 302
    assert "kept" not in response["Location"]
    assert "kept_forms" not in anon.session.keys()


def test_signing_out_forgets_who_signed_in(staff_user):
    staff_user.set_password(PASSWORD)
    staff_user.save()
    client = Client()
    sign_in(client, staff_user)
    assert client.cookies[SIGNED_IN_COOKIE].value

    response = client.post("/accounts/logout/")

    assert response.cookies[SIGNED_IN_COOKIE]["max-age"] == 0


# --- (a) the pages keep the session alive while a form is filled -----------------------------


def test_keep_alive_requires_sign_in(anon):
    response = anon.post("/accounts/keep-alive/")
    assert response.status_code == 401
    assert anon.get("/accounts/keep-alive/").status_code == 405


def test_keep_alive_extends_the_session(staff, staff_user):
    staff.get("/patients/")
    key = staff.session.session_key
    soon = timezone.now() + dt.timedelta(seconds=30)
    Session.objects.filter(session_key=key).update(expire_date=soon)

    response = staff.post("/accounts/keep-alive/")

    assert response.status_code == 204
    expires = Session.objects.get(session_key=key).expire_date
    assert expires - timezone.now() > dt.timedelta(
        minutes=settings.TRACKER_SESSION_IDLE_MINUTES - 1
    )
    assert int(response.cookies[settings.SESSION_COOKIE_NAME]["max-age"]) == (
        settings.TRACKER_SESSION_IDLE_MINUTES * 60
    )


def test_keep_alive_is_csrf_protected(staff_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)

    assert client.post("/accounts/keep-alive/").status_code == 403


def test_every_signed_in_page_loads_the_session_script_and_its_warning(staff, episode):
    page = staff.get(url(episode)).content.decode()

    assert re.search(r'<script src="/static/js/session\.js" defer></script>', page)
    assert 'data-keep-alive="/accounts/keep-alive/"' in page
    idle = settings.TRACKER_SESSION_IDLE_MINUTES * 60
    assert f'data-session-idle="{idle}"' in page
    assert "data-session-warning" in page and "Stay signed in" in page


def test_the_session_script_is_served(staff):
    from django.contrib.staticfiles import finders

    path = finders.find("js/session.js")
    assert path is not None
    script = open(path, encoding="utf-8").read()
    assert "keep-alive" in script or "data-keep-alive" in script
    assert "X-CSRFToken" in script
