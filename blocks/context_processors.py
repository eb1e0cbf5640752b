"""What the header of every page shows: who is signed in, their role, the active profile."""

from django.conf import settings

from blocks.rules import PROFILES
from blocks.services.roles import CLINIC_STAFF, PHYSICIAN, QUALITY, clinical_roles
from blocks.views.access import active_profile, can_read, can_write

ROLE_WORDS = ((PHYSICIAN, "Physician"), (CLINIC_STAFF, "Clinic staff"), (QUALITY, "Quality"))


def clinic(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"clinic": {"signed_in": False}}
    roles = clinical_roles(user)
    words = [word for role, word in ROLE_WORDS if role in roles]
    if user.is_superuser:
        words.insert(0, "Superuser")
    profile = active_profile(request)
    return {
        "clinic": {
            "signed_in": True,
            "role": " and ".join(words) or "No clinic role",
            "can_read": can_read(user),
            "can_write": can_write(user),
            "is_physician": user.is_superuser or PHYSICIAN in roles,
            "sees_reports": user.is_superuser or bool(roles & {PHYSICIAN, QUALITY}),
            "profile": profile,
            "profiles": list(PROFILES.values()),
            # static/js/session.js warns before the session ends.
            "session_idle_seconds": settings.TRACKER_SESSION_IDLE_MINUTES * 60,
        }
    }
