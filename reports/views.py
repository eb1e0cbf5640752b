"""The /reports/ page: filters, tables, charts and download links.

The view checks who is asking and which filters, and picks HTML; the report
itself comes from reports.outcomes and the charts from reports.charts.
"""

from __future__ import annotations

import math
from datetime import timedelta
from urllib.parse import urlencode

import pandas as pd
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from blocks.policy import can_export_identified, can_read_reports
from blocks.rules import get_profile
from blocks.views.access import active_profile
from reports import charts, page_cache
from reports.filters import FILTER_FIELDS, ReportFilterForm
from reports.home import completeness_figures
from reports.labels import column_label, group_words
from reports.outcomes import outcome_report
from reports.readable import page_frame
from reports.tables import TABLES
from tracker.replica import reading_from_replica

SECTION_CHARTS = {
    "Volume": ["monthly_volume"],
    "Diagnostic yield": ["relief_distribution", "positive_rate", "diary_curve"],
    "Safety": ["complication_rate"],
    "Outcome of the pathway": ["relief_over_follow_up", "benefit_curves"],
}
LONG_TABLE = 30


def cell(value) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.1f}"
    # Codes read as words on the page (facet intraarticular); the files keep the codes.
    return str(value).replace("_", " ")


def table_context(name: str, frame: pd.DataFrame) -> dict:
    section, title = TABLES[name]
    frame, number_columns = page_frame(frame)
    numbers = [column in number_columns for column in frame.columns]
    groups = [column == "group" for column in frame.columns]  # selection groups in words
    return {
        "name": name,
        "title": title,
        "columns": [
            {"label": column_label(column), "code": column, "number": number}
            for column, number in zip(frame.columns, numbers, strict=True)
        ],
        "rows": [
            [
                {"text": group_words(value) if is_group else cell(value), "number": number}
                for value, number, is_group in zip(row, numbers, groups, strict=True)
            ]
            for row in frame.itertuples(index=False)
        ],
        "long": len(frame) > LONG_TABLE,
    }


def sections(tables: dict[str, pd.DataFrame], figures: dict[str, str]) -> list[dict]:
    grouped: dict[str, dict] = {}
    for name, frame in tables.items():
        if name not in TABLES:
            continue
        section = TABLES[name][0]
        entry = grouped.setdefault(
            section,
            {
                "title": section,
                "tables": [],
                "charts": [
                    {"name": chart, "uri": figures[chart], "alt": _chart_alt(chart)}
                    for chart in SECTION_CHARTS.get(section, [])
                ],
            },
        )
        entry["tables"].append(table_context(name, frame))
    return list(grouped.values())


def _chart_alt(name: str) -> str:
    return charts.CHARTS[name][2]


@login_required
@require_GET
def outcomes_page(request):
    if not can_read_reports(request.user):
        raise PermissionDenied("Reports are for the quality team, physicians and administrators.")
    # The report can stand a few seconds' lag: its reads may come from a replica.
    with reading_from_replica():
        return _outcomes_page(request)


def _outcomes_page(request):
    asked = {key: request.GET[key] for key in FILTER_FIELDS if request.GET.get(key)}
    if not any(key in request.GET for key in FILTER_FIELDS):
        asked = last_month()  # quality's home; `?from=&to=` asks for every date
    # Without ?profile= the page reads under the profile chosen in the header.
    form = ReportFilterForm({"profile": active_profile(request).name, **asked})
    # "Count again now": the figures of this moment, not the last count (reports.page_cache).
    recount = request.GET.get("recount") == "1"
    completeness = page_cache.completeness(completeness_figures, recount=recount)
    context = {
        "form": form,
        "can_identify": can_export_identified(request.user),
        "completeness": completeness.value,
        "completeness_counted": completeness,
    }
    if not form.is_valid():
        return render(request, "reports/outcomes.html", context, status=400)
    filters = form.filters()
    counted = page_cache.cached(filters.as_dict(), lambda: _report_parts(filters), recount=recount)
    context.update(counted.value)
    context["counted"] = counted
    context["lag_words"] = lag_words(settings.TRACKER_REPORTS_MAX_LAG_SECONDS)
    return render(request, "reports/outcomes.html", context)


def lag_words(seconds: int) -> str:
    """How often a changed page is counted again, in words: "once a minute"."""
    if seconds % 60 == 0:
        minutes = seconds // 60
        return "once a minute" if minutes == 1 else f"once every {minutes} minutes"
    return f"once every {seconds} seconds"


def last_month() -> dict:
    """The 30 days up to today (the clinic's date), as the page opens."""
    today = timezone.localdate()
    return {"from": (today - timedelta(days=30)).isoformat(), "to": today.isoformat()}


def _report_parts(filters) -> dict:
    """The report with its charts drawn: what the page cache keeps. A chart whose table is
    the same as when it was last drawn comes from the chart cache (reports.page_cache)."""
    report = outcome_report(filters)
    profile = get_profile(filters.profile)
    figures = {
        name: page_cache.chart(
            name,
            report.tables[table],
            lambda draw=draw, table=table: charts.data_uri(draw(report.tables[table], profile)),
            profile=profile.name,
        )
        for name, (table, draw, _) in charts.CHARTS.items()
    }
    return {
        "report": report,
        "meta": report.meta(),
        "sections": sections(report.tables, figures),
        "query": urlencode(report.filters.as_dict()),
    }
