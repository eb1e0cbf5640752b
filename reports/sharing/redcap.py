"""A REDCap project from the tracker: data dictionary, records and repeating instruments.

Followed: REDCap's documented rules for the Data Dictionary upload and the Data Import Tool
(REDCap 14 LTS and the standard releases after it, as the REDCap knowledge base describes the
data dictionary's 18 columns and record CSV import; see README). No REDCap server is reachable
here: tests/sharing/test_redcap.py checks the files against those rules.

- data_dictionary.csv: REDCap's 18 columns in REDCap's order and spelling. One instrument per
  table: `patient` (one row per record), `procedure`, `pain_score` and `follow_up` (the
  follow-ups after a treatment, CLINICAL_RULES section 10) repeating.
- repeating_instruments.csv: a data dictionary cannot say which instruments repeat; this is
  the file of Project Setup, Repeating instruments ("form_name,custom_form_label").
- records.csv: one row per patient (the repeat columns empty), then one row per procedure, per
  diary score and per follow-up with `redcap_repeat_instrument` and `redcap_repeat_instance`
  filled.

De-identified exactly as every other export (reports.outcomes.row_report: keyed pseudonyms,
months for dates, ages with 90+), and every cell spreadsheet-safe (reports.exports).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import pandas as pd

from blocks.forms.labels import label
from blocks.models import FollowUp
from blocks.models.findings import PATIENT as PATIENT_SOURCE
from blocks.models.findings import STAFF
from blocks.models.measured import BOOLEAN, BY_NAME, CODE, DECIMAL, INTEGER
from blocks.rules import followup as followup_rules
from blocks.rules import vocab
from reports import deid
from reports.data import procedures
from reports.exports import spreadsheet_safe
from reports.filters import ReportFilters
from reports.outcomes import row_report

DICTIONARY_COLUMNS = (
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
)
RECORD_ID = "record_id"
REPEAT_COLUMNS = ("redcap_repeat_instrument", "redcap_repeat_instance")
PATIENT, PROCEDURE, PAIN_SCORE, FOLLOW_UP = "patient", "procedure", "pain_score", "follow_up"
FORMS = (PATIENT, PROCEDURE, PAIN_SCORE, FOLLOW_UP)
REPEATING = {
    PROCEDURE: "[proc_month] [kind]",
    PAIN_SCORE: "[ps_minutes_after] min",
    FOLLOW_UP: "[fu_days_after] days",
}
COMPLETE = 2  # REDCap's "Complete" status of an instrument
RESPONSES = ("positive", "partial", "negative", "indeterminate", "non_diagnostic")
VALIDITIES = ("valid", "non_diagnostic", "indeterminate")


@dataclass(frozen=True)
class Field:
    name: str
    form: str
    type: str  # text | radio | yesno | checkbox
    label: str
    source: str  # the column of the de-identified rows it is read from
    codes: tuple[str, ...] = ()
    note: str = ""
    validation: str = ""  # integer | number
    minimum: str = ""
    maximum: str = ""
    identifier: bool = False
    words: tuple[str, ...] = ()  # the choices' labels, when not the codes' own (PGIC 1-7)

    @property
    def choices(self) -> str:
        words = self.words or tuple(label(code) for code in self.codes)
        return " | ".join(f"{code}, {word}" for code, word in zip(self.codes, words, strict=True))

    def dictionary_row(self) -> list[str]:
        return [
            self.name,
            self.form,
            "",
            self.type,
            self.label,
            self.choices,
            self.note,
            self.validation,
            self.minimum,
            self.maximum,
            "y" if self.identifier else "",
            "",
            "y" if self.name == RECORD_ID else "",
            "",
            "",
            "",
            "",
            "",
        ]


def _measured(name: str, *, field_name: str | None = None) -> Field:
    """A procedure field from the one declaration of what is measured (blocks/models/measured)."""
    measured = BY_NAME[name]
    return Field(
        field_name or name,
        PROCEDURE,
        {CODE: "radio", BOOLEAN: "yesno"}.get(measured.type, "text"),
        measured.label,
        source=name,
        codes=measured.vocabulary,
        note=measured.meaning,
        validation={INTEGER: "integer", DECIMAL: "number"}.get(measured.type, ""),
        minimum="" if measured.minimum is None else str(measured.minimum),
        maximum="" if measured.maximum is None else str(measured.maximum),
    )


def _text(name, form, words, source, **more) -> Field:
    return Field(name, form, "text", words, source, **more)


FIELDS: tuple[Field, ...] = (
    _text(
        RECORD_ID,
        PATIENT,
        "Patient (pseudonym)",
        "patient",
        identifier=True,
        note="Keyed pseudonym, the same in every de-identified export made with one key.",
    ),
    Field("sex", PATIENT, "radio", "Sex", "sex", codes=vocab.SEXES),
    _text("age_first_block", PATIENT, "Age at the first block (years; 90+)", "age_years"),
    _text("block_ref", PROCEDURE, "Block (pseudonym)", "block_ref", identifier=True),
    _text("episode_ref", PROCEDURE, "Episode (pseudonym)", "episode_ref", identifier=True),
    _text(
        "proc_month",
        PROCEDURE,
        "Month performed (YYYY-MM)",
        "month",
        identifier=True,
        note="The month stands in for the date.",
    ),
    Field("region", PROCEDURE, "radio", "Region", "region", codes=vocab.REGIONS),
    Field("pain_pattern", PROCEDURE, "radio", "Pain pattern", "pain_pattern", vocab.PAIN_PATTERNS),
    Field("surgery_considered", PROCEDURE, "yesno", "Surgery considered", "surgery_considered"),
    _measured("kind"),
    _measured("intent"),
    _measured("side"),
    _text("levels", PROCEDURE, "Levels", "levels", note="Level codes, ';'-separated."),
    _measured("anesthetic"),
    _measured("anesthetic_volume_ml", field_name="anesthetic_volume"),
    _measured("steroid"),
    _measured("steroid_dose_mg", field_name="steroid_dose"),
    _measured("guidance"),
    _measured("contrast_used"),
    _measured("contrast_flow_confirmed", field_name="contrast_flow_ok"),
    _measured("sedation"),
    _measured("pre_pain"),
    _text("physician", PROCEDURE, "Physician (pseudonym)", "physician", identifier=True),
    _text("profile", PROCEDURE, "Guideline profile of the reading", "profile"),
    Field("response", PROCEDURE, "radio", "Response", "response", RESPONSES),
    Field("validity", PROCEDURE, "radio", "Validity", "validity", VALIDITIES),
    _text(
        "relief_percent",
        PROCEDURE,
        "Relief (%)",
        "relief_percent",
        validation="number",
        minimum="0",
        maximum="100",
    ),
    _text(
        "duration_minutes",
        PROCEDURE,
        "Duration of relief (min)",
        "duration_minutes",
        validation="integer",
        minimum="0",
    ),
    Field(
        "duration_censored",
        PROCEDURE,
        "yesno",
        "Relief lasted past the last score",
        "duration_censored",
    ),
    Field(
        "counts_to_treatment",
        PROCEDURE,
        "yesno",
        "Counts towards treatment",
        "counts_towards_treatment",
    ),
    Field(
        "complications",
        PROCEDURE,
        "checkbox",
        "Complications",
        "complications",
        vocab.COMPLICATIONS,
    ),
    _text(
        "ps_block_ref",
        PAIN_SCORE,
        "Block (pseudonym)",
        "block_ref",
        identifier=True,
        note="The procedure instance this score belongs to (its block_ref).",
    ),
    _text(
        "ps_minutes_after",
        PAIN_SCORE,
        "Minutes after the block",
        "minutes_after",
        validation="integer",
        minimum="0",
    ),
    _text(
        "ps_score",
        PAIN_SCORE,
        "Pain (0-10, LOINC 72514-3)",
        "score",
        validation="integer",
        minimum="0",
        maximum="10",
    ),
    _text(
        "ps_reported_relief",
        PAIN_SCORE,
        "Patient-reported relief (%)",
        "patient_reported_relief_percent",
        validation="integer",
        minimum="0",
        maximum="100",
    ),
    _text(
        "fu_block_ref",
        FOLLOW_UP,
        "Treatment (pseudonym)",
        "block_ref",
        identifier=True,
        note="The procedure instance of the treatment followed (its block_ref).",
    ),
    _text(
        "fu_days_after",
        FOLLOW_UP,
        "Days after the treatment",
        "days_after",
        validation="integer",
        minimum="1",
        maximum="730",
    ),
    _text(
        "fu_pain",
        FOLLOW_UP,
        "Index pain (0-10, LOINC 72514-3)",
        "pain",
        validation="integer",
        minimum="0",
        maximum="10",
    ),
    Field(
        "fu_pgic",
        FOLLOW_UP,
        "radio",
        "Patient Global Impression of Change",
        "pgic",
        codes=tuple(str(n) for n in sorted(followup_rules.PGIC_WORDS)),
        words=tuple(followup_rules.PGIC_WORDS[n] for n in sorted(followup_rules.PGIC_WORDS)),
    ),
    Field(
        "fu_medication",
        FOLLOW_UP,
        "radio",
        "Pain medication since the treatment",
        "medication_change",
        codes=followup_rules.MEDICATION_CHANGES,
    ),
    Field("fu_source", FOLLOW_UP, "radio", "Recorded by", "source", codes=(STAFF, PATIENT_SOURCE)),
)


def data_dictionary() -> pd.DataFrame:
    return pd.DataFrame([f.dictionary_row() for f in FIELDS], columns=list(DICTIONARY_COLUMNS))


def repeating_instruments() -> pd.DataFrame:
    return pd.DataFrame(list(REPEATING.items()), columns=["form_name", "custom_form_label"])


def record_columns() -> list[str]:
    """REDCap's export order: the record id, the repeat columns, then each form's fields (a
    checkbox as one `field___code` column per choice) and its `<form>_complete`."""
    columns = [RECORD_ID, *REPEAT_COLUMNS]
    for form in FORMS:
        for field in FIELDS:
            if field.form != form or field.name == RECORD_ID:
                continue
            if field.type == "checkbox":
                columns += [f"{field.name}___{code}" for code in field.codes]
            else:
                columns.append(field.name)
        columns.append(f"{form}_complete")
    return columns


def _value(field: Field, value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if field.type == "yesno":
        return "1" if bool(value) else "0"
    if isinstance(value, float) and value.is_integer() and field.validation == "integer":
        return str(int(value))
    return str(value)


def _form_values(form: str, row: pd.Series) -> dict[str, str]:
    values = {}
    for field in FIELDS:
        if field.form != form or field.name == RECORD_ID:
            continue
        if field.type == "checkbox":
            found = set(filter(None, str(row[field.source] or "").split(";")))
            values.update({f"{field.name}___{c}": "1" if c in found else "0" for c in field.codes})
        else:
            values[field.name] = _value(field, row[field.source])
    values[f"{form}_complete"] = str(COMPLETE)
    return values


def _instances(patient: str, form: str, rows: pd.DataFrame) -> list[dict]:
    return [
        {
            RECORD_ID: patient,
            "redcap_repeat_instrument": form,
            "redcap_repeat_instance": str(number),
            **_form_values(form, row),
        }
        for number, (_, row) in enumerate(rows.iterrows(), start=1)
    ]


FOLLOW_UP_COLUMNS = ["block_ref", "days_after", "pain", "pgic", "medication_change", "source"]


def follow_up_rows(filters: ReportFilters) -> pd.DataFrame:
    """The standing follow-ups of the treatments the filters select, de-identified as the
    blocks are (the treatment by its block pseudonym; days after it, no date)."""
    treatments = procedures(filters).therapeutic().values("pk")
    rows = list(
        FollowUp.objects.active()
        .filter(procedure_id__in=treatments)
        .order_by("procedure_id", "days_after")
        .values_list("procedure_id", *FOLLOW_UP_COLUMNS[1:])
    )
    # Kept as Python values: a PGIC column with gaps must not turn 7 into 7.0.
    frame = pd.DataFrame(rows, columns=["procedure_id", *FOLLOW_UP_COLUMNS[1:]], dtype=object)
    frame.insert(0, "block_ref", deid.pseudonyms("block", frame["procedure_id"]))
    return frame.drop(columns="procedure_id")


def records(
    blocks: pd.DataFrame, diary: pd.DataFrame, follow_ups: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per patient, then its procedures, diary scores and follow-ups as repeating
    instances.

    `blocks` and `diary` are the de-identified row-level exports (reports.outcomes),
    `follow_ups` those of follow_up_rows().
    """
    if follow_ups is None:
        follow_ups = pd.DataFrame(columns=FOLLOW_UP_COLUMNS)
    patient_of_block = dict(zip(blocks["block_ref"], blocks["patient"], strict=True))
    diary = diary.assign(patient=diary["block_ref"].map(patient_of_block))
    follow_ups = follow_ups.assign(patient=follow_ups["block_ref"].map(patient_of_block))
    rows = []
    for patient, own in blocks.groupby("patient", sort=True):
        # row_report sorts the blocks by time: the first is the patient's earliest block.
        rows.append({RECORD_ID: patient, **_form_values(PATIENT, own.iloc[0])})
        rows += _instances(patient, PROCEDURE, own)
        rows += _instances(patient, PAIN_SCORE, diary[diary["patient"] == patient])
        rows += _instances(patient, FOLLOW_UP, follow_ups[follow_ups["patient"] == patient])
    return pd.DataFrame(rows, columns=record_columns()).fillna("")


def _csv(frame: pd.DataFrame) -> bytes:
    """As every CSV export: RFC 4180 lines, and no cell a spreadsheet reads as a formula."""
    return spreadsheet_safe(frame).to_csv(index=False, lineterminator="\r\n").encode()


def redcap_zip(filters: ReportFilters) -> bytes:
    """The three files, de-identified, in one zip."""
    blocks = row_report(filters, "blocks").tables["blocks"]
    diary = row_report(filters, "diary").tables["diary"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data_dictionary.csv", _csv(data_dictionary()))
        archive.writestr("repeating_instruments.csv", _csv(repeating_instruments()))
        archive.writestr("records.csv", _csv(records(blocks, diary, follow_up_rows(filters))))
    return buffer.getvalue()
