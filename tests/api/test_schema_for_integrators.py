"""The OpenAPI schema as an integrator reads it: valid, every vocabulary an enum taken from
blocks/rules/vocab.py, one content type per report operation, shared error shapes."""

import pytest
from django.conf import settings
from openapi_spec_validator import validate

from blocks.api.vocabulary import ENUMS, PROFILE_NAMES
from blocks.rules import vocab

REPORT_FILES = {
    "/api/reports/outcomes/csv/": "application/zip",
    "/api/reports/outcomes/xlsx/": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ),
    "/api/reports/blocks/csv/": "text/csv",
    "/api/reports/blocks/xlsx/": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ),
    "/api/reports/diary/csv/": "text/csv",
    "/api/reports/diary/xlsx/": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ),
    "/api/reports/redcap/": "application/zip",
}
REPORT_JSON = {
    "/api/reports/outcomes/": "OutcomeReport",
    "/api/reports/blocks/": "BlocksRowReport",
    "/api/reports/diary/": "DiaryRowReport",
}


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from drf_spectacular.generators import SchemaGenerator

    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


@pytest.fixture(scope="module")
def components(schema):
    return schema["components"]["schemas"]


def ref(name: str) -> str:
    return f"#/components/schemas/{name}"


def enum_of(property_schema: dict) -> str:
    """The enum component a property (or an array's items) refers to."""
    if property_schema.get("type") == "array":
        property_schema = property_schema["items"]
    if "$ref" in property_schema:
        return property_schema["$ref"]
    (only,) = property_schema["allOf"]
    return only["$ref"]


def test_the_schema_is_valid_openapi(schema):
    validate(schema)  # raises on any error


def test_every_vocabulary_enum_lists_the_codes_of_vocab_py(components):
    assert set(ENUMS) == set(settings.API_VOCABULARY_ENUMS)
    for name, codes in ENUMS.items():
        assert components[name]["enum"] == list(codes), name
    assert ENUMS["ResponseEnum"] == vocab.RESPONSES
    assert ENUMS["ProfileNameEnum"] == PROFILE_NAMES == ("cms-2021", "asra-2020", "sis-controlled")
    assert "L9-L10" not in components["LevelEnum"]["enum"]
    assert {"L4-L5", "L5-S1", "C7-T1", "S1", "SI"} <= set(components["LevelEnum"]["enum"])


@pytest.mark.parametrize(
    ("component", "field", "enum"),
    [
        ("Interpretation", "response", "ResponseEnum"),
        ("Interpretation", "validity", "ValidityEnum"),
        ("Interpretation", "warnings", "WarningCodeEnum"),
        ("Interpretation", "non_diagnostic_codes", "NonDiagnosticCodeEnum"),
        ("Interpretation", "profile", "ProfileNameEnum"),
        ("Suggestion", "code", "NextStepCodeEnum"),
        ("Suggestion", "side", "SideEnum"),
        ("Suggestion", "anesthetic", "AnestheticEnum"),
        ("Suggestion", "levels", "LevelEnum"),
        ("DiscReading", "result", "DiscResultEnum"),
        ("DiscReading", "level", "LevelEnum"),
        ("FrequencyWarning", "code", "FrequencyWarningCodeEnum"),
        ("NextSteps", "profile", "ProfileNameEnum"),
        ("Profile", "name", "ProfileNameEnum"),
        ("ScreeningOutput", "contraindications", "ContraindicationEnum"),
        ("ScreeningOutput", "hard_stops", "HardStopEnum"),
        ("ScreeningOutput", "warnings", "ScreeningWarningEnum"),
        ("ProcedureInputRequest", "levels", "LevelEnum"),
        ("ProcedureInputRequest", "contraindications", "ContraindicationEnum"),
        ("ProcedureUpdateRequest", "levels", "LevelEnum"),
        ("ProcedureOutput", "levels", "LevelEnum"),
        ("ProcedureSummary", "levels", "LevelEnum"),
        ("DecisionInputRequest", "code", "NextStepCodeEnum"),
        ("DecisionInputRequest", "levels", "LevelEnum"),
        ("DecisionInputRequest", "profile", "ProfileNameEnum"),
        ("DecisionOutput", "code", "NextStepCodeEnum"),
        ("DecisionOutput", "levels", "LevelEnum"),
    ],
)
def test_each_fixed_vocabulary_is_its_enum(components, component, field, enum):
    assert enum_of(components[component]["properties"][field]) == ref(enum)


def test_dates_and_the_contrast_rule_are_stated(components):
    assert components["Profile"]["properties"]["version_date"]["format"] == "date"
    for name in ("ProcedureInputRequest", "ProcedureUpdateRequest"):
        description = components[name]["description"]
        assert "contrast_flow_confirmed" in description, name
        assert "contrast_used" in description, name


@pytest.mark.parametrize(("path", "content_type"), REPORT_FILES.items())
def test_each_file_operation_answers_one_binary_content_type(schema, path, content_type):
    ok = schema["paths"][path]["get"]["responses"]["200"]
    assert list(ok["content"]) == [content_type]
    assert ok["content"][content_type]["schema"] == {"type": "string", "format": "binary"}


@pytest.mark.parametrize(("path", "component"), REPORT_JSON.items())
def test_the_json_reports_are_typed_and_their_errors_are_the_shared_shapes(
    schema, components, path, component
):
    operation = schema["paths"][path]["get"]
    responses = operation["responses"]
    assert list(responses["200"]["content"]) == ["application/json"]
    assert responses["200"]["content"]["application/json"]["schema"] == {"$ref": ref(component)}
    assert set(components[component]["required"]) == {"meta", "tables", "dictionary"}
    assert "format" not in {parameter["name"] for parameter in operation["parameters"]}
    for status, shape in (("400", "FieldErrors"), ("401", "ErrorDetail"), ("403", "ErrorDetail")):
        assert responses[status]["content"]["application/json"]["schema"] == {"$ref": ref(shape)}
    rows = components["OutcomeTables"]["properties"]["diagnostic_yield"]["items"]
    assert rows == {"$ref": ref("DiagnosticYieldRow")}
