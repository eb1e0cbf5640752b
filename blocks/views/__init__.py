"""Server-rendered clinic pages (issue 3). Every write goes through blocks.services."""

from blocks.views.diaries import diary_list, procedure_diary
from blocks.views.episodes import complication_create, episode_detail, pain_score_create
from blocks.views.followup import (
    patient_follow_up_form,
    patient_follow_up_token,
    procedure_follow_ups,
)
from blocks.views.home import home, profile_switch
from blocks.views.overrides import procedure_override
from blocks.views.patients import (
    episode_create,
    patient_create,
    patient_detail,
    patient_list,
    patient_log_procedure,
)
from blocks.views.procedures import procedure_create
from blocks.views.rules import rules_page
from blocks.views.today import today
from blocks.views.worklist import episode_decisions, worklist

__all__ = [
    "complication_create",
    "diary_list",
    "episode_create",
    "episode_decisions",
    "episode_detail",
    "home",
    "pain_score_create",
    "patient_create",
    "patient_detail",
    "patient_list",
    "patient_log_procedure",
    "procedure_create",
    "procedure_diary",
    "patient_follow_up_form",
    "patient_follow_up_token",
    "procedure_follow_ups",
    "procedure_override",
    "profile_switch",
    "rules_page",
    "today",
    "worklist",
]
