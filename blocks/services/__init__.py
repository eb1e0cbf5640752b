"""Every write to the clinical record goes through one of these functions."""

from blocks.services.decisions import decision_record
from blocks.services.findings import (
    complication_add,
    pain_score_add,
    pain_score_correct,
    pain_score_mark_entered_in_error,
)
from blocks.services.patients import episode_create, patient_create
from blocks.services.procedures import procedure_record
from blocks.services.records import mark_entered_in_error
from blocks.services.updates import (
    StaleVersion,
    episode_update,
    patient_update,
    procedure_update,
    screening_update,
)

__all__ = [
    "StaleVersion",
    "complication_add",
    "decision_record",
    "episode_create",
    "episode_update",
    "mark_entered_in_error",
    "pain_score_add",
    "pain_score_correct",
    "pain_score_mark_entered_in_error",
    "patient_create",
    "patient_update",
    "procedure_record",
    "procedure_update",
    "screening_update",
]
