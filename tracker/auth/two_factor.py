"""Who must confirm their sign-in with a one-time code, and the hold until they have.

Physicians, quality and superusers must, when TRACKER_REQUIRE_2FA is on (the production
default). Anyone who has enrolled an authenticator app (staff may, voluntarily) is asked
for a code whatever the setting: an enrolment that is not asked for protects nothing.
Until the session is verified (django-otp's OTPMiddleware sets `user.otp_device`), the
user reaches the two-factor pages and sign-out only. API requests that carry a token are
not held: a token is its own credential (tracker/auth/authentication.py).
"""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authentication import get_authorization_header

from blocks.policy import needs_two_factor

# URL names an unverified session may open.
OPEN_WHILE_PENDING = frozenset({"login", "logout", "two-factor-verify", "two-factor-enrol"})


def role_needs_two_factor(user) -> bool:
    return needs_two_factor(user)


def is_enrolled(user) -> bool:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def must_verify(user) -> bool:
    """A signed-in user who has not yet confirmed this session with a code, but must."""
    if not user.is_authenticated or user.is_verified():
        return False
    required = settings.TRACKER_REQUIRE_2FA and role_needs_two_factor(user)
    return required or is_enrolled(user)


def _carries_token(request) -> bool:
    header = get_authorization_header(request).split()
    return bool(header) and header[0].lower() == b"token"


def _url_name(request) -> str | None:
    try:
        return resolve(request.path_info).url_name
    except Resolver404:
        return None


class TwoFactorMiddleware:
    """After OTPMiddleware: hold an unverified session on the two-factor pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.two_factor_pending = not _carries_token(request) and must_verify(request.user)
        if request.two_factor_pending and _url_name(request) not in OPEN_WHILE_PENDING:
            return self.hold(request)
        return self.get_response(request)

    @staticmethod
    def hold(request):
        verify = reverse("two-factor-verify")
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": f"Confirm your sign-in with a one-time code first ({verify})."},
                status=403,
            )
        if request.method == "GET":
            verify += "?" + urlencode({"next": request.get_full_path()})
        return redirect(verify)
