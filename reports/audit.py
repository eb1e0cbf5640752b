"""The record of identified exports: who, when, what, with which filters."""

import getpass

from reports.filters import ReportFilters
from reports.models import IdentifiedExport


def record_identified_export(
    *, user, table: str, export_format: str, filters: ReportFilters, channel: str
) -> IdentifiedExport:
    try:
        os_user = getpass.getuser() if channel == "command" else ""
    except (KeyError, OSError):
        os_user = ""
    return IdentifiedExport.objects.create(
        requested_by=user,
        table=table,
        export_format=export_format,
        filters=filters.as_dict(),
        channel=channel,
        os_user=os_user,
    )
