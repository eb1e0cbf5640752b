"""Who may do what under /api/ (API_CONTRACT.md "Auth and roles")."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from blocks.audit.permissions import may_read_history
from blocks.services.roles import READ_ONLY_ROLES, WRITING_ROLES, clinical_roles


class ClinicalRolePermission(BasePermission):
    """Staff and physicians read and write; quality reads; anyone else is refused.

    A request without credentials is refused before this runs its role check, so DRF
    answers 401 (token auth supplies the WWW-Authenticate header), not 403.
    """

    message = "Your role may not do this."

    def has_permission(self, request, view) -> bool:
        user = request.user
        if user is None or not user.is_authenticated or not user.is_active:
            return False
        if user.is_superuser:
            return True
        roles = clinical_roles(user)
        if roles & WRITING_ROLES:
            return True
        return bool(roles & READ_ONLY_ROLES) and request.method in SAFE_METHODS


class HistoryReaderPermission(BasePermission):
    """The audit trail: physicians, quality and superusers read it; nobody writes it."""

    message = "Only physicians and the quality team read the audit trail."

    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS and may_read_history(request.user)
