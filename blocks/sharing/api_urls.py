"""Mounted by tracker/urls.py under api/ (beside blocks.api.urls)."""

from django.urls import path

from blocks.sharing import api

app_name = "sharing_api"

urlpatterns = [
    path("patients/<int:pk>/fhir/", api.PatientFHIRView.as_view(), name="patient-fhir"),
    path(
        "episodes/<int:pk>/prior-authorization/",
        api.PriorAuthorizationView.as_view(),
        name="episode-prior-authorization",
    ),
]
