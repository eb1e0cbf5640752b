"""Entered in error: a record stays, flagged, with who and why; nothing grows under it.

A mark covers everything beneath the record (API_CONTRACT v1.1 "Records"): a patient's
episodes, an episode's procedures, a procedure's scores and complications. Every service
that adds to or changes a record asks `ensure_standing` first, which names the marked
record; the API answers 409 for it, the pages show its message.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from blocks.models import EnteredInError, Episode, FollowUp, PainScore, Patient, Procedure
from blocks.services.readings import refresh_after_mark

_NOUNS = {
    Patient: "patient record",
    Episode: "episode",
    Procedure: "procedure",
    PainScore: "diary score",
    FollowUp: "follow-up",
}


# The kinds of record a 409 may name as entered in error (the schema's enum).
MARKED_KINDS = {
    Patient: "patient",
    Episode: "episode",
    Procedure: "procedure",
    PainScore: "pain_score",
    FollowUp: "follow_up",
}


class MarkedEnteredInError(ValidationError):
    """A write under a record marked entered in error; `record` is the marked one."""

    def __init__(self, record: EnteredInError):
        self.record = record
        noun = _NOUNS.get(type(record), type(record).__name__.lower())
        super().__init__(
            f"This {noun} was entered in error: nothing can be added to it or changed under it."
        )

    @property
    def kind(self) -> str:
        """The marked record's kind as the API names it (MARKED_KINDS)."""
        return MARKED_KINDS[type(self.record)]


def lineage(record) -> list[EnteredInError]:
    """The record and the records above it, nearest first: (score,) procedure, episode,
    patient."""
    chain = [record]
    if isinstance(record, (PainScore, FollowUp)):
        record = record.procedure
        chain.append(record)
    if isinstance(record, Procedure):
        chain += [record.episode, record.episode.patient]
    elif isinstance(record, Episode):
        chain.append(record.patient)
    return chain


def ensure_standing(record) -> None:
    """Refuse a write to or under a record marked entered in error (the nearest is named)."""
    for item in lineage(record):
        if item.entered_in_error:
            raise MarkedEnteredInError(item)


@transaction.atomic
def mark_entered_in_error(
    *, record: EnteredInError, reason: str, user, refresh: bool = True
) -> EnteredInError:
    """Mark the record; `refresh=False` is for a service that refreshes once for many writes."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the record was entered in error."})
    if isinstance(record, (PainScore, FollowUp)):
        # A score is marked like any record, but never under a procedure entered in error.
        ensure_standing(
            Procedure.objects.select_related("episode__patient").get(pk=record.procedure_id)
        )
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
    if refresh:
        refresh_after_mark(record)
    return record
