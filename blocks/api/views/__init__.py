from blocks.api.views.patients import (
    EpisodeDetailView,
    EpisodeEnteredInErrorView,
    EpisodeListCreateView,
    PatientDetailView,
    PatientEnteredInErrorView,
    PatientListCreateView,
)
from blocks.api.views.procedures import (
    ProcedureComplicationsView,
    ProcedureDetailView,
    ProcedureEnteredInErrorView,
    ProcedureListCreateView,
    ProcedurePainScoresView,
)
from blocks.api.views.readings import EpisodeNextStepsView, ProfileDetailView, ProfileListView

__all__ = [
    "EpisodeDetailView",
    "EpisodeEnteredInErrorView",
    "EpisodeListCreateView",
    "EpisodeNextStepsView",
    "PatientDetailView",
    "PatientEnteredInErrorView",
    "PatientListCreateView",
    "ProcedureComplicationsView",
    "ProcedureDetailView",
    "ProcedureEnteredInErrorView",
    "ProcedureListCreateView",
    "ProcedurePainScoresView",
    "ProfileDetailView",
    "ProfileListView",
]
