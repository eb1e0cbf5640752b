"""Every write to the clinical record goes through one of these functions."""

from blocks.services.findings import complication_add, pain_score_add
from blocks.services.patients import episode_create, patient_create
from blocks.services.procedures import procedure_record
from blocks.services.records import mark_entered_in_error

__all__ = [
    "complication_add",
    "episode_create",
    "mark_entered_in_error",
    "pain_score_add",
    "patient_create",
    "procedure_record",
]
