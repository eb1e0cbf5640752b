from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny

urlpatterns = [
    path("admin/", admin.site.urls),
    # The schema and its viewer are public (API_CONTRACT.md): they hold no clinical data.
    path(
        "api/schema/",
        SpectacularAPIView.as_view(permission_classes=[AllowAny], authentication_classes=[]),
        name="schema",
    ),
    path(
        "api/docs/",
        # The split view serves its start-up script as a file: the pages allow no inline script.
        SpectacularSwaggerSplitView.as_view(
            url_name="schema", permission_classes=[AllowAny], authentication_classes=[]
        ),
        name="swagger-ui",
    ),
    path("api/reports/", include("reports.api_urls")),
    path("api/", include("blocks.api.urls")),
    path("api/", include("blocks.sharing.api_urls")),
    path("reports/", include("reports.urls")),
    path("", include("tracker.auth.urls")),
    path("", include("blocks.audit_urls")),
    path("", include("blocks.pages_urls")),
]

# JSON under /api/, the clinic's HTML pages elsewhere (tracker/errors.py).
handler400 = "tracker.errors.bad_request"
handler403 = "tracker.errors.permission_denied"
handler404 = "tracker.errors.not_found"
handler500 = "tracker.errors.server_error"
