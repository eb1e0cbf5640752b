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
from django.utils import timezone

from reports import labels
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
    """One sheet per table, named in words, then the data dictionary and about.

    Headers are the clinical labels of reports.labels (bold, frozen, each column as wide
    as its content); the dictionary sheet names each column's code beside its header.
    Dates and times are Excel dates, in the clinic's time zone (Excel has none).
    """
    too_big = [name for name, frame in report.tables.items() if len(frame) > XLSX_MAX_ROWS]
    if too_big:
        raise TooLargeForFormat(
            f"{', '.join(too_big)} has more rows than a spreadsheet holds "
            f"({XLSX_MAX_ROWS}); use format=csv."
        )
    sheets = {
        **report.tables,
        "data_dictionary": workbook_dictionary(report.tables),
        "about": about(report),
    }
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            title = labels.sheet_name(name)
            sheet, formats = _sheet(frame)
            sheet.to_excel(writer, sheet_name=title, index=False)
            _lay_out(writer.sheets[title], sheet, formats)
    return buffer.getvalue()


def workbook_dictionary(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The data dictionary with the sheet and the header each code is shown under."""
    dictionary = data_dictionary(tables)
    dictionary.insert(1, "sheet", dictionary["table"].map(labels.sheet_name))
    dictionary.insert(3, "header", dictionary["column"].map(labels.column_label))
    return dictionary


DATE_FORMATS = {"month": "yyyy-mm", "date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm"}
DATE_PATTERNS = {
    "month": r"\d{4}-\d{2}",
    "date": r"\d{4}-\d{2}-\d{2}",
    "datetime": r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?Z",
}


def _as_date(series: pd.Series) -> tuple[pd.Series, str] | tuple[None, None]:
    """A column of dates, months or UTC times as Excel-ready values and their number
    format; (None, None) for anything else."""
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        local = series.dt.tz_convert(timezone.get_default_timezone_name()).dt.tz_localize(None)
        return local, DATE_FORMATS["datetime"]
    if not (pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series)):
        return None, None
    values = series.dropna()
    if values.empty or not all(isinstance(value, str) for value in values):
        return None, None
    for kind, pattern in DATE_PATTERNS.items():
        if values.str.fullmatch(pattern).all():
            if kind == "datetime":
                stamps = pd.to_datetime(series, utc=True, format="ISO8601")
                return _as_date(stamps)
            parsed = pd.to_datetime(series, format="%Y-%m" if kind == "month" else "%Y-%m-%d")
            return parsed, DATE_FORMATS[kind]
    return None, None


def _sheet(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """The frame as written: dates as dates, no cell a formula, clinical headers; and the
    number format of each date column (by header)."""
    frame = frame.copy()
    formats = {}
    for column in frame.columns:
        dates, number_format = _as_date(frame[column])
        if dates is not None:
            frame[column] = dates
            formats[labels.column_label(column)] = number_format
    frame = spreadsheet_safe(frame)
    frame.columns = [spreadsheet_cell(labels.column_label(name)) for name in frame.columns]
    return frame, formats


WIDTH_MIN, WIDTH_MAX = 8, 60
DATE_WIDTHS = {"yyyy-mm": 9, "yyyy-mm-dd": 12, "yyyy-mm-dd hh:mm": 18}


def _lay_out(worksheet, frame: pd.DataFrame, formats: dict[str, str]) -> None:
    """Bold frozen header row, date formats, each column as wide as its longest cell."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    worksheet.freeze_panes = "A2"
    for index, column in enumerate(frame.columns, start=1):
        letter = get_column_letter(index)
        header = worksheet[f"{letter}1"]
        header.font = Font(bold=True)
        header.alignment = Alignment(horizontal="left", vertical="bottom")
        number_format = formats.get(column)
        if number_format:
            for (cell,) in worksheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = number_format
            longest = DATE_WIDTHS[number_format]
        else:
            longest = _longest(frame.iloc[:, index - 1])
        width = max(len(str(column)), longest) + 2
        worksheet.column_dimensions[letter].width = min(max(width, WIDTH_MIN), WIDTH_MAX)


def _longest(series: pd.Series) -> int:
    if series.empty:
        return 0
    if pd.api.types.is_float_dtype(series):
        series = series.round(1)
    lengths = series.map(lambda value: 0 if pd.isna(value) else len(str(value)))
    return int(lengths.max())
