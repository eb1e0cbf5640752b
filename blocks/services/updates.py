"""Editing a record without losing anybody's edit.

Every editable record carries a `version`. An update names the version it was based
on; when somebody else saved in between, the update is refused with `StaleVersion`,
which carries the record as it now stands, and nothing is written.

The version check and its bump are one conditional statement,
`UPDATE ... SET version = version + 1 WHERE id = %s AND version = %s`, so of two
writers holding the same version exactly one wins on any database: PostgreSQL makes
the second UPDATE wait for the first transaction and re-checks its WHERE against the
committed row (which no longer matches); SQLite lets one writer in at a time.
"""

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from blocks.models import Episode, Patient, Procedure, level_errors
from blocks.models.checks import clean_record
from blocks.models.measured import measured_values
from blocks.rules import vocab
from blocks.services.hard_stops import hard_stop_errors, hard_stops_of
from blocks.services.readings import refresh_patient, refresh_procedure
from blocks.services.records import ensure_standing


class _Unset:
    """A keyword argument left out: the field keeps its stored value."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()

Errors = dict[str, list[str]]


class StaleVersion(Exception):
    """The update was based on an old version; `current` is the record as stored now."""

    def __init__(self, current: models.Model, *, expected_version: int):
        self.current = current
        self.expected_version = expected_version
        super().__init__(
            f"{type(current).__name__} {current.pk} is at version {current.version}, "
            f"not {expected_version}: it changed since it was read."
        )


def procedure_update(
    *,
    procedure: Procedure,
    expected_version: int,
    updated_by,
    measured: Mapping,
    override_reason: str = "",
) -> Procedure:
    """Change what was recorded about a procedure; its findings stay as they are.

    `measured` holds only the fields that change, keyed as in blocks/models/measured.py.

    The whole record is checked as on creation (levels against kind and region, agent
    and dose, discs against kind and levels, screening hard stops). A change that makes
    a contraindication a hard stop needs a physician's `override_reason`.
    """
    changes = measured_values(measured, partial=True)
    if "levels" in changes:
        changes["levels"] = list(changes["levels"])

    def check(record: Procedure) -> Errors:
        return _procedure_errors(record, updated_by, (override_reason or "").strip())

    def reread(record: Procedure, before: dict) -> None:
        refresh_procedure(record, was=before.get("performed_at"))

    return _update(procedure, expected_version, changes, updated_by, check, reread=reread)


def episode_update(
    *,
    episode: Episode,
    expected_version: int,
    updated_by,
    region: str = UNSET,
    side: str = UNSET,
    pain_pattern: str = UNSET,
    surgery_considered: bool = UNSET,
    conservative_care_weeks: int | None = UNSET,
    opened_at: datetime = UNSET,
) -> Episode:
    """Change an episode; a new region must still fit every standing procedure's levels."""
    changes = _given(
        region=region,
        side=side,
        pain_pattern=pain_pattern,
        surgery_considered=surgery_considered,
        conservative_care_weeks=conservative_care_weeks,
        opened_at=opened_at,
    )

    def reread(record: Episode, before: dict) -> None:
        refresh_patient(record.patient_id)  # a region or surgery change reaches every block

    return _update(episode, expected_version, changes, updated_by, _episode_errors, reread=reread)


def patient_update(
    *,
    patient: Patient,
    expected_version: int,
    updated_by,
    mrn: str = UNSET,
    birth_date: date = UNSET,
    sex: str = UNSET,
) -> Patient:
    changes = _given(mrn=mrn, birth_date=birth_date, sex=sex)
    return _update(patient, expected_version, changes, updated_by, lambda record: {})


def _given(**fields) -> dict[str, Any]:
    return {name: value for name, value in fields.items() if value is not UNSET}


@transaction.atomic
def _update(
    record: models.Model, expected_version: int, changes: dict, user, check, *, reread=None
):
    """Apply `changes` if the record is still at `expected_version`; `reread(record, before)`
    refreshes the stored readings the change reaches, in the same transaction."""
    model = type(record)
    current = _stored(model, record.pk)
    ensure_standing(current)
    if current.version != expected_version:
        raise StaleVersion(current, expected_version=expected_version)
    changes = {name: value for name, value in changes.items() if getattr(current, name) != value}
    if not changes:
        return current  # nothing to write: the version stays, no history entry is made

    # The conditional UPDATE is the authority: between the read above and here another
    # writer may have won, and then this matches no row.
    claimed = model.objects.filter(pk=record.pk, version=expected_version).update(
        version=F("version") + 1
    )
    current = model.objects.get(pk=record.pk)
    if not claimed:
        raise StaleVersion(current, expected_version=expected_version)

    before = {name: getattr(current, name) for name in changes}
    for name, value in changes.items():
        setattr(current, name, value)
    errors: Errors = {}
    try:
        clean_record(current)
    except ValidationError as error:
        errors = {field: list(messages) for field, messages in error.message_dict.items()}
    for field, messages in check(current).items():
        errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)  # rolls the version bump back with everything else

    current._history_user = user
    current.save()
    if reread is not None:
        reread(current, before)
    return current


def _stored(model, pk):
    """The record as committed now (a separate function so tests can hold two writers here)."""
    return model.objects.get(pk=pk)


def _episode_errors(episode: Episode) -> Errors:
    messages = []
    for procedure in episode.procedures.active().order_by("performed_at", "id"):
        for problem in level_errors(procedure.levels, kind=procedure.kind, region=episode.region):
            messages.append(f"Procedure {procedure.pk}: {problem}")
    return {"region": messages} if messages else {}


def _procedure_errors(procedure: Procedure, user, override_reason: str) -> Errors:
    errors: Errors = {}
    disc_levels = list(procedure.discs.values_list("level", flat=True))
    if disc_levels and procedure.kind != vocab.DISCOGRAPHY:
        errors["kind"] = [f"Discs are recorded for this procedure: it stays a {vocab.DISCOGRAPHY}."]
    missing = [level for level in disc_levels if level not in (procedure.levels or [])]
    if missing and isinstance(procedure.levels, list):
        errors.setdefault("levels", []).append(
            f"Discs are recorded at {', '.join(missing)}: keep those levels."
        )
    errors.update(_screening_errors(procedure, user, override_reason))
    return errors


def _screening_errors(procedure: Procedure, user, override_reason: str) -> Errors:
    """A change that turns a contraindication into a hard stop needs a physician's override."""
    try:
        screening = procedure.screening
    except ObjectDoesNotExist:
        return {}
    hard_stops = hard_stops_of(
        screening.contraindications,
        contrast_used=procedure.contrast_used,
        steroid=procedure.steroid,
    )
    if not hard_stops or screening.overridden_by_id is not None:
        return {}
    errors = hard_stop_errors(hard_stops, user=user, override_reason=override_reason)
    if not errors:
        screening.override_reason = override_reason
        screening.overridden_by = user
        screening.overridden_at = timezone.now()
        screening._history_user = user
        screening.save()
    return errors
