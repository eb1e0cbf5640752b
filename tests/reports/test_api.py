"""GET /api/reports/...: who may read, which formats, and what the files hold."""

import io
import json
import zipfile

import pandas as pd
import pytest

from reports.dictionary import data_dictionary
from reports.exports import CONTENT_TYPES
from reports.labels import sheet_name
from reports.tables import TABLES
from tests.reports.clinic import small_clinic

pytestmark = pytest.mark.usefixtures("report_urls")
ENDPOINTS = ("/api/reports/outcomes/", "/api/reports/blocks/", "/api/reports/diary/")


@pytest.mark.parametrize("url", ENDPOINTS)
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("quality_user", 200),
        ("physician_user", 200),
        ("superuser", 200),
        ("staff_user", 403),
        ("nobody_user", 403),
        (None, 401),
    ],
)
def test_who_may_read_reports(request, client_for, url, persona, status):
    user = request.getfixturevalue(persona) if persona else None
    if user is None:
        request.getfixturevalue("db")
    assert client_for(user).get(url).status_code == status


def test_writes_are_refused(quality_client):
    assert quality_client.post("/api/reports/outcomes/").status_code == 403


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
def test_each_format_has_its_content_type(quality_client, physician_user, fmt):
    small_clinic(physician_user)
    response = quality_client.get("/api/reports/outcomes/", {"format": fmt})
    assert response.status_code == 200
    expected = {"json": "json", "csv": "zip", "xlsx": "xlsx"}[fmt]
    assert response["Content-Type"] == CONTENT_TYPES[expected]
    assert "deidentified" in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Content-Disposition"].endswith(
        {"json": '.json"', "csv": '.zip"', "xlsx": '.xlsx"'}[fmt]
    )


def test_json_is_the_default_with_every_table_and_the_dictionary(quality_client, physician_user):
    small_clinic(physician_user)
    body = json.loads(quality_client.get("/api/reports/outcomes/").content)
    assert list(body["tables"]) == list(TABLES)
    assert body["meta"]["deidentified"] is True
    assert body["meta"]["profile"] == "cms-2021"
    yields = {row["kind"]: row for row in body["tables"]["diagnostic_yield"]}
    assert yields["medial_branch_block"]["positive_percent"] == 66.7
    assert yields["interlaminar_epidural"]["positive_percent"] is None
    documented = {(row["table"], row["column"]) for row in body["dictionary"]}
    assert ("diagnostic_yield", "positive_percent") in documented


def test_an_unknown_format_is_a_400_not_drfs_404(quality_client):
    response = quality_client.get("/api/reports/outcomes/", {"format": "pdf"})
    assert response.status_code == 400
    assert response.json() == {"format": ["Unknown format 'pdf'; choose one of json, csv, xlsx."]}


def test_bad_filters_are_field_errors(quality_client):
    response = quality_client.get(
        "/api/reports/outcomes/",
        {"from": "2025-13-01", "kind": "acupuncture", "profile": "nice-2030"},
    )
    assert response.status_code == 400
    assert set(response.json()) == {"from", "kind", "profile"}
    reversed_dates = quality_client.get(
        "/api/reports/outcomes/", {"from": "2025-05-01", "to": "2025-01-01"}
    )
    assert reversed_dates.json() == {"to": ["The end date is before the start date."]}


def test_the_workbook_has_a_sheet_per_table_and_a_data_dictionary(quality_client, physician_user):
    small_clinic(physician_user)
    content = quality_client.get("/api/reports/outcomes/", {"format": "xlsx"}).content
    sheets = pd.read_excel(io.BytesIO(content), sheet_name=None)
    assert list(sheets) == [
        *(sheet_name(table) for table in TABLES),
        "Data dictionary",
        "About this export",
    ]
    dictionary = sheets["Data dictionary"]
    assert list(dictionary.columns) == [
        "Table code",
        "Sheet",
        "Column code",
        "Column header",
        "Meaning",
        "Unit",
        "Allowed values",
    ]
    assert dictionary["Meaning"].notna().all()
    assert sheets["Diagnostic yield"].set_index("Kind of procedure").loc["all", "Blocks"] == 4


def test_the_csv_is_a_zip_of_one_file_per_table(quality_client, physician_user):
    small_clinic(physician_user)
    content = quality_client.get("/api/reports/outcomes/", {"format": "csv"}).content
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = archive.namelist()
        volume = pd.read_csv(archive.open("volume_by_month.csv"))
    assert names == ["about.csv", "data_dictionary.csv", *(f"{t}.csv" for t in TABLES)]
    assert volume["procedures"].sum() == 5


def test_row_level_exports(quality_client, physician_user):
    small_clinic(physician_user)
    blocks = pd.read_csv(io.BytesIO(quality_client.get("/api/reports/blocks/?format=csv").content))
    assert len(blocks) == 5
    assert blocks["age_years"].astype(str).tolist().count("90+") == 3  # born 1931
    assert set(blocks["month"]) == {"2025-03", "2025-04", "2025-05"}
    diary = pd.read_csv(io.BytesIO(quality_client.get("/api/reports/diary/?format=csv").content))
    assert len(diary) == 3 + 5 + 1 + 3 + 2
    assert set(diary["block_ref"]) <= set(blocks["block_ref"])


def test_every_column_of_every_export_is_in_the_dictionary(quality_client, physician_user):
    from reports.filters import ReportFilters
    from reports.outcomes import outcome_report, row_report

    small_clinic(physician_user)
    for identified in (False, True):
        tables = dict(outcome_report(ReportFilters(), identified=identified).tables)
        for name in ("blocks", "diary"):
            tables.update(row_report(ReportFilters(), name, identified=identified).tables)
        data_dictionary(tables)  # raises UndocumentedColumn when one is missing


@pytest.mark.parametrize(
    "params",
    [
        {"from": "0001-01-01"},
        {"to": "9999-12-31"},
        {"physician": "9" * 40},
        {"physician": "x" * 200},
        {"physician": "²"},
        {"physician": "a\x00b"},
        {"identified": "perhaps"},
        {"format": "JSON", "kind": ""},
    ],
)
def test_odd_input_is_a_400_or_a_report_never_a_500(quality_client, params):
    response = quality_client.get("/api/reports/outcomes/", params)
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert set(response.json()) <= {"from", "to", "kind", "physician", "identified", "format"}


@pytest.mark.parametrize("param", ["from", "to", "kind", "profile"])
def test_an_empty_filter_is_a_400_naming_it(quality_client, param):
    response = quality_client.get(f"/api/reports/outcomes/?{param}=")

    assert response.status_code == 400
    assert param in response.json()


def test_a_diary_score_entered_in_error_is_left_out_of_the_diary_export(
    quality_client, physician_user
):
    from blocks import services
    from blocks.models import PainScore

    small_clinic(physician_user)
    score = PainScore.objects.order_by("id").first()
    services.pain_score_mark_entered_in_error(
        score=score, reason="Typed twice", user=physician_user
    )

    diary = pd.read_csv(io.BytesIO(quality_client.get("/api/reports/diary/?format=csv").content))

    assert len(diary) == 3 + 5 + 1 + 3 + 2 - 1
