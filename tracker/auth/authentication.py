"""Token authentication with an expiry and a throttle on failed attempts.

A request that names a token (`Authorization: Token <key>`) is refused with 401 when the
key is unknown or has expired (tracker/auth/tokens.py). Each such failure counts against
the client's address (the address django-axes uses for sign-in lock-out); after
TRACKER_API_TOKEN_FAILURE_LIMIT failures within the window, every token request from that
address is answered 429 with Retry-After until the window ends -- without looking at the
key, so guessing keys gets no answers at all. Requests without a token header are not
counted (sessions have their own lock-out).
"""

import math
import time

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication, get_authorization_header

from tracker.auth import tokens

CACHE_PREFIX = "tracker-auth:token-failures:"


class TokenAttempts:
    """Failed token attempts of one client address in the current window (Django's cache)."""

    def __init__(self, request):
        self.key = CACHE_PREFIX + (get_client_ip_address(request) or "unknown")

    @staticmethod
    def window_seconds() -> int:
        return settings.TRACKER_API_TOKEN_FAILURE_WINDOW_MINUTES * 60

    def _state(self) -> dict:
        return cache.get(self.key) or {"count": 0, "ends": time.time() + self.window_seconds()}

    def refuse_if_blocked(self) -> None:
        state = self._state()
        if state["count"] >= settings.TRACKER_API_TOKEN_FAILURE_LIMIT:
            wait = max(math.ceil(state["ends"] - time.time()), 1)
            raise exceptions.Throttled(
                wait=wait,
                # DRF adds "Expected available in N seconds." to the detail.
                detail="Too many failed token attempts from this address.",
            )

    def record_failure(self) -> None:
        state = self._state()
        state["count"] += 1
        cache.set(self.key, state, timeout=max(math.ceil(state["ends"] - time.time()), 1))


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        attempts = TokenAttempts(request)
        attempts.refuse_if_blocked()
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            attempts.record_failure()
            raise

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if tokens.is_expired(token, timezone.now()):
            raise exceptions.AuthenticationFailed(
                f"Token expired at {tokens.expires_at(token):%Y-%m-%d %H:%M} UTC; "
                "ask an administrator for a new one (manage.py rotate_api_token)."
            )
        return user, token
