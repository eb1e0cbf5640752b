"""The reports' JSON answers validate against the schema's typed components, and the file
operations answer their one content type as a download."""

import io
import json
import zipfile

import openpyxl
import pandas as pd
import pytest
from openapi_schema_validator import OAS30ReadValidator

from reports.schema import ROW_COLUMNS
from reports.tables import IDENTIFIED_TABLES, TABLES
from tests.reports.clinic import small_clinic

pytestmark = pytest.mark.usefixtures("report_urls")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def schema(quality_client):
    return quality_client.get("/api/schema/?format=json").json()


def assert_conforms(schema, component: str, body) -> None:
    """`body` validates against the component, with the schema's references resolved."""
    document = {"$ref": f"#/components/schemas/{component}", "components": schema["components"]}
    errors = [error.message for error in OAS30ReadValidator(document).iter_errors(body)]
    assert errors == []


@pytest.mark.parametrize("identified", [False, True])
@pytest.mark.parametrize(
    ("url", "component"),
    [
        ("/api/reports/outcomes/", "OutcomeReport"),
        ("/api/reports/blocks/", "BlocksRowReport"),
        ("/api/reports/diary/", "DiaryRowReport"),
    ],
)
def test_each_json_report_is_what_its_schema_says(
    request, schema, physician_user, url, component, identified
):
    client = request.getfixturevalue("superuser_client" if identified else "quality_client")
    small_clinic(physician_user)
    response = client.get(url, {"identified": "true"} if identified else {})
    assert response.status_code == 200
    body = json.loads(response.content)
    assert_conforms(schema, component, body)
    assert body["tables"]  # the validation above saw rows, not an empty report
    for table, rows in body["tables"].items():
        documented = ROW_COLUMNS[table]
        required = {column for column, kind in documented.items() if not kind.endswith("?")}
        for row in rows:
            assert required <= set(row) <= set(documented), table


def test_the_schema_names_every_table_of_the_report(schema):
    tables = schema["components"]["schemas"]["OutcomeTables"]
    assert list(tables["properties"]) == [*TABLES, *IDENTIFIED_TABLES]
    assert set(tables["required"]) == set(TABLES)


@pytest.mark.parametrize(
    ("url", "content_type"),
    [
        ("/api/reports/outcomes/csv/", "application/zip"),
        ("/api/reports/outcomes/xlsx/", XLSX),
        ("/api/reports/blocks/csv/", "text/csv; charset=utf-8"),
        ("/api/reports/blocks/xlsx/", XLSX),
        ("/api/reports/diary/csv/", "text/csv; charset=utf-8"),
        ("/api/reports/diary/xlsx/", XLSX),
    ],
)
def test_the_file_operations_answer_their_file(quality_client, physician_user, url, content_type):
    small_clinic(physician_user)
    response = quality_client.get(url, {"kind": "medial_branch_block"})
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith('attachment; filename="')
    if content_type == XLSX:
        assert openpyxl.load_workbook(io.BytesIO(response.content)).sheetnames[-1] == (
            "About this export"
        )
    elif content_type == "application/zip":
        assert "data_dictionary.csv" in zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    else:
        assert len(pd.read_csv(io.BytesIO(response.content))) > 0


def test_the_contract_s_format_parameter_still_answers_files(quality_client, physician_user):
    small_clinic(physician_user)
    by_format = quality_client.get("/api/reports/blocks/", {"format": "csv"})
    by_operation = quality_client.get("/api/reports/blocks/csv/")
    assert by_format["Content-Type"] == by_operation["Content-Type"]
    assert by_format.content == by_operation.content


@pytest.mark.parametrize("url", ["/api/reports/outcomes/xlsx/", "/api/reports/diary/csv/"])
def test_the_file_operations_refuse_like_the_json_ones(client_for, staff_user, url):
    forbidden = client_for(staff_user).get(url)
    assert forbidden.status_code == 403
    assert forbidden["Content-Type"] == "application/json"
    assert set(forbidden.json()) == {"detail"}
    anonymous = client_for(None).get(url)
    assert anonymous.status_code == 401
    assert set(anonymous.json()) == {"detail"}


def test_the_treatment_outcomes_answer_is_what_its_schema_says(schema, quality_client, staff_user):
    from tests.reports.test_evidence import selected_rfa

    selected_rfa(staff_user, [(90, 2, 7), (180, 6, 6)])
    selected_rfa(staff_user, [(90, 1, 7)], blocks=False)  # a pathway deviation's row
    response = quality_client.get("/api/reports/treatment-outcomes/")
    assert response.status_code == 200
    body = json.loads(response.content)
    assert_conforms(schema, "TreatmentOutcomesReport", body)
    assert {row["group"] for row in body["rows"]} >= {"dual-80", "no-qualifying-selection"}
    operation = schema["paths"]["/api/reports/treatment-outcomes/"]["get"]
    assert set(operation["responses"]["200"]["content"]) == {"application/json", "text/csv", XLSX}
