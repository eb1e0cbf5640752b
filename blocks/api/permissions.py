"""Who may do what under /api/ (API_CONTRACT.md "Auth and roles")."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from blocks.policy import (
    can_read_only,
    can_read_reports,
    can_write,
    is_physician,
    may_read_history,
)


class ClinicalRolePermission(BasePermission):
    """Staff and physicians read and write; quality reads; anyone else is refused.

    A request without credentials is refused before this runs its role check, so DRF
    answers 401 (token auth supplies the WWW-Authenticate header), not 403.
    """

    message = "Your role may not do this."

    def has_permission(self, request, view) -> bool:
        return can_read_only(request.user, request.method in SAFE_METHODS)


class HistoryReaderPermission(BasePermission):
    """The audit trail: physicians, quality and superusers read it; nobody writes it."""

    message = "Only physicians and the quality team read the audit trail."

    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS and may_read_history(request.user)


class ReportsPermission(BasePermission):
    """Reports: read-only, for quality, physicians and superusers; 401 without credentials."""

    message = "Reports are for the quality team, physicians and administrators."

    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS and can_read_reports(request.user)


class PhysicianReadPermission(BasePermission):
    """The identified record handed to another system: physicians and superusers read it."""

    message = "Only physicians share a patient's record with another system."

    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS and is_physician(request.user)


class WriterReadPermission(BasePermission):
    """Papers made for the clinic's own work (the prior-authorization packet): staff and
    physicians (and superusers) read them; quality does not."""

    message = "Only clinic staff and physicians prepare a prior authorization."

    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS and can_write(request.user)
