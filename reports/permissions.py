"""Who may read reports: quality, physicians and superusers.

Clinic staff may not: the reports compare physicians and list serious events,
which is the quality team's and the physicians' business, not the front desk's.
Identified exports are for superusers only (and recorded, see reports.audit).
"""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from blocks.services.roles import PHYSICIAN, QUALITY, clinical_roles

READER_ROLES = frozenset({PHYSICIAN, QUALITY})


def can_read_reports(user) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or bool(clinical_roles(user) & READER_ROLES)


def can_export_identified(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_superuser)


class ReportsPermission(BasePermission):
    """Read-only, for quality, physicians and superusers; 401 without credentials."""

    message = "Reports are for the quality team, physicians and administrators."

    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS and can_read_reports(request.user)
