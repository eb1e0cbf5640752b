"""Who may open which page, and the guideline profile a page reads under.

Anonymous visitors are sent to the sign-in page; a signed-in user whose role
may not open a page gets the 403 page. Staff and physicians write clinical
records, quality reads them, and only physicians decide on suggestions.
"""

from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.http import url_has_allowed_host_and_scheme

from blocks.policy import can_read, can_write, is_physician
from blocks.rules import PROFILES, Profile, get_profile


def clinical_page(*, write: bool = False, physician: bool = False):
    """Sign-in first, then the role check: reading, writing, or a physician's decision."""
    if physician:
        allowed, why = is_physician, "Only physicians work through the worklist and decide."
    elif write:
        allowed, why = can_write, "Only clinic staff and physicians record clinical information."
    else:
        allowed, why = can_read, "Your account has no clinic role yet; ask an administrator."

    def decorator(view):
        @wraps(view)
        def checked(request, *args, **kwargs):
            if not allowed(request.user):
                raise PermissionDenied(why)
            return view(request, *args, **kwargs)

        return login_required(checked)

    return decorator


def active_profile(request) -> Profile:
    """The profile chosen in the header for this session, else the clinic's default."""
    session = getattr(request, "session", None)
    name = session.get("profile") if session is not None else None
    if name in PROFILES:
        return PROFILES[name]
    return get_profile(settings.TRACKER_GUIDELINE_PROFILE)


def safe_next(request, candidate: str | None, default: str) -> str:
    """Only a path on this site may follow a form: never an outside address.

    It must start with "/": redirect() would try any other word ("-1") as a view name
    and answer 500.
    """
    if (
        candidate
        and candidate.startswith("/")
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return candidate
    return default
