"""GET /api/reports/outcomes/, /blocks/ and /diary/: the report as JSON, CSV or xlsx.

Each report has one JSON operation (typed: reports.schema) and one operation per file
format, /csv/ and /xlsx/, each answering a single content type, so a client generated
from the schema can fetch every export. The JSON operations still take API_CONTRACT.md's
`?format=csv|xlsx` (left out of the schema). DRF would read `format` as its own renderer
override (URL_FORMAT_OVERRIDE) and answer 404 for csv or xlsx; these views opt out of that
with FormatParamNegotiation, so an unknown format is a 400 on `format` instead. The view
only checks the request and picks the format; the report is built by reports.outcomes and
rendered by reports.exports.
"""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from blocks.api.permissions import ReportsPermission
from blocks.api.views.common import BAD_REQUEST, FORBIDDEN, UNAUTHORIZED
from blocks.policy import can_export_identified
from blocks.rules import PROFILES, vocab
from reports.audit import record_identified_export
from reports.exports import CONTENT_TYPES, FORMATS, TooLargeForFormat, render
from reports.filters import FILTER_FIELDS, parse_filters
from reports.outcomes import outcome_report, row_report
from reports.schema import REPORT_SERIALIZERS, TreatmentOutcomesReportSerializer
from tracker.replica import reading_from_replica

TRUE = {"1", "true", "yes", "on"}
FALSE = {"", "0", "false", "no", "off"}


