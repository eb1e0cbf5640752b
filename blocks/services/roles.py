"""The clinic's roles are Django groups (created by migration 0002)."""

CLINIC_STAFF = "clinic_staff"
PHYSICIAN = "physician"
QUALITY = "quality"
ROLES = (CLINIC_STAFF, PHYSICIAN, QUALITY)
WRITING_ROLES = frozenset({CLINIC_STAFF, PHYSICIAN})
READ_ONLY_ROLES = frozenset({QUALITY})


def clinical_roles(user) -> frozenset[str]:
    """The user's clinical groups, read once per user object."""
    if user is None or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_clinical_roles", None)
    if cached is None:
        cached = frozenset(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
        user._clinical_roles = cached
    return cached


def is_physician(user) -> bool:
    """Physicians (and superusers) may override a hard stop."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or PHYSICIAN in clinical_roles(user)
