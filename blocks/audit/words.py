"""The audit trail as a clinician reads it: clinical labels, the clinic's local time, words.

The history (blocks/audit/history.py) keeps field names and ISO values, which the API returns
as they are. The history page shows the same entries through here: "Pre-block pain" rather
than `pre_pain`, "02 Mar 2026, 09:30" (in TRACKER_TIME_ZONE) rather than
"2026-03-02T09:30:00+00:00", "Yes" rather than True, and codes in the clinic's words.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from blocks.audit.history import HistoryEntry
from blocks.formats import clinic_format
from blocks.forms.labels import label
from blocks.models import measured

FIELD_LABELS = {
    "performed_by": "Performed by",
    "created_at": "Created",
    "created_by": "Created by",
    "version": "Version",
    "entered_in_error": "Entered in error",
    "entered_in_error_reason": "Why entered in error",
    "entered_in_error_by": "Marked in error by",
    "entered_in_error_at": "Marked in error at",
    "awaiting_override": "Awaiting a physician's override",
    "contraindications": "Contraindications found",
    "override_reason": "Override reason",
    "overridden_by": "Overridden by",
    "overridden_at": "Overridden at",
    "minutes_after": "Minutes after the block",
    "score": "Pain score (0–10)",
    "patient_reported_relief_percent": "Patient-reported relief (%)",
    "recorded_by": "Entered by",
    "recorded_at": "Entered at",
    "source": "Entered through",
    "late": "Entered late",
    "mrn": "MRN",
    "given_name": "Given name",
    "family_name": "Family name",
    "birth_date": "Birth date",
    "sex": "Sex",
    "region": "Region",
    "side": "Side",
    "pain_pattern": "Pain pattern",
    "surgery_considered": "Surgery considered",
    "conservative_care_weeks": "Weeks of conservative care",
    "opened_at": "Opened",
    "code": "Complication",
    "severity": "Severity",
    "onset_days": "Onset (days after)",
    "notes": "Notes",
    "level": "Disc",
    "opening_pressure_psi": "Opening pressure (psi)",
    "provocation_pressure_psi": "Provocation pressure (psi)",
    "pain_score": "Pain provoked (0–10)",
    "concordance": "Concordance",
    "annular_grade": "Annular fissure grade (0–5)",
}
# Free text and identifiers are shown as written, never turned into "words".
_AS_WRITTEN = {
    "mrn",
    "given_name",
    "family_name",
    "notes",
    "override_reason",
    "entered_in_error_reason",
    "levels",
    "level",
    # usernames
    "performed_by",
    "recorded_by",
    "created_by",
    "overridden_by",
    "entered_in_error_by",
}


def field_label(name: str) -> str:
    if name in measured.BY_NAME:
        return measured.BY_NAME[name].label
    return FIELD_LABELS.get(name, name.replace("_", " ").capitalize())


def _moment(text: str) -> datetime | date | None:
    try:
        return datetime.fromisoformat(text) if "T" in text else date.fromisoformat(text)
    except ValueError:
        return None


def value_words(name: str, value: Any) -> str:
    """One stored value in words: local dates, Yes/No, codes as labels, lists joined."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list | tuple):
        return ", ".join(value_words(name, item) for item in value) or "none"
    if isinstance(value, datetime | date):
        return clinic_format(value)
    if isinstance(value, str) and name not in _AS_WRITTEN:
        if value[:4].isdigit() and (moment := _moment(value)) is not None:
            if isinstance(moment, datetime) and timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
            return clinic_format(moment)
        if value.islower() and " " not in value:
            return label(value)
    return str(value)


@dataclass(frozen=True)
class ShownChange:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class ShownEntry:
    at: datetime
    when: str
    by: str
    record: str
    version: int | None
    action: str
    reason: str | None
    source: str | None
    changes: list[ShownChange]


RECORD_WORDS = {"procedure": "The procedure", "episode": "The episode", "patient": "The patient"}


def shown_entries(entries: list[HistoryEntry]) -> list[ShownEntry]:
    return [
        ShownEntry(
            at=entry.at,
            when=clinic_format(entry.at),
            by=entry.by or entry.source or "(system)",
            record=RECORD_WORDS.get(entry.record, entry.label)
            if entry.record != "complication"
            else f"Complication: {label(entry.label.removeprefix('Complication ')).lower()}",
            version=entry.version,
            action=entry.action,
            reason=entry.reason,
            source=entry.source,
            changes=[
                ShownChange(
                    field_label(c.field),
                    value_words(c.field, c.before),
                    value_words(c.field, c.after),
                )
                for c in entry.changes
            ],
        )
        for entry in entries
    ]
