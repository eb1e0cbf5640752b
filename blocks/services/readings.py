"""The stored readings, refreshed by the write that changes them, inside its transaction.

A write to the clinical record changes what the engine reads. Each service calls one of the
functions below before its transaction ends, so the stored readings (reports.models) commit
with the write or not at all: a 4xx has written nothing, a 2xx all of it. No signal and no
on-commit hook writes behind the services' backs. Each refreshes what the write can change,
and nothing more:

- a diary score (added, corrected or marked entered in error) or other finding changes
  its block's readings and its episode's suggestions;
- a procedure's measured fields also change the readings of the patient's blocks of the same
  region within 365 days (frequency limits read across episodes), and their episodes';
- an episode's region or a mark entered in error on a patient or episode: the whole patient.
"""

from datetime import datetime

from django.db import transaction

from blocks.models import PainScore, Patient, Procedure


def _store(scope) -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("The stored readings are refreshed inside the write's transaction.")
    # The store lives in the reports app, which reads blocks; imported here, not at the top,
    # so that blocks' modules load without it.
    from reports.store import readings

    readings.store_scope(scope)


def _lock_patient(patient_id: int) -> None:
    """Writers re-reading one patient take turns (PostgreSQL; SQLite has one writer)."""
    list(Patient.objects.select_for_update().filter(pk=patient_id).values_list("pk"))


def refresh_patient(patient_id: int) -> None:
    from reports.store.readings import Scope

    _lock_patient(patient_id)
    _store(Scope(patient_id))


def refresh_new_episode(episode) -> None:
    """An episode opened: its (empty) suggestions; no block's reading changes."""
    from reports.store.readings import Scope

    _store(Scope(episode.patient_id, procedures=frozenset(), episodes=frozenset({episode.pk})))


def refresh_block(procedure: Procedure, *, locked: bool = False) -> None:
    """A finding changed: the block's own readings and its episode's suggestions."""
    from reports.store.readings import Scope

    patient_id = procedure.episode.patient_id
    if not locked:
        _lock_patient(patient_id)
    _store(
        Scope(
            patient_id,
            procedures=frozenset({procedure.pk}),
            episodes=frozenset({procedure.episode_id}),
        )
    )


def refresh_procedure(procedure: Procedure, *, was: datetime | None = None) -> None:
    """A procedure recorded, changed or marked: it, the same region's blocks within 365 days of
    its date (and of its former date `was`), and their episodes."""
    from reports.store.readings import Scope

    patient_id = procedure.episode.patient_id
    _lock_patient(patient_id)
    dates = (procedure.performed_at,) + (() if was is None else (was,))
    _store(
        Scope(
            patient_id,
            procedures=frozenset({procedure.pk}),
            episodes=frozenset({procedure.episode_id}),
            region=procedure.episode.region,
            kind=procedure.kind,
            window=dates,
        )
    )


def refresh_after_mark(record) -> None:
    """A record marked entered in error: its readings go, the others it touched are re-read."""
    if isinstance(record, Procedure):
        refresh_procedure(record)
    elif isinstance(record, PainScore) or hasattr(record, "days_after"):
        refresh_block(record.procedure)  # a diary score or a follow-up
    elif isinstance(record, Patient):
        refresh_patient(record.pk)
    else:
        refresh_patient(record.patient_id)
