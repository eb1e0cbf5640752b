"""Who may read the audit trail: the people who answer for the record's quality."""

from blocks.services.roles import CLINIC_STAFF, PHYSICIAN, QUALITY, clinical_roles

# Staff record procedures; reading who changed what is a physician's or the quality
# team's job (issue 5), so staff get a 403 on history, in the API and on the pages.
HISTORY_READERS = frozenset({PHYSICIAN, QUALITY})
EDITORS = frozenset({CLINIC_STAFF, PHYSICIAN})


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def may_read_history(user) -> bool:
    return _active(user) and (user.is_superuser or bool(clinical_roles(user) & HISTORY_READERS))


def may_edit_records(user) -> bool:
    return _active(user) and (user.is_superuser or bool(clinical_roles(user) & EDITORS))
