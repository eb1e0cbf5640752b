"""A session that ends while a form is being filled loses nothing (issue 8, defect 14).

Sessions end after TRACKER_SESSION_IDLE_MINUTES without a request. Two things stand
between that limit and a lost procedure:

- While the user types, static/js/session.js pings `keep_alive` (which saves the session,
  moving the expiry on), and it warns before the end. Other requests move it on too, but
  save the session at most once a minute (`SessionTouchMiddleware`), so a page view does
  not write and commit the session row every time.
- Without the script, a form POST that arrives after the end is kept: `KeptFormMiddleware`
  stores its fields (never the CSRF token, never files) in the new anonymous session under
  a random id and sends the browser to sign in. Signing in keeps the session's data
  (django.contrib.auth.login cycles the key), and the form page, opened again with
  `?kept=<id>` by the same username, shows the fields filled in with a message. It never
  saves by itself: saving needs the user's click. The data goes with the session.

Whose form it was is told by a signed cookie naming the last user signed in on this
browser; it outlives the session (a shift) and is removed on signing out.
"""

import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.dispatch import receiver
from django.http import HttpResponse, QueryDict
from django.utils import timezone
from django.views.decorators.http import require_POST

SIGNED_IN_COOKIE = "tracker_signed_in_as"
_SALT = "tracker.session_keep.signed-in-as"
SIGNED_IN_MAX_AGE = 12 * 60 * 60  # a clinic shift
SESSION_KEY = "kept_forms"
MAX_KEPT = 5  # forms kept per session; the oldest goes first
MAX_KEPT_CHARS = 200_000  # a larger POST is not a form typed by hand: it is not kept
NEVER_KEPT = frozenset({"csrfmiddlewaretoken"})
KEPT_MESSAGE = "Your session had ended; your entries were kept — check and save again."


def keeps_form(view):
    """Mark a page whose POST is kept across a sign-in, and whose GET can show it again."""
    view.keeps_form = True
    return view


# A request saves the session (moving its expiry on) only when the last save is this old: the
# session then ends between TRACKER_SESSION_IDLE_MINUTES - 1 and that many minutes after the
# last request, never later.
TOUCH_EVERY_SECONDS = 60
TOUCHED_KEY = "_tracker_touched_at"


def touch(session) -> None:
    """Note the time in the session, which marks it modified: SessionMiddleware saves it."""
    session[TOUCHED_KEY] = int(timezone.now().timestamp())


@receiver(user_logged_in)
def _touched_at_sign_in(sender, request, user, **kwargs):
    """Signing in saves the session anyway: the minute counts from there."""
    if request is not None and hasattr(request, "session"):
        touch(request.session)


class SessionTouchMiddleware:
    """Moves a signed-in session's expiry on at most once a minute (instead of
    SESSION_SAVE_EVERY_REQUEST, which wrote the session row on every page view).

    Placed just after SessionMiddleware, so its answer is read before the session is saved.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is None or user is None or not user.is_authenticated:
            return response
        if session.session_key is None and not session.modified:
            return response  # signed in by an API token: no session to keep, none to make
        touched = session.get(TOUCHED_KEY, 0)
        now = int(timezone.now().timestamp())
        if session.modified or now - touched >= TOUCH_EVERY_SECONDS:
            touch(session)
        return response


@require_POST
def keep_alive(request):
    """204 for a signed-in user (the request itself moves the session's expiry on), else 401.

    The CSRF check applies as to any POST. No redirect to the sign-in page: the script
    asking needs to know the session has ended.
    """
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    touch(request.session)  # the script counts the time left from this answer
    return HttpResponse(status=204)


def kept_form(request) -> QueryDict | None:
    """The fields kept for this page and this user, once; None when there are none."""
    key = request.GET.get("kept")
    if request.method != "GET" or not key or not request.user.is_authenticated:
        return None
    kept = request.session.get(SESSION_KEY) or {}
    entry = kept.pop(key, None)
    if entry is None:
        return None
    request.session[SESSION_KEY] = kept
    if entry.get("username") != request.user.get_username() or entry.get("path") != (request.path):
        return None  # someone else signed in on this browser: they never see it
    data = QueryDict(mutable=True)
    for name, values in entry["data"].items():
        data.setlist(name, values)
    messages.warning(request, KEPT_MESSAGE)
    return data


class KeptFormMiddleware:
    """Keeps a late form POST (see the module's docstring); names the signed-in user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "_tracker_signed_out", False):
            response.delete_cookie(SIGNED_IN_COOKIE, samesite="Lax")
            return response
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            username = user.get_username()
            if signed_in_as(request) != username:
                response.set_cookie(
                    SIGNED_IN_COOKIE,
                    signed_in_value(username),
                    max_age=SIGNED_IN_MAX_AGE,
                    secure=settings.SESSION_COOKIE_SECURE,
                    httponly=True,
                    samesite="Lax",
                )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # After CsrfViewMiddleware: a forged POST was refused before it reaches here.
        if request.method != "POST" or not getattr(view_func, "keeps_form", False):
            return None
        if request.user.is_authenticated:
            return None
        username = signed_in_as(request)
        data = _fields(request)
        if username is None or data is None:
            return None  # the page's own sign-in redirect
        key = secrets.token_urlsafe(16)
        kept = request.session.get(SESSION_KEY) or {}
        kept[key] = {
            "path": request.path,
            "username": username,
            "data": data,
            "kept_at": timezone.now().isoformat(),
        }
        request.session[SESSION_KEY] = dict(list(kept.items())[-MAX_KEPT:])
        return redirect_to_login(f"{request.path}?kept={key}")


def signed_in_value(username: str) -> str:
    return signing.dumps(username, salt=_SALT)


def signed_in_as(request) -> str | None:
    value = request.COOKIES.get(SIGNED_IN_COOKIE)
    if not value:
        return None
    try:
        return signing.loads(value, salt=_SALT, max_age=SIGNED_IN_MAX_AGE)
    except signing.BadSignature:
        return None


def _fields(request) -> dict[str, list[str]] | None:
    data = {name: values for name, values in request.POST.lists() if name not in NEVER_KEPT}
    size = sum(len(name) + sum(map(len, values)) for name, values in data.items())
    return data if data and size <= MAX_KEPT_CHARS else None


@receiver(user_logged_out)
def _forget_who_signed_in(sender, request, **kwargs):
    if request is not None:
        request._tracker_signed_out = True
