"""GET /api/reports/redcap/: the REDCap project files as one zip, always de-identified."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from blocks.api.permissions import ReportsPermission
from reports.api import PARAMETERS, RESPONSES, TRUE, FormatParamNegotiation
from reports.filters import FILTER_FIELDS, parse_filters
from reports.sharing.redcap import redcap_zip

ZIP = "application/zip"


def requested_filters(request):
    filters, errors = parse_filters(request.query_params)
    for field in FILTER_FIELDS:
        if field in request.query_params and not request.query_params[field].strip():
            errors.setdefault(field, []).append("Give a value or leave the parameter out.")
    if (request.query_params.get("identified") or "").strip().lower() in TRUE:
        errors["identified"] = ["The REDCap export is always de-identified."]
    if errors:
        raise exceptions.ValidationError(errors)
    return filters


class RedcapExportView(APIView):
    """data_dictionary.csv, repeating_instruments.csv and records.csv for a REDCap project."""

    permission_classes = [ReportsPermission]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = FormatParamNegotiation

    @extend_schema(
        operation_id="reports_redcap",
        summary="REDCap project files (data dictionary, records, repeating instruments)",
        parameters=[p for p in PARAMETERS if p.name not in ("format", "identified")],
        responses={
            (200, ZIP): OpenApiTypes.BINARY,
            **{code: value for code, value in RESPONSES.items() if isinstance(code, int)},
        },
    )
    def get(self, request):
        filters = requested_filters(request)
        content = redcap_zip(filters)
        response = HttpResponse(content, content_type=ZIP)
        stem = f"redcap-{timezone.localtime():%Y%m%d-%H%M%S}-deidentified"
        response["Content-Disposition"] = f'attachment; filename="{stem}.zip"'
        response["Cache-Control"] = "no-store"
        return response
