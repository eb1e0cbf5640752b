"""Marking a record as entered in error: the record stays, flagged, with who and why."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from blocks.models import EnteredInError


@transaction.atomic
def mark_entered_in_error(*, record: EnteredInError, reason: str, user) -> EnteredInError:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the record was entered in error."})
    record = type(record).objects.select_for_update().get(pk=record.pk)
    if record.entered_in_error:
        raise ValidationError("This record is already marked as entered in error.")
    record.entered_in_error = True
    record.entered_in_error_reason = reason
    record.entered_in_error_by = user
    record.entered_in_error_at = timezone.now()
    if hasattr(record, "version"):
        record.version += 1
    record.full_clean()
    record._history_user = user
    record.save()
    return record
