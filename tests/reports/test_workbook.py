"""The Excel workbook as a person opens it, read back with openpyxl: sheets named in words,
clinical headers, bold frozen header rows, columns as wide as their content, real dates."""

import datetime as dt
import io

import openpyxl
import pytest

from reports.labels import SHEET_NAME_MAX
from tests.reports.clinic import BIRTH_DATE, small_clinic

pytestmark = pytest.mark.usefixtures("report_urls")


def workbook(client, url, **params):
    response = client.get(url, {"format": "xlsx", **params})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return openpyxl.load_workbook(io.BytesIO(response.content))


def header(sheet) -> list[str]:
    return [cell.value for cell in sheet[1]]


def column(sheet, label: str) -> list:
    index = header(sheet).index(label) + 1
    return [sheet.cell(row=row, column=index) for row in range(2, sheet.max_row + 1)]


def test_every_sheet_has_a_bold_frozen_header_and_columns_sized_to_content(
    quality_client, physician_user
):
    small_clinic(physician_user)
    book = workbook(quality_client, "/api/reports/outcomes/")
    for sheet in book.worksheets:
        assert len(sheet.title) <= SHEET_NAME_MAX
        assert "_" not in sheet.title, sheet.title
        assert sheet.freeze_panes == "A2", sheet.title
        for cell in sheet[1]:
            assert cell.font.bold, (sheet.title, cell.value)
            assert "_" not in cell.value, (sheet.title, cell.value)
            width = sheet.column_dimensions[cell.column_letter].width
            assert width >= min(len(cell.value), 58), (sheet.title, cell.value, width)
    meaning = column(book["Data dictionary"], "Meaning")
    longest = max(len(cell.value) for cell in meaning)
    meaning_letter = meaning[0].column_letter
    assert book["Data dictionary"].column_dimensions[meaning_letter].width == min(longest + 2, 60)


def test_months_are_dates_and_the_dictionary_maps_each_header_to_its_code(
    quality_client, physician_user
):
    small_clinic(physician_user)
    book = workbook(quality_client, "/api/reports/outcomes/")
    per_month = book["Procedures per month"]
    assert header(per_month) == ["Month", "Procedures"]
    months = column(per_month, "Month")
    assert [cell.value for cell in months] == [
        dt.datetime(2025, 3, 1),
        dt.datetime(2025, 4, 1),
        dt.datetime(2025, 5, 1),
    ]
    assert {cell.number_format for cell in months} == {"yyyy-mm"}
    assert sum(cell.value for cell in column(per_month, "Procedures")) == 5
    decisions = book["Decisions on suggestions"]
    assert "Settled by a later treatment" in header(decisions)
    dictionary = book["Data dictionary"]
    rows = {
        (row[0], row[2]): (row[1], row[3])
        for row in dictionary.iter_rows(min_row=2, values_only=True)
    }
    assert rows[("diagnostic_yield", "relief_median")] == ("Diagnostic yield", "Median relief (%)")
    assert rows[("decisions_by_code", "settled_without_decision")] == (
        "Decisions on suggestions",
        "Settled by a later treatment",
    )


def test_the_identified_rows_carry_the_birth_date_as_a_date(superuser_client, physician_user):
    small_clinic(physician_user)
    book = workbook(superuser_client, "/api/reports/blocks/", identified="true")
    assert book.sheetnames == ["Blocks, one row each", "Data dictionary", "About this export"]
    sheet = book["Blocks, one row each"]
    births = column(sheet, "Date of birth")
    assert dt.datetime.combine(BIRTH_DATE, dt.time()) in {cell.value for cell in births}
    assert {cell.number_format for cell in births} == {"yyyy-mm-dd"}
    assert all(cell.is_date for cell in births)
