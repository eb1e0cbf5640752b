"""Audit pages, mounted by tracker/urls.py at the site root."""

from django.urls import path

from blocks.audit import views
from blocks.views.procedures import procedure_edit

app_name = "audit"

urlpatterns = [
    path("procedures/<int:pk>/history/", views.procedure_history_page, name="procedure-history"),
    path("procedures/<int:pk>/edit/", procedure_edit, name="procedure-edit"),
    path("patients/<int:pk>/history/", views.patient_history_page, name="patient-history"),
    path("episodes/<int:pk>/history/", views.episode_history_page, name="episode-history"),
]
