"""Keep the stored readings in step with the clinical record.

Each save of a procedure, diary score, disc, screening or episode notes what
changed; once the transaction commits, the patients concerned are re-read in
one go (procedure_record saves a procedure, its scores, discs and screening
in one transaction: one re-read, not five). The handlers themselves make no
query, so they add nothing to a request's query count.

If the re-read fails, the write still stands and the error is logged; the
stored reading is then stale or missing, which the reports detect and
compute on the fly (reports.data), and `manage.py refresh_readings --stale`
repairs.
"""

from __future__ import annotations

import logging
import threading

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from blocks.models import DiscInjection, Episode, PainScore, Procedure, Screening

logger = logging.getLogger(__name__)

_pending = threading.local()


def _queue() -> dict[str, set[int]]:
    queue = getattr(_pending, "queue", None)
    if queue is None:
        queue = _pending.queue = {"procedures": set(), "episodes": set(), "patients": set()}
    return queue


def _note(kind: str, pk: int | None) -> None:
    if pk is None:
        return
    _queue()[kind].add(pk)
    transaction.on_commit(flush, robust=True)


def flush() -> None:
    """Re-read every patient noted since the last flush (later callbacks find nothing)."""
    queue = _queue()
    procedures, episodes, patients = (
        set(queue["procedures"]),
        set(queue["episodes"]),
        set(queue["patients"]),
    )
    for ids in queue.values():
        ids.clear()
    if not (procedures or episodes or patients):
        return
    from reports.readings import store_for_patients

    if procedures:
        patients |= set(
            Procedure.objects.filter(pk__in=procedures).values_list(
                "episode__patient_id", flat=True
            )
        )
    if episodes:
        patients |= set(
            Episode.objects.filter(pk__in=episodes).values_list("patient_id", flat=True)
        )
    store_for_patients(patients)


def _procedure_saved(sender, instance, **kwargs):
    _note("episodes", instance.episode_id)


def _finding_saved(sender, instance, **kwargs):
    _note("procedures", instance.procedure_id)


def _episode_saved(sender, instance, **kwargs):
    _note("patients", instance.patient_id)


def connect() -> None:
    """Called from ReportsConfig.ready()."""
    uid = "reports.readings"
    for signal in (post_save, post_delete):
        signal.connect(_procedure_saved, sender=Procedure, dispatch_uid=f"{uid}.procedure")
        signal.connect(_episode_saved, sender=Episode, dispatch_uid=f"{uid}.episode")
        for model in (PainScore, DiscInjection, Screening):
            signal.connect(
                _finding_saved, sender=model, dispatch_uid=f"{uid}.{model._meta.model_name}"
            )
