"""Mounted by tracker/urls.py as path("api/reports/", include("reports.api_urls"))."""

from django.urls import path

from reports import api
from reports.sharing.api import RedcapExportView

app_name = "reports_api"

urlpatterns = [
    path("outcomes/", api.OutcomesView.as_view(), name="outcomes"),
    path("blocks/", api.BlockRowsView.as_view(), name="blocks"),
    path("diary/", api.DiaryRowsView.as_view(), name="diary"),
    path("redcap/", RedcapExportView.as_view(), name="redcap"),
    # One operation per file format, for generated clients (the ?format= ones stay).
    *(
        path(f"{table}/{fmt}/", view.as_view(), name=f"{table}_{fmt}")
        for (table, fmt), view in api.FILE_VIEWS.items()
    ),
    path("treatment-outcomes/", api.TreatmentOutcomesView.as_view(), name="treatment-outcomes"),
]
