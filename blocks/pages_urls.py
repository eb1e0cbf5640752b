"""The clinic pages: sign-in, patients, episodes, procedures and the physician's worklist.

Sign-in and sign-out are Django's own views; the password-reset views are left out
on purpose (they send e-mail, which a clinic workstation is not set up for).
"""

from django.contrib.auth import views as auth_views
from django.urls import path

from blocks import views
from blocks.sharing import views as sharing
from blocks.views import diary_card, patient_diary
from tracker.auth.forms import SignInForm
from tracker.session_keep import keep_alive

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=SignInForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(next_page="login"), name="logout"),
    # Pinged by static/js/session.js while a form is being filled (tracker/session_keep.py).
    path("accounts/keep-alive/", keep_alive, name="keep-alive"),
    path("profile/", views.profile_switch, name="profile-switch"),
    path("patients/", views.patient_list, name="patient-list"),
    path("patients/new/", views.patient_create, name="patient-create"),
    path("patients/<int:pk>/", views.patient_detail, name="patient-detail"),
    path("patients/<int:pk>/episodes/new/", views.episode_create, name="episode-create"),
    path("episodes/<int:pk>/", views.episode_detail, name="episode-detail"),
    path("episodes/<int:pk>/procedures/new/", views.procedure_create, name="procedure-create"),
    path("episodes/<int:pk>/decisions/", views.episode_decisions, name="episode-decisions"),
    # The printable summary and its PDF (blocks/sharing).
    path("episodes/<int:pk>/summary/", sharing.episode_summary, name="episode-summary"),
    path("episodes/<int:pk>/summary.pdf", sharing.episode_summary_pdf, name="episode-summary-pdf"),
    path("procedures/<int:pk>/pain-scores/new/", views.pain_score_create, name="pain-score-create"),
    path(
        "procedures/<int:pk>/complications/new/",
        views.complication_create,
        name="complication-create",
    ),
    path("procedures/<int:pk>/diary/", views.procedure_diary, name="procedure-diary"),
    path("diaries/", views.diary_list, name="diary-list"),
    path("worklist/", views.worklist, name="worklist"),
    path("rules/", views.rules_page, name="rules"),
    # Handing the diary to the patient: the link (shown once) and the printable card.
    path("procedures/<int:pk>/diary/card/", diary_card.diary_card, name="procedure-diary-card"),
    path(
        "procedures/<int:pk>/diary/link/revoke/",
        diary_card.diary_link_revoke,
        name="procedure-diary-link-revoke",
    ),
    # The patient's diary (no sign-in): the link moves its token into a cookie, then the page.
    path("diary/my/<str:handle>/", patient_diary.diary_page, name="patient-diary-page"),
    path("diary/<str:token>/", patient_diary.diary_entry, name="patient-diary"),
    path(
        "patients/<int:pk>/log-procedure/",
        views.patient_log_procedure,
        name="patient-log-procedure",
    ),
    path("today/", views.today, name="today"),
    # Follow-up after treatment: the staff grid and the patient's link (no login).
    path(
        "procedures/<int:pk>/follow-ups/", views.procedure_follow_ups, name="procedure-follow-ups"
    ),
    path("follow-up/", views.patient_follow_up_form, name="follow-up-form"),
    path("follow-up/<str:token>/", views.patient_follow_up_token, name="follow-up-patient"),
    path("procedures/<int:pk>/override/", views.procedure_override, name="procedure-override"),
]
