"""A report as a file: JSON, CSV (a zip of one CSV per table) or an Excel workbook.

CSV is a zip rather than one long CSV: the tables have different columns,
and a zip keeps each one a plain rectangular file that any tool opens, with
`data_dictionary.csv` and `about.csv` beside them. A row-level export has one
table, so its CSV is that single file, not a zip.

A spreadsheet reads a cell that starts with `= + - @`, tab or CR as a formula, so
free text typed into the tracker (an override reason, a username) could run as
one in the reader's Excel. Every string cell of every CSV and XLSX goes through
`spreadsheet_safe`, which prefixes those with `'` (API_CONTRACT.md v1.1); numbers
stay numbers, and JSON keeps every value as stored.
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


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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


def spreadsheet_cell(value):
    """A string a spreadsheet would read as a formula, prefixed with `'`; anything else as is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with every string cell made inert; numeric, date and boolean columns untouched."""
    safe = frame.copy()
    for column in safe.columns:
        series = safe[column]
        if isinstance(series.dtype, pd.CategoricalDtype):
            safe[column] = series.cat.rename_categories(spreadsheet_cell)
        elif pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series):
            safe[column] = series.map(spreadsheet_cell, na_action="ignore")
    safe.columns = [spreadsheet_cell(name) for name in safe.columns]
    return safe


def _csv(frame: pd.DataFrame) -> bytes:
    """RFC 4180 lines (CRLF): then a cell holding a CR is quoted too, and cannot end its row
    early and start the next with a formula (Python's csv quotes only the terminator's
    characters)."""
    return spreadsheet_safe(frame).to_csv(index=False, lineterminator="\r\n").encode()


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
        _sheet(data_dictionary(report.tables)).to_excel(
            writer, sheet_name="data_dictionary", index=False
        )
        _sheet(about(report)).to_excel(writer, sheet_name="about", index=False)
    return buffer.getvalue()


def _sheet(frame: pd.DataFrame) -> pd.DataFrame:
    """Excel takes no time zones: datetime columns become UTC text. No cell is a formula."""
    frame = frame.copy()
    for column in frame.columns:
        if isinstance(frame[column].dtype, pd.DatetimeTZDtype):
            frame[column] = frame[column].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    return spreadsheet_safe(frame)