class FormatParamNegotiation(DefaultContentNegotiation):
    """Always JSON for DRF's own answers (errors); `?format=` is read by the view."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def requested_format(request) -> str:
    fmt = (request.query_params.get("format") or "json").strip().lower()
    if fmt not in FORMATS:
        raise exceptions.ValidationError(
            {"format": [f"Unknown format {fmt!r}; choose one of {', '.join(FORMATS)}."]}
        )
    return fmt


def requested_identified(request) -> bool:
    raw = (request.query_params.get("identified") or "").strip().lower()
    if raw not in TRUE | FALSE:
        raise exceptions.ValidationError({"identified": ["Give true or false."]})
    if raw in TRUE and not can_export_identified(request.user):
        raise exceptions.PermissionDenied("Only a superuser may export identified data.")
    return raw in TRUE


def _choice(name: str, codes, text: str) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.STR, enum=list(codes), description=text)


FILTER_PARAMETERS = [
    OpenApiParameter("from", OpenApiTypes.DATE, description="Performed on or after (YYYY-MM-DD)."),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Performed on or before (YYYY-MM-DD)."),
    _choice("kind", vocab.KINDS, "Kind of procedure."),
    _choice("region", vocab.REGIONS, "Region of the episode."),
    _choice("side", vocab.SIDES, "Side of the procedure."),
    OpenApiParameter("physician", OpenApiTypes.STR, description="Username or user id."),
    _choice("profile", PROFILES, "Guideline profile (the clinic's default when omitted)."),
]
IDENTIFIED_PARAMETER = OpenApiParameter(
    "identified",
    OpenApiTypes.BOOL,
    description="Superusers only: include identifiers and free text. Recorded.",
)
# The JSON operations leave `format` out of the schema: each file format is its own operation
# (.../csv/, .../xlsx/) with its own content type. `?format=csv|xlsx` still answers the file
# here, as API_CONTRACT.md says, for the clients written against it.
PARAMETERS = [*FILTER_PARAMETERS, IDENTIFIED_PARAMETER]
RESPONSES = {
    400: OpenApiResponse(
        BAD_REQUEST.response,
        description='A filter or parameter is wrong: {"field": ["message", ...]}.',
    ),
    401: UNAUTHORIZED,
    403: OpenApiResponse(
        FORBIDDEN.response,
        description="The role may not read reports, or identified data was asked for by "
        "someone not a superuser.",
    ),
}
FILE_FORMATS = ("csv", "xlsx")


class ReportView(APIView):
    permission_classes = [ReportsPermission]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = FormatParamNegotiation
    table = "outcomes"
    fixed_format: str | None = None  # a file operation's format; None reads ?format=

    # Authentication and the role check ran before this, on the primary; the report itself
    # can stand a few seconds' lag, so its reads may come from a replica.
    @reading_from_replica()
    def get(self, request):
        fmt = self.fixed_format or requested_format(request)
        identified = requested_identified(request)
        filters, errors = parse_filters(request.query_params)
        # The page's form sends blank fields; an API client that names a filter means it.
        for field in FILTER_FIELDS:
            if field in request.query_params and not request.query_params[field].strip():
                errors.setdefault(field, []).append("Give a value or leave the parameter out.")
        if errors:
            raise exceptions.ValidationError(errors)
        if identified:
            record_identified_export(
                user=request.user,
                table=self.table,
                export_format=fmt,
                filters=filters,
                channel="api",
            )
        if self.table == "outcomes":
            report = outcome_report(filters, identified=identified)
        else:
            report = row_report(filters, self.table, identified=identified)
        try:
            rendered = render(report, fmt, name=self.table)
        except TooLargeForFormat as error:
            raise exceptions.ValidationError({"format": [str(error)]}) from None
        response = HttpResponse(rendered.content, content_type=rendered.content_type)
        # Every format is a file to keep, JSON too (a browser would otherwise show it).
        response["Content-Disposition"] = f'attachment; filename="{rendered.filename}"'
        response["Cache-Control"] = "no-store"
        return response


def file_content_type(table: str, fmt: str) -> str:
    """The one content type a file operation answers: outcomes as CSV is a zip of tables."""
    if fmt == "csv":
        return CONTENT_TYPES["zip"] if table == "outcomes" else "text/csv"
    return CONTENT_TYPES[fmt]


def _report_view(name: str, table: str, summary: str) -> type[ReportView]:
    """One report table as an API view: the same GET, its own operation in the schema."""
    view = type(name, (ReportView,), {"table": table, "__doc__": summary})
    schema = extend_schema(
        operation_id=f"reports_{table}",
        summary=summary,
        description="The report as JSON, typed. The same report as files: the "
        f"reports_{table}_csv and reports_{table}_xlsx operations.",
        parameters=PARAMETERS,
        responses={200: REPORT_SERIALIZERS[table], **RESPONSES},
    )
    return extend_schema_view(get=schema)(view)


def _file_view(table: str, fmt: str, summary: str) -> type[ReportView]:
    """The report `table` as one file format: an operation with a single binary answer."""
    name = f"{table.capitalize()}{fmt.capitalize()}View"
    what = "a zip of one CSV per table" if (table, fmt) == ("outcomes", "csv") else fmt.upper()
    view = type(name, (ReportView,), {"table": table, "fixed_format": fmt, "__doc__": summary})
    schema = extend_schema(
        operation_id=f"reports_{table}_{fmt}",
        summary=f"{summary}, as {what}",
        description="A file to keep (Content-Disposition: attachment), with the data "
        "dictionary beside the data.",
        parameters=PARAMETERS,
        responses={
            (200, file_content_type(table, fmt)): OpenApiResponse(
                OpenApiTypes.BINARY, description=f"The report as {what}."
            ),
            **RESPONSES,
        },
    )
    return extend_schema_view(get=schema)(view)


SUMMARIES = {
    "outcomes": "Outcome summary: every table of the quality report",
    "blocks": "Row-level export: one row per block",
    "diary": "Row-level export: one row per diary score",
}
OutcomesView = _report_view("OutcomesView", "outcomes", SUMMARIES["outcomes"])
BlockRowsView = _report_view("BlockRowsView", "blocks", SUMMARIES["blocks"])
DiaryRowsView = _report_view("DiaryRowsView", "diary", SUMMARIES["diary"])
FILE_VIEWS = {
    (table, fmt): _file_view(table, fmt, summary)
    for table, summary in SUMMARIES.items()
    for fmt in FILE_FORMATS
}


class TreatmentOutcomesView(ReportView):
    """The clinic's own evidence: relief after treatment per kind and selection group."""

    table = "treatment_outcomes"

    @extend_schema(
        operation_id="reports_treatment_outcomes",
        summary="The clinic's own evidence: relief after treatment per kind and selection group",
        description='JSON `{"rows": [...], "meta": {...}, "dictionary": [...]}`, one row per '
        "treatment kind and selection group (CLINICAL_RULES section 10); csv and xlsx carry "
        "the same table and its data dictionary.",
        parameters=[
            *FILTER_PARAMETERS,
            _choice("format", FORMATS, "json (the default), csv or xlsx."),
        ],
        responses={
            (200, CONTENT_TYPES["json"]): TreatmentOutcomesReportSerializer,
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The table as CSV."
            ),
            (200, CONTENT_TYPES["xlsx"]): OpenApiResponse(
                OpenApiTypes.BINARY, description="The table and its data dictionary as xlsx."
            ),
            **RESPONSES,
        },
    )
    @reading_from_replica()
    def get(self, request):
        import json

        from reports import evidence
        from reports.dictionary import data_dictionary
        from reports.outcomes import Report

        fmt = requested_format(request)
        filters, errors = parse_filters(request.query_params)
        for field in FILTER_FIELDS:
            if field in request.query_params and not request.query_params[field].strip():
                errors.setdefault(field, []).append("Give a value or leave the parameter out.")
        if errors:
            raise exceptions.ValidationError(errors)
        frame = evidence.evidence_table(evidence.treated(filters), filters.profile)
        report = Report(filters, False, {self.table: frame})
        if fmt == "json":
            body = {
                "meta": report.meta(),
                "rows": json.loads(frame.to_json(orient="records")),
                "dictionary": json.loads(data_dictionary(report.tables).to_json(orient="records")),
            }
            response = HttpResponse(json.dumps(body), content_type="application/json")
        else:
            rendered = render(report, fmt, name="treatment-outcomes")
            response = HttpResponse(rendered.content, content_type=rendered.content_type)
            response["Content-Disposition"] = f'attachment; filename="{rendered.filename}"'
        response["Cache-Control"] = "no-store"
        return response
