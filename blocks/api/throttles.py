"""The patient's token endpoints and page are throttled per client address.

A diary link needs no account, so nothing but the token stands between a guesser and a
patient's diary: every request to `/api/diary/{token}/…` and `/diary/…` from one address
counts against TRACKER_DIARY_RATE (a DRF rate such as "30/minute"), known token or not. The
counts live in Django's cache, as the failed API-token attempts do.
"""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class DiaryRateThrottle(SimpleRateThrottle):
    """The `diary` scope: its rate read from the settings each time one is made (DRF makes one
    per request), counted per client address whatever the request carries."""

    scope = "diary"

    def get_rate(self):
        return settings.TRACKER_DIARY_RATE

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def page_allowed(request) -> tuple[bool, int]:
    """For the HTML page (not a DRF view): may this address make one more request, and if
    not, how many seconds until it may."""
    throttle = DiaryRateThrottle()
    if throttle.allow_request(request, None):
        return True, 0
    return False, max(int(throttle.wait() or 1), 1)
