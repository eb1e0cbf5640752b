"""django-simple-history rows as an audit trail: entries with field-by-field changes.

Every save of a clinical record leaves a historical row holding the whole record as it
then stood. An entry compares a row with the row before it for the same record; the
first row of a record ("created") lists the values it was created with.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models

from blocks.models import (
    Complication,
    DiscInjection,
    Episode,
    PainScore,
    Patient,
    Procedure,
    Screening,
)

ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
# Fields every historical row carries that say nothing about the record itself.
_BOOKKEEPING = {"id", "history_id", "history_date", "history_change_reason", "history_type"}


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class HistoryEntry:
    record: str  # "procedure", "pain_score", "disc", "screening", "complication", ...
    record_id: int
    label: str
    action: str  # created, changed or deleted
    at: datetime
    by: str | None  # the username, or None when no user was known (a script, a migration)
    version: int | None
    reason: str | None
    changes: list[FieldChange] = field(default_factory=list)
    # A diary score's source in words ("staff: sam.staff", "patient (diary link), late").
    source: str | None = None


@dataclass(frozen=True)
class _Source:
    """One tracked model: how its rows are named and which field points at the parent."""

    model: type[models.Model]
    record: str
    parent_field: str | None = None

    def label(self, row) -> str:
        if self.model is Procedure:
            return f"Procedure {row.id}"
        if self.model is PainScore:
            return f"Pain score at {row.minutes_after} min"
        if self.model is DiscInjection:
            return f"Disc {row.level}"
        if self.model is Screening:
            return "Screening"
        if self.model is Complication:
            return f"Complication {row.code}"
        if self.model is Patient:
            return f"Patient {row.mrn}"
        return f"Episode {row.id}"


PROCEDURE_SOURCES = (
    _Source(Procedure, "procedure"),
    _Source(PainScore, "pain_score", "procedure"),
    _Source(DiscInjection, "disc", "procedure"),
    _Source(Screening, "screening", "procedure"),
    _Source(Complication, "complication", "procedure"),
)


def procedure_history(procedure: Procedure) -> list[HistoryEntry]:
    """The procedure's changes and those of its scores, discs, screening and complications."""
    rows = []
    for source in PROCEDURE_SOURCES:
        lookup = {f"{source.parent_field}_id": procedure.pk} if source.parent_field else {}
        rows.append((source, _rows(source, **(lookup or {"id": procedure.pk}))))
    return _entries(rows)


def patient_history(patient: Patient) -> list[HistoryEntry]:
    source = _Source(Patient, "patient")
    return _entries([(source, _rows(source, id=patient.pk))])


def episode_history(episode: Episode) -> list[HistoryEntry]:
    source = _Source(Episode, "episode")
    return _entries([(source, _rows(source, id=episode.pk))])


def last_change(record: models.Model) -> HistoryEntry | None:
    """The newest entry of a record's own history (for "changed by X at T")."""
    source = next(
        (
            s
            for s in (*PROCEDURE_SOURCES, _Source(Patient, "patient"), _Source(Episode, "episode"))
            if s.model is type(record)
        ),
        None,
    )
    if source is None:
        return None
    entries = _entries([(source, _rows(source, id=record.pk))])
    return entries[0] if entries else None


def _score_source(row, usernames: dict) -> str:
    """Who entered the score, as the diary grid says it (the record, not the row's editor)."""
    if row.source == "patient":
        return "patient (diary link)" + (", late" if row.late else "")
    return f"staff: {usernames.get(row.recorded_by_id, 'unknown')}"


def plain(value: Any) -> Any:
    """A stored value as JSON shows it: decimals as numbers, times as ISO 8601."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


def _rows(source: _Source, **lookup) -> list:
    return list(
        source.model.history.model.objects.filter(**lookup).order_by("history_date", "history_id")
    )


def _tracked_fields(historical_model, source: _Source) -> list[models.Field]:
    return [
        f
        for f in historical_model._meta.fields
        if f.name not in _BOOKKEEPING and f.name != "history_user" and f.name != source.parent_field
    ]


def _entries(sources: Iterable[tuple[_Source, list]]) -> list[HistoryEntry]:
    sources = [(source, rows) for source, rows in sources if rows]
    fields_of = {source.record: _tracked_fields(type(rows[0]), source) for source, rows in sources}
    user_model = get_user_model()
    user_ids = set()
    for source, rows in sources:
        user_attnames = [
            f.attname for f in fields_of[source.record] if f.related_model is user_model
        ]
        for row in rows:
            user_ids.add(row.history_user_id)
            user_ids.update(getattr(row, name) for name in user_attnames)
    user_ids.discard(None)
    usernames = dict(user_model.objects.filter(pk__in=user_ids).values_list("pk", "username"))

    def shown(f: models.Field, row) -> Any:
        value = getattr(row, f.attname)
        if value is not None and f.related_model is user_model:
            return usernames.get(value, value)
        return plain(value)

    entries = []
    for source, rows in sources:
        fields = fields_of[source.record]
        previous: dict[int, Any] = {}
        for row in rows:
            before = previous.get(row.id)
            previous[row.id] = row
            if row.history_type == "-":
                changes = []
            elif before is None or row.history_type == "+":
                changes = [
                    FieldChange(f.name, None, shown(f, row))
                    for f in fields
                    if getattr(row, f.attname) not in (None, "")
                ]
            else:
                changes = [
                    FieldChange(f.name, shown(f, before), shown(f, row))
                    for f in fields
                    if getattr(before, f.attname) != getattr(row, f.attname)
                ]
            entries.append(
                HistoryEntry(
                    record=source.record,
                    record_id=row.id,
                    label=source.label(row),
                    action=ACTIONS.get(row.history_type, row.history_type),
                    at=row.history_date,
                    by=usernames.get(row.history_user_id),
                    version=getattr(row, "version", None),
                    reason=row.history_change_reason or None,
                    changes=changes,
                    source=_score_source(row, usernames) if source.model is PainScore else None,
                )
            )
    # Newest first; when saved in the same instant, the record before its findings.
    order = {source.record: index for index, (source, _) in enumerate(sources)}
    entries.sort(key=lambda e: (e.at, -order[e.record], e.record_id), reverse=True)
    return entries
