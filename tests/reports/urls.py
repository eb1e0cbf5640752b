"""The project's URLs plus the reports', as tracker/urls.py will include them."""

from django.urls import include, path

from tracker.urls import urlpatterns as project_urls

_mounted = {str(p.pattern) for p in project_urls}
urlpatterns = [
    *project_urls,
    *([path("reports/", include("reports.urls"))] if "reports/" not in _mounted else []),
    *(
        [path("api/reports/", include("reports.api_urls"))]
        if "api/reports/" not in _mounted
        else []
    ),
]
