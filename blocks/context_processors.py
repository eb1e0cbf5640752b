"""What the header of every page shows: who is signed in, their role, the active profile."""

from django.conf import settings

from blocks import policy
from blocks.rules import PROFILES
from blocks.views.access import active_profile


def clinic(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"clinic": {"signed_in": False}}
    words = policy.role_words(user)
    if user.is_superuser:
        words.insert(0, "Superuser")
    profile = active_profile(request)
    return {
        "clinic": {
            "signed_in": True,
            "role": " and ".join(words) or "No clinic role",
            "can_read": policy.can_read(user),
            "can_write": policy.can_write(user),
            "is_physician": policy.is_physician(user),
            "sees_reports": policy.can_read_reports(user),
            "profile": profile,
            "profiles": list(PROFILES.values()),
            # static/js/session.js warns before the session ends.
            "session_idle_seconds": settings.TRACKER_SESSION_IDLE_MINUTES * 60,
        }
    }
