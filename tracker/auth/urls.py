"""Password change and the two-factor pages, under /accounts/ (next to sign-in)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from tracker.auth import views

urlpatterns = [
    path(
        "accounts/password_change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/two-factor/", views.verify_page, name="two-factor-verify"),
    path("accounts/two-factor/enrol/", views.enrol_page, name="two-factor-enrol"),
]
