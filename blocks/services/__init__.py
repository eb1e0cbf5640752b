"""Every write to the clinical record goes through one of these functions."""

from blocks.services import followup
from blocks.services.decisions import decision_record
from blocks.services.diary import (
    DiaryConflict,
    LinkGone,
    diary_link_create,
    diary_link_revoke,
    link_for_token,
    patient_score_add,
)
from blocks.services.findings import (
    ScoreRowsRefused,
    complication_add,
    pain_score_add,
    pain_score_correct,
    pain_score_mark_entered_in_error,
    pain_scores_save,
)
from blocks.services.patients import episode_create, patient_create
from blocks.services.procedures import procedure_override, procedure_record
from blocks.services.records import mark_entered_in_error
from blocks.services.updates import (
    StaleVersion,
    episode_update,
    patient_update,
    procedure_update,
    screening_update,
)

__all__ = [
    "DiaryConflict",
    "LinkGone",
    "StaleVersion",
    "complication_add",
    "followup",
    "decision_record",
    "diary_link_create",
    "diary_link_revoke",
    "episode_create",
    "episode_update",
    "link_for_token",
    "mark_entered_in_error",
    "pain_score_add",
    "pain_score_correct",
    "pain_score_mark_entered_in_error",
    "pain_scores_save",
    "ScoreRowsRefused",
    "patient_create",
    "patient_score_add",
    "patient_update",
    "procedure_override",
    "procedure_record",
    "procedure_update",
    "screening_update",
]
