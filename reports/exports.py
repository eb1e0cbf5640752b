"""A report as a file: JSON, CSV (a zip of one CSV per table) or an Excel workbook.

CSV is a zip rather than one long CSV: the tables have different columns,
and a zip keeps each one a plain rectangular file that any tool opens, with
`data_dictionary.csv` and `about.csv` beside them. A row-level export has one
table, so its CSV is that single file, not a zip.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass

import pandas as pd

from reports.dictionary import data_dictionary
from reports.outcomes import Report

FORMATS = ("json", "csv", "xlsx")
XLSX_MAX_ROWS = 1_048_575  # one row of the sheet is the header
CONTENT_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "zip": "application/zip",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class TooLargeForFormat(ValueError):
    pass


@dataclass(frozen=True)
class Rendered:
    content: bytes
    content_type: str
    filename: str


def render(report: Report, fmt: str, *, name: str = "outcomes") -> Rendered:
    stem = f"{name}-{report.generated_at:%Y%m%d-%H%M%S}"
    if not report.identified:
        stem += "-deidentified"
    else:
        stem += "-IDENTIFIED"
    if fmt == "json":
        return Rendered(to_json(report), CONTENT_TYPES["json"], f"{stem}.json")
    if fmt == "xlsx":
        return Rendered(to_xlsx(report), CONTENT_TYPES["xlsx"], f"{stem}.xlsx")
    if fmt == "csv" and len(report.tables) == 1:
        (frame,) = report.tables.values()
        return Rendered(_csv(frame), CONTENT_TYPES["csv"], f"{stem}.csv")
    if fmt == "csv":
        return Rendered(to_csv_zip(report), CONTENT_TYPES["zip"], f"{stem}.zip")
    raise ValueError(f"Unknown format {fmt!r}; choose one of {', '.join(FORMATS)}.")


def about(report: Report) -> pd.DataFrame:
    meta = report.meta()
    filters = meta.pop("filters")
    rows = [(key, str(value)) for key, value in meta.items()]
    rows += [(f"filter {key}", str(value)) for key, value in filters.items()]
    return pd.DataFrame(rows, columns=["item", "value"])


def to_json(report: Report) -> bytes:
    """{"meta": {...}, "tables": {name: [row, ...]}, "dictionary": [...]}, NaN as null."""
    parts = [
        f"{json.dumps(name)}:{frame.to_json(orient='records', date_format='iso')}"
        for name, frame in report.tables.items()
    ]
    dictionary = data_dictionary(report.tables).to_json(orient="records")
    text = (
        f'{{"meta":{json.dumps(report.meta())},"tables":{{{",".join(parts)}}},'
        f'"dictionary":{dictionary}}}'
    )
    return text.encode()


def _csv(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False, lineterminator="\n").encode()


def to_csv_zip(report: Report) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("about.csv", _csv(about(report)))
        archive.writestr("data_dictionary.csv", _csv(data_dictionary(report.tables)))
        for name, frame in report.tables.items():
            archive.writestr(f"{name}.csv", _csv(frame))
    return buffer.getvalue()


def to_xlsx(report: Report) -> bytes:
    """One sheet per table, then data_dictionary and about."""
    too_big = [name for name, frame in report.tables.items() if len(frame) > XLSX_MAX_ROWS]
    if too_big:
        raise TooLargeForFormat(
            f"{', '.join(too_big)} has more rows than a spreadsheet holds "
            f"({XLSX_MAX_ROWS}); use format=csv."
        )
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in report.tables.items():
            _sheet(frame).to_excel(writer, sheet_name=name[:31], index=False)
        data_dictionary(report.tables).to_excel(writer, sheet_name="data_dictionary", index=False)
        about(report).to_excel(writer, sheet_name="about", index=False)
    return buffer.getvalue()


def _sheet(frame: pd.DataFrame) -> pd.DataFrame:
    """Excel takes no time zones: datetime columns become UTC text."""
    frame = frame.copy()
    for column in frame.columns:
        if isinstance(frame[column].dtype, pd.DatetimeTZDtype):
            frame[column] = frame[column].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    return frame
