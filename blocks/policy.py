"""The clinic's role policy: who may do what, asked by the pages, the API and the reports.

Roles are Django groups (created by migration 0002). A superuser may do everything. Every
question about a user's rights is answered here and nowhere else; the page decorator
(blocks.views.access), the API permission classes (blocks.api.permissions,
reports.api) and the sign-in's second step (tracker.auth) are thin adapters over it.
"""

CLINIC_STAFF = "clinic_staff"
PHYSICIAN = "physician"
QUALITY = "quality"
ROLES = (CLINIC_STAFF, PHYSICIAN, QUALITY)

# Staff and physicians read and write clinical records; quality reads them.
WRITING_ROLES = frozenset({CLINIC_STAFF, PHYSICIAN})
READ_ONLY_ROLES = frozenset({QUALITY})
# Reading who changed what, and the reports (which compare physicians and list serious
# events), are a physician's or the quality team's business, not the front desk's.
HISTORY_READERS = frozenset({PHYSICIAN, QUALITY})
REPORT_READERS = frozenset({PHYSICIAN, QUALITY})
# Who signs in with a second factor when TRACKER_REQUIRE_2FA is on (superusers too).
TWO_FACTOR_ROLES = frozenset({PHYSICIAN, QUALITY})
# Next steps that are staff's work, never a physician's accept or decline (CLINICAL_RULES.md
# sections 4 and 9: recording post-block scores, an unfinished diary included).
STAFF_TASK_CODES = ("record_post_block_scores",)


def clinical_roles(user) -> frozenset[str]:
    """The user's clinical groups, read once per user object."""
    if user is None or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_clinical_roles", None)
    if cached is None:
        cached = frozenset(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
        user._clinical_roles = cached
    return cached


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def _has(user, roles) -> bool:
    return _active(user) and (user.is_superuser or bool(clinical_roles(user) & roles))


def can_read(user) -> bool:
    """Any clinical role reads the clinical record."""
    return _has(user, frozenset(ROLES))


def can_write(user) -> bool:
    """Staff and physicians record clinical information."""
    return _has(user, WRITING_ROLES)


def can_read_only(user, method_is_safe: bool) -> bool:
    """The API's rule: writers do anything clinical, quality only reads."""
    return can_write(user) or (method_is_safe and _has(user, READ_ONLY_ROLES))


def is_physician(user) -> bool:
    """Physicians (and superusers) decide on suggestions and override hard stops."""
    return _has(user, frozenset({PHYSICIAN}))


def may_read_history(user) -> bool:
    return _has(user, HISTORY_READERS)


def may_edit_records(user) -> bool:
    return can_write(user)


def can_read_reports(user) -> bool:
    return _has(user, REPORT_READERS)


def can_export_identified(user) -> bool:
    """Identified exports are for superusers only (and recorded, see reports.audit)."""
    return _active(user) and user.is_superuser


def needs_two_factor(user) -> bool:
    return _active(user) and (user.is_superuser or bool(clinical_roles(user) & TWO_FACTOR_ROLES))


def role_words(user) -> list[str]:
    """The user's roles as the header names them."""
    words = ((PHYSICIAN, "Physician"), (CLINIC_STAFF, "Clinic staff"), (QUALITY, "Quality"))
    roles = clinical_roles(user)
    return [word for role, word in words if role in roles]


def home_of(user) -> str | None:
    """Where the user's day starts: "worklist" (physicians), "today" (staff), "reports"
    (quality), or None for an account with no clinic role."""
    if is_physician(user):
        return "worklist"
    roles = clinical_roles(user) if _active(user) else frozenset()
    if CLINIC_STAFF in roles:
        return "today"
    if QUALITY in roles:
        return "reports"
    return None
