from django.urls import path

from blocks.api import views
from blocks.api.decisions import EpisodeDecisionsView
from blocks.api.views import followups
from blocks.api.views.audit import EpisodeHistoryView, PatientHistoryView, ProcedureHistoryView
from blocks.api.views.diaries import DiaryListView
from blocks.api.views.diary_links import (
    DiaryLinkCreateView,
    DiaryLinkRevokeView,
    PatientDiaryView,
    PatientScoresView,
)
from blocks.api.views.pain_scores import PainScoreDetailView, PainScoreEnteredInErrorView

app_name = "api"

urlpatterns = [
    path("patients/", views.PatientListCreateView.as_view(), name="patient-list"),
    path("patients/<int:pk>/", views.PatientDetailView.as_view(), name="patient-detail"),
    path(
        "patients/<int:pk>/entered-in-error/",
        views.PatientEnteredInErrorView.as_view(),
        name="patient-entered-in-error",
    ),
    path("patients/<int:pk>/history/", PatientHistoryView.as_view(), name="patient-history"),
    path("episodes/", views.EpisodeListCreateView.as_view(), name="episode-list"),
    path("episodes/<int:pk>/", views.EpisodeDetailView.as_view(), name="episode-detail"),
    path(
        "episodes/<int:pk>/next-steps/",
        views.EpisodeNextStepsView.as_view(),
        name="episode-next-steps",
    ),
    path("episodes/<int:pk>/decisions/", EpisodeDecisionsView.as_view(), name="episode-decisions"),
    path(
        "episodes/<int:pk>/entered-in-error/",
        views.EpisodeEnteredInErrorView.as_view(),
        name="episode-entered-in-error",
    ),
    path("episodes/<int:pk>/history/", EpisodeHistoryView.as_view(), name="episode-history"),
    path("procedures/", views.ProcedureListCreateView.as_view(), name="procedure-list"),
    path("procedures/<int:pk>/", views.ProcedureDetailView.as_view(), name="procedure-detail"),
    path(
        "procedures/<int:pk>/pain-scores/",
        views.ProcedurePainScoresView.as_view(),
        name="procedure-pain-scores",
    ),
    path(
        "procedures/<int:pk>/complications/",
        views.ProcedureComplicationsView.as_view(),
        name="procedure-complications",
    ),
    path(
        "procedures/<int:pk>/entered-in-error/",
        views.ProcedureEnteredInErrorView.as_view(),
        name="procedure-entered-in-error",
    ),
    path("procedures/<int:pk>/history/", ProcedureHistoryView.as_view(), name="procedure-history"),
    path("pain-scores/<int:pk>/", PainScoreDetailView.as_view(), name="pain-score-detail"),
    path(
        "pain-scores/<int:pk>/entered-in-error/",
        PainScoreEnteredInErrorView.as_view(),
        name="pain-score-entered-in-error",
    ),
    path("diaries/", DiaryListView.as_view(), name="diary-list"),
    path("profiles/", views.ProfileListView.as_view(), name="profile-list"),
    path("profiles/<str:name>/", views.ProfileDetailView.as_view(), name="profile-detail"),
    # The patient's diary link (staff make and revoke it; the patient's side needs the token).
    path(
        "procedures/<int:pk>/diary-link/",
        DiaryLinkCreateView.as_view(),
        name="procedure-diary-link",
    ),
    path(
        "procedures/<int:pk>/diary-link/revoke/",
        DiaryLinkRevokeView.as_view(),
        name="procedure-diary-link-revoke",
    ),
    path("diary/<str:token>/", PatientDiaryView.as_view(), name="diary-token"),
    path("diary/<str:token>/scores/", PatientScoresView.as_view(), name="diary-token-scores"),
    # Follow-up after treatment (API v1.1).
    path(
        "procedures/<int:pk>/follow-ups/",
        followups.ProcedureFollowUpsView.as_view(),
        name="procedure-follow-ups",
    ),
    path(
        "procedures/<int:pk>/follow-up-link/",
        followups.FollowUpLinkView.as_view(),
        name="procedure-follow-up-link",
    ),
    path(
        "procedures/<int:pk>/follow-up-link/revoke/",
        followups.FollowUpLinkRevokeView.as_view(),
        name="procedure-follow-up-link-revoke",
    ),
    path("follow-ups/", followups.FollowUpDueListView.as_view(), name="follow-up-list"),
    path("follow-ups/<int:pk>/", followups.FollowUpDetailView.as_view(), name="follow-up-detail"),
    path(
        "follow-ups/<int:pk>/entered-in-error/",
        followups.FollowUpEnteredInErrorView.as_view(),
        name="follow-up-entered-in-error",
    ),
    path(
        "follow-up/<str:token>/",
        followups.PatientFollowUpView.as_view(),
        name="follow-up-patient-api",
    ),
    path(
        "follow-up/<str:token>/answers/",
        followups.PatientFollowUpAnswerView.as_view(),
        name="follow-up-patient-answers",
    ),
]
