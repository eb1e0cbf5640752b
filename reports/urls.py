"""Mounted by tracker/urls.py as path("reports/", include("reports.urls"))."""

from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.outcomes_page, name="outcomes"),
]
