"""The procedure's measured fields are declared once; everything that records, shows or
exports a procedure derives from the declaration and misses none of them."""

import pytest
from django.core.exceptions import ValidationError

from blocks.api.serializers.audit import ProcedureUpdateSerializer
from blocks.api.serializers.procedures import ProcedureInputSerializer
from blocks.api.serializers.records import ProcedureOutputSerializer
from blocks.forms.procedures import ProcedureForm
from blocks.models import Procedure
from blocks.models.measured import MEASURED, MEASURED_FIELDS, measured_values
from blocks.rules.types import Block
from reports.dictionary import TABLE_COLUMNS
from reports.store.engine_input import PROCEDURE_FIELDS

NAMES = pytest.mark.parametrize("name", MEASURED_FIELDS)


@NAMES
def test_every_measured_field_is_a_model_field(name):
    assert Procedure._meta.get_field(name).concrete


@NAMES
def test_every_measured_field_is_taken_and_given_by_the_api(name):
    assert name in ProcedureInputSerializer().fields
    assert name in ProcedureUpdateSerializer().fields
    assert name in ProcedureOutputSerializer().fields


@NAMES
def test_every_measured_field_is_on_the_one_procedure_form_with_its_declared_words(name):
    field = next(f for f in MEASURED if f.name == name)
    form_field = ProcedureForm.base_fields[name]
    assert (form_field.label, form_field.help_text) == (field.label, field.help)


@NAMES
def test_every_measured_field_the_engine_reads_feeds_it(name):
    field = next(f for f in MEASURED if f.name == name)
    assert name in PROCEDURE_FIELDS
    assert (name in Block.__dataclass_fields__) == field.engine


@NAMES
def test_every_measured_field_has_a_data_dictionary_entry(name):
    meaning, unit, allowed = TABLE_COLUMNS[("blocks", name)]
    field = next(f for f in MEASURED if f.name == name)
    assert (meaning, unit, allowed) == (field.meaning, field.unit, field.allowed)
    assert meaning


def test_a_service_refuses_a_name_that_is_not_measured():
    with pytest.raises(TypeError, match="pre_pian"):
        measured_values({"pre_pian": 3})


def test_a_new_record_names_each_required_field_left_out():
    with pytest.raises(ValidationError) as refused:
        measured_values({"kind": "medial_branch_block"})
    missing = set(refused.value.message_dict)
    assert missing == {
        "performed_at",
        "intent",
        "side",
        "levels",
        "anesthetic",
        "steroid",
        "guidance",
        "contrast_used",
        "sedation",
    }


def test_optional_fields_left_out_are_empty():
    given = {
        "performed_at": None,
        "kind": "k",
        "intent": "i",
        "side": "s",
        "levels": [],
        "anesthetic": "a",
        "steroid": "s",
        "guidance": "g",
        "contrast_used": False,
        "sedation": "s",
    }
    values = measured_values(given)
    assert values["anesthetic_volume_ml"] is None
    assert values["steroid_dose_mg"] is None
    assert values["pre_pain"] is None
    assert values["contrast_flow_confirmed"] is False


def test_the_page_and_the_api_word_a_rule_across_fields_the_same(staff_client, procedure_body):
    # One rule, one wording: the model (services, API) and the procedure form share it.
    from blocks.models.procedures import agent_and_pain_errors

    response = staff_client.post(
        "/api/procedures/", procedure_body(anesthetic="none", anesthetic_volume_ml=0.5)
    )
    expected = agent_and_pain_errors({"anesthetic": "none", "anesthetic_volume_ml": 0.5})
    assert response.status_code == 400
    assert response.json()["anesthetic_volume_ml"] == [expected["anesthetic_volume_ml"]]
    assert (
        expected["anesthetic_volume_ml"] == "Leave the volume empty when no anaesthetic was given."
    )
