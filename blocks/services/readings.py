"""The stored readings, refreshed by the write that changes them, inside its transaction.

A write to the clinical record changes what the engine reads: a block's own reading, the
readings of the patient's other blocks (frequency limits read across episodes) and the
suggestions of the patient's episodes. Each service below calls `refresh_readings` for the
patients it touched before its transaction ends, so the stored readings (reports.models)
commit with the write or not at all: a 4xx has written nothing, a 2xx all of it. No signal
and no on-commit hook writes behind the services' backs.
"""

from collections.abc import Iterable

from django.db import transaction


def refresh_readings(patient_ids: Iterable[int]) -> None:
    """Re-read these patients' procedures and episodes under every profile, in this transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("refresh_readings runs inside the write's transaction.")
    ids = {pk for pk in patient_ids if pk is not None}
    if not ids:
        return
    # The store lives in the reports app, which reads blocks; imported here, not at the top,
    # so that blocks' modules load without it.
    from reports.readings import store_for_patients

    store_for_patients(ids)


def patient_of(record) -> int | None:
    """The patient id behind a patient, episode, procedure or finding."""
    for path in ("episode.patient_id", "procedure.episode.patient_id", "patient_id"):
        value = record
        try:
            for name in path.split("."):
                value = getattr(value, name)
        except AttributeError:
            continue
        return value
    return getattr(record, "pk", None)
