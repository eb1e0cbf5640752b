"""GET /api/reports/redcap/: a zip a REDCap project is made from and imports.

No REDCap server is reachable here, so the files are checked against REDCap's documented
rules for the data dictionary upload and the Data Import Tool (README, "REDCap"):
- the dictionary has the 18 columns, in order and spelling; the first field is the record id
  (text); each form's fields are contiguous; variable names are lower case letters, digits and
  underscores starting with a letter (26 characters at most, REDCap's advice);
- every records.csv column is a dictionary field, a checkbox's `field___code`, a
  `<form>_complete`, or one of the record id and repeat columns;
- choice codes in records match the dictionary's choices, and those are the stored codes;
- the repeat columns are empty on the patient row and filled on every repeating row, and a
  row fills only its own instrument's fields.
"""

import csv
import io
import re
import zipfile

import pytest

from blocks.rules import vocab
from tests.sharing.treatments import treatment_with_follow_ups

DICTIONARY_COLUMNS = [
    "Variable / Field Name",
    "Form Name",
    "Section Header",
    "Field Type",
    "Field Label",
    "Choices, Calculations, OR Slider Labels",
    "Field Note",
    "Text Validation Type OR Show Slider Number",
    "Text Validation Min",
    "Text Validation Max",
    "Identifier?",
    "Branching Logic (Show field only if...)",
    "Required Field?",
    "Custom Alignment",
    "Question Number (surveys only)",
    "Matrix Group Name",
    "Matrix Ranking?",
    "Field Annotation",
]
NAME = re.compile(r"\A[a-z][a-z0-9_]{0,25}\Z")
CODE = re.compile(r"\A[A-Za-z0-9_]+\Z")
REPEAT = ("redcap_repeat_instrument", "redcap_repeat_instance")


def read_csv(archive, name):
    text = archive.read(name).decode()
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def export(physician_client, rfa_episode):
    _, _, procedure_ids = rfa_episode
    physician_client.post(
        f"/api/procedures/{procedure_ids[1]}/complications/",
        {"code": "vasovagal", "severity": "mild", "onset_days": 0},
        format="json",
    )
    rfa = treatment_with_follow_ups(rfa_episode)
    response = physician_client.get("/api/reports/redcap/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "deidentified" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == [
        "data_dictionary.csv",
        "records.csv",
        "repeating_instruments.csv",
    ]
    dictionary = read_csv(archive, "data_dictionary.csv")
    records = read_csv(archive, "records.csv")
    repeating = read_csv(archive, "repeating_instruments.csv")
    return {
        "header": dictionary[0],
        "fields": [dict(zip(dictionary[0], row, strict=True)) for row in dictionary[1:]],
        "columns": records[0],
        "rows": [dict(zip(records[0], row, strict=True)) for row in records[1:]],
        "repeating": repeating,
        "raw": response.content,
        "rfa": rfa,
    }


def test_the_dictionary_has_redcaps_18_columns_in_order(export):
    assert export["header"] == DICTIONARY_COLUMNS


def test_the_dictionary_follows_redcaps_upload_rules(export):
    fields = export["fields"]
    names = [f["Variable / Field Name"] for f in fields]
    assert names[0] == "record_id" and fields[0]["Field Type"] == "text"
    assert len(set(names)) == len(names)
    assert all(NAME.match(name) and "___" not in name for name in names), names
    forms = [f["Form Name"] for f in fields]
    assert forms == sorted(forms, key=["patient", "procedure", "pain_score", "follow_up"].index)
    for field in fields:
        assert field["Field Type"] in {"text", "radio", "yesno", "checkbox"}
        assert field["Text Validation Type OR Show Slider Number"] in {"", "integer", "number"}
        assert field["Identifier?"] in {"", "y"}
        if field["Field Type"] in {"radio", "checkbox"}:
            codes = [
                c.split(", ", 1)[0]
                for c in field["Choices, Calculations, OR Slider Labels"].split(" | ")
            ]
            assert all(CODE.match(code) for code in codes), codes


def choices(export, name):
    (field,) = [f for f in export["fields"] if f["Variable / Field Name"] == name]
    text = field["Choices, Calculations, OR Slider Labels"]
    return [item.split(", ", 1)[0] for item in text.split(" | ")]


def test_choices_are_the_stored_codes(export):
    assert choices(export, "kind") == list(vocab.KINDS)
    assert choices(export, "side") == list(vocab.SIDES)
    assert choices(export, "anesthetic") == list(vocab.ANESTHETICS)
    assert choices(export, "complications") == list(vocab.COMPLICATIONS)
    (kind,) = [f for f in export["fields"] if f["Variable / Field Name"] == "kind"]
    assert (
        "medial_branch_block, Medial branch block"
        in kind["Choices, Calculations, OR Slider Labels"]
    )


def test_every_records_column_is_known_to_the_dictionary(export):
    fields = {f["Variable / Field Name"]: f for f in export["fields"]}
    forms = {f["Form Name"] for f in export["fields"]}
    allowed = set(REPEAT) | {f"{form}_complete" for form in forms}
    for name, field in fields.items():
        if field["Field Type"] == "checkbox":
            allowed |= {f"{name}___{code}" for code in choices(export, name)}
        else:
            allowed.add(name)
    assert export["columns"][:3] == ["record_id", *REPEAT]
    assert set(export["columns"]) <= allowed
    assert "complications___vasovagal" in export["columns"]


