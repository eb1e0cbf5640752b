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

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from blocks.models import Episode, Patient, Procedure, Screening, level_errors
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
    measured: Mapping | None = None,
    performed_by=UNSET,
    contraindications: Sequence[str] = UNSET,
    override_reason: str = "",
) -> Procedure:
    """Change what was recorded about a procedure: its measured fields, who performed it and
    its screening. Its diary scores are corrected one by one (services.pain_score_correct).

    `measured` holds only the fields that change, keyed as in blocks/models/measured.py.
    `contraindications`, when given, replaces the screening's list (one is made if the
    procedure had none); its history keeps the list it had.

    The whole record is checked as on creation (levels against kind and region, agent
    and dose, discs against kind and levels, screening hard stops). A change that brings a
    hard stop the stored override did not cover needs a physician's `override_reason`.
    Any change bumps the procedure's version, so a page opened before it is refused.
    """
    changes = measured_values(measured or {}, partial=True)
    if "levels" in changes:
        changes["levels"] = list(changes["levels"])
    if performed_by is not UNSET:
        changes["performed_by"] = performed_by
    codes = None if contraindications is UNSET else list(dict.fromkeys(contraindications))
    reason = (override_reason or "").strip()
    pending: dict[str, Screening] = {}

    def screening_changes(record: Procedure) -> bool:
        screening = _screening_of(record)
        if codes is None or (screening is not None and screening.contraindications == codes):
            return False
        pending["before"] = _hard_stops_of(record, screening)
        pending["screening"] = screening or Screening(procedure=record)
        return True

    def check(record: Procedure) -> Errors:
        errors = _performer_errors(record) if "performed_by" in changes else {}
        if "screening" in pending:
            errors.update(_replace_screening(record, pending, codes))
        return {**errors, **_procedure_errors(record, updated_by, reason, pending)}

    def reread(record: Procedure, before: dict) -> None:
        refresh_procedure(record, was=before.get("performed_at"))

    return _update(
        procedure,
        expected_version,
        changes,
        updated_by,
        check,
        reread=reread,
        also_changed=screening_changes,
    )


def screening_update(
    *,
    procedure: Procedure,
    expected_version: int,
    updated_by,
    contraindications: Sequence[str],
    override_reason: str = "",
) -> Procedure:
    """Correct the screening done before the needle (the procedure's version guards it)."""
    return procedure_update(
        procedure=procedure,
        expected_version=expected_version,
        updated_by=updated_by,
        contraindications=contraindications,
        override_reason=override_reason,
    )


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
    given_name: str = UNSET,
    family_name: str = UNSET,
    phone: str = UNSET,
    email: str = UNSET,
) -> Patient:
    changes = _given(
        mrn=mrn,
        birth_date=birth_date,
        sex=sex,
        given_name=given_name,
        family_name=family_name,
        phone=phone,
        email=email,
    )
    return _update(patient, expected_version, changes, updated_by, lambda record: {})


def _given(**fields) -> dict[str, Any]:
    return {name: value for name, value in fields.items() if value is not UNSET}


@transaction.atomic
def _update(
    record: models.Model,
    expected_version: int,
    changes: dict,
    user,
    check,
    *,
    reread=None,
    also_changed=None,
):
    """Apply `changes` if the record is still at `expected_version`; `reread(record, before)`
    refreshes the stored readings the change reaches, in the same transaction.
    `also_changed(record)` says whether something kept beside the record (a procedure's
    screening) changes too, which `check` then writes."""
    model = type(record)
    current = _stored(model, record.pk)
    ensure_standing(current)
    if current.version != expected_version:
        raise StaleVersion(current, expected_version=expected_version)
    changes = {name: value for name, value in changes.items() if getattr(current, name) != value}
    beside = also_changed(current) if also_changed is not None else False
    if not changes and not beside:
        return current  # nothing to write: the version stays, no history entry is made

    # The conditional UPDATE is the authority: between the read above and here another
    # writer may have won, and then this matches no row.
    claimed = model.objects.filter(pk=record.pk, version=expected_version).update(
        version=F("version") + 1
    )
    current = model.objects.get(pk=record.pk)
    if not claimed:
        raise StaleVersion(current, expected_version=expected_version)
    if beside:
        also_changed(current)  # bound again to the record as re-read

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


def _screening_of(procedure: Procedure) -> Screening | None:
    try:
        return procedure.screening
    except ObjectDoesNotExist:
        return None


def _hard_stops_of(procedure: Procedure, screening: Screening | None) -> set[str]:
    if screening is None:
        return set()
    return set(
        hard_stops_of(
            screening.contraindications,
            contrast_used=procedure.contrast_used,
            steroid=procedure.steroid,
        )
    )


def _performer_errors(procedure: Procedure) -> Errors:
    performer = procedure.performed_by
    if performer is None or not performer.is_active:
        return {"performed_by": ["Choose an active user as the performing physician."]}
    return {}


def _replace_screening(procedure: Procedure, pending: dict, codes: list[str]) -> Errors:
    """Put the new list on the screening; an override stays only for the stops it covered."""
    screening = pending["screening"]
    screening.procedure = procedure
    screening.contraindications = codes
    try:
        screening.clean()
    except ValidationError as error:
        return {field: list(messages) for field, messages in error.message_dict.items()}
    procedure.screening = screening
    if _hard_stops_of(procedure, screening) - pending["before"]:
        # A new hard stop: the old override did not weigh it, a physician must again.
        screening.override_reason = ""
        screening.overridden_by = None
        screening.overridden_at = None
    pending["dirty"] = True
    return {}


def _procedure_errors(
    procedure: Procedure, user, override_reason: str, pending: dict | None = None
) -> Errors:
    errors: Errors = {}
    disc_levels = list(procedure.discs.values_list("level", flat=True))
    if disc_levels and procedure.kind != vocab.DISCOGRAPHY:
        errors["kind"] = [f"Discs are recorded for this procedure: it stays a {vocab.DISCOGRAPHY}."]
    missing = [level for level in disc_levels if level not in (procedure.levels or [])]
    if missing and isinstance(procedure.levels, list):
        errors.setdefault("levels", []).append(
            f"Discs are recorded at {', '.join(missing)}: keep those levels."
        )
    if "contraindications" in errors:
        return errors
    errors.update(_screening_errors(procedure, user, override_reason, pending or {}))
    return errors


def _screening_errors(procedure: Procedure, user, override_reason: str, pending: dict) -> Errors:
    """A change that turns a contraindication into a hard stop needs a physician's override;
    a screening changed without one is saved here, with its history."""
    screening = _screening_of(procedure)
    if screening is None:
        return {}
    hard_stops = hard_stops_of(
        screening.contraindications,
        contrast_used=procedure.contrast_used,
        steroid=procedure.steroid,
    )
    if not hard_stops or screening.overridden_by_id is not None:
        if pending.get("dirty"):
            screening._history_user = user
            screening.save()
        return {}
    errors = hard_stop_errors(hard_stops, user=user, override_reason=override_reason)
    if not errors:
        screening.override_reason = override_reason
        screening.overridden_by = user
        screening.overridden_at = timezone.now()
        screening._history_user = user
        screening.save()
    return errors
