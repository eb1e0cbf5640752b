"""Forms of the clinic pages. They check shapes and plain-word rules; the services decide."""

from blocks.forms.base import show_service_errors
from blocks.forms.decisions import DecisionForm, ProfileForm, WorklistFilterForm
from blocks.forms.findings import ComplicationForm, PainScoreForm
from blocks.forms.patients import EpisodeForm, PatientForm, PatientSearchForm
from blocks.forms.procedures import ProcedureForm, diary_formset, disc_formset

__all__ = [
    "ComplicationForm",
    "DecisionForm",
    "EpisodeForm",
    "PainScoreForm",
    "PatientForm",
    "PatientSearchForm",
    "ProcedureForm",
    "ProfileForm",
    "WorklistFilterForm",
    "diary_formset",
    "disc_formset",
    "show_service_errors",
]