def test_record_values_match_the_dictionary(export):
    fields = {f["Variable / Field Name"]: f for f in export["fields"]}
    for row in export["rows"]:
        for column, value in row.items():
            if value == "" or column not in fields:
                continue
            field = fields[column]
            if field["Field Type"] == "radio":
                assert value in choices(export, column), (column, value)
            elif field["Field Type"] == "yesno":
                assert value in {"0", "1"}, (column, value)
            elif field["Text Validation Type OR Show Slider Number"] == "integer":
                number = int(value)
                low, high = field["Text Validation Min"], field["Text Validation Max"]
                assert (low == "" or number >= int(low)) and (high == "" or number <= int(high))
            elif field["Text Validation Type OR Show Slider Number"] == "number":
                float(value)
        for column in export["columns"]:
            if "___" in column:
                assert row[column] in ({"0", "1"} if row[REPEAT[0]] == "procedure" else {""})


def form_of(export, column):
    fields = {f["Variable / Field Name"]: f["Form Name"] for f in export["fields"]}
    base = column.split("___")[0].removesuffix("_complete")
    return fields.get(base, base)


def test_repeat_columns_are_empty_on_the_patient_row_and_filled_on_repeating_rows(export):
    repeating = {row[0] for row in export["repeating"][1:]}
    assert export["repeating"][0] == ["form_name", "custom_form_label"]
    assert repeating == {"procedure", "pain_score", "follow_up"}
    rows = export["rows"]
    patient_rows = [r for r in rows if r["redcap_repeat_instrument"] == ""]
    assert len(patient_rows) == 1
    assert patient_rows[0]["redcap_repeat_instance"] == ""
    for row in rows:
        form = row["redcap_repeat_instrument"] or "patient"
        if form != "patient":
            assert form in repeating and row["redcap_repeat_instance"].isdigit()
        filled = {c for c in export["columns"][3:] if row[c] != ""}
        assert {form_of(export, c) for c in filled} == {form}, (form, filled)


def test_the_records_hold_the_blocks_and_scores_de_identified(export):
    rows = export["rows"]
    (patient,) = [r for r in rows if r["redcap_repeat_instrument"] == ""]
    assert re.fullmatch(r"P-[0-9a-f]{16}", patient["record_id"])
    assert patient["sex"] == "female"
    assert patient["age_first_block"] == "64"
    procedures = [r for r in rows if r["redcap_repeat_instrument"] == "procedure"]
    assert [(p["redcap_repeat_instance"], p["proc_month"]) for p in procedures] == [
        ("1", "2026-03"),
        ("2", "2026-03"),
        ("3", "2026-04"),
    ]
    assert [p["relief_percent"] for p in procedures[:2]] == ["85.7", "85.7"]
    assert [p["duration_minutes"] for p in procedures[:2]] == ["60", "240"]
    assert [p["complications___vasovagal"] for p in procedures] == ["0", "1", "0"]
    assert [p["levels"] for p in procedures] == ["L4-L5;L5-S1"] * 3
    scores = [r for r in rows if r["redcap_repeat_instrument"] == "pain_score"]
    assert [s["redcap_repeat_instance"] for s in scores] == [str(n) for n in range(1, 10)]
    assert {s["ps_block_ref"] for s in scores} == {p["block_ref"] for p in procedures[:2]}
    follow_ups = [r for r in rows if r["redcap_repeat_instrument"] == "follow_up"]
    assert [
        (
            f["redcap_repeat_instance"],
            f["fu_days_after"],
            f["fu_pain"],
            f["fu_pgic"],
            f["fu_medication"],
            f["fu_source"],
        )
        for f in follow_ups
    ] == [("1", "90", "2", "7", "less", "staff"), ("2", "180", "6", "", "", "staff")]
    assert {f["fu_block_ref"] for f in follow_ups} == {procedures[2]["block_ref"]}
    assert all(r["record_id"] == patient["record_id"] for r in rows)
    raw = zipfile.ZipFile(io.BytesIO(export["raw"])).read("records.csv").decode()
    assert "SHARE-001" not in raw and "1961" not in raw and "2026-03-02" not in raw


def test_the_patients_name_is_in_no_file_of_the_redcap_export(export):
    archive = zipfile.ZipFile(io.BytesIO(export["raw"]))
    for name in archive.namelist():
        text = archive.read(name).decode()
        assert "Perpetua" not in text and "Wigglesworth" not in text, name


@pytest.mark.parametrize("client_name, status", [("staff_client", 403), ("quality_client", 200)])
def test_quality_and_physicians_export_and_staff_may_not(request, client_name, status):
    client = request.getfixturevalue(client_name)
    assert client.get("/api/reports/redcap/").status_code == status


def test_an_identified_redcap_export_is_refused_naming_the_field(superuser_client):
    response = superuser_client.get("/api/reports/redcap/", {"identified": "true"})
    assert response.status_code == 400
    assert "identified" in response.json()
