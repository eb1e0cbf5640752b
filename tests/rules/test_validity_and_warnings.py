"""Technique validity and the warnings that do not invalidate (CLINICAL_RULES.md s. 2, s. 5)."""

import pytest

from blocks.rules import interpret_block
from blocks.rules.catalogue import WARNING_MESSAGES
from blocks.rules.vocab import WARNING_CODES
from tests.rules.builders import ALL_PROFILES, ASRA, CMS, SIS, block

by_name = pytest.mark.parametrize("profile", ALL_PROFILES, ids=lambda p: p.name)

CERVICAL_MBB = dict(region="cervical", levels=("C4-C5", "C5-C6"))


def read(profile=CMS, **overrides):
    return interpret_block(block(**overrides), profile)


def assert_non_diagnostic(reading):
    assert reading.validity == "non_diagnostic"
    assert reading.response == "non_diagnostic"
    assert reading.counts_towards_treatment is False
    assert reading.non_diagnostic_reasons


def assert_valid(reading):
    assert reading.validity == "valid"
    assert reading.response == "positive"
    assert reading.non_diagnostic_reasons == ()


# Image guidance -------------------------------------------------------------


@by_name
@pytest.mark.parametrize("guidance", ["fluoroscopy", "ct"])
def test_fluoroscopy_and_ct_are_valid_guidance(profile, guidance):
    assert_valid(read(profile, guidance=guidance))


@by_name
def test_a_block_without_image_guidance_is_non_diagnostic(profile):
    assert_non_diagnostic(read(profile, guidance="none"))


@by_name
def test_a_block_without_guidance_is_non_diagnostic_even_without_scores(profile):
    assert_non_diagnostic(read(profile, guidance="none", pain_scores=[]))


def test_ultrasound_is_valid_for_a_cervical_medial_branch_block_under_asra():
    assert_valid(read(ASRA, guidance="ultrasound", **CERVICAL_MBB))


@pytest.mark.parametrize("profile", [CMS, SIS], ids=lambda p: p.name)
def test_ultrasound_is_not_valid_for_a_cervical_medial_branch_block_elsewhere(profile):
    assert_non_diagnostic(read(profile, guidance="ultrasound", **CERVICAL_MBB))


@by_name
def test_ultrasound_is_not_valid_for_a_lumbar_medial_branch_block(profile):
    assert_non_diagnostic(read(profile, guidance="ultrasound"))


@by_name
@pytest.mark.parametrize(
    "kind, levels",
    [
        ("facet_intraarticular", ("C4-C5",)),
        ("transforaminal_epidural", ("C6",)),
    ],
)
def test_ultrasound_is_not_valid_for_other_cervical_blocks(profile, kind, levels):
    reading = read(
        profile,
        guidance="ultrasound",
        kind=kind,
        levels=levels,
        region="cervical",
        anesthetic_volume_ml=1.0,
    )
    assert_non_diagnostic(reading)


# Contrast ------------------------------------------------------------------


@by_name
def test_contrast_used_without_confirmed_flow_is_non_diagnostic(profile):
    assert_non_diagnostic(read(profile, contrast_used=True, contrast_flow_confirmed=False))


@by_name
def test_no_contrast_only_warns(profile):
    reading = read(profile, contrast_used=False, contrast_flow_confirmed=False)
    assert_valid(reading)
    assert reading.warnings == ("no_contrast",)


@by_name
def test_no_contrast_with_a_contrast_allergy_is_valid_and_not_a_hard_stop(profile):
    reading = read(
        profile,
        contrast_used=False,
        contrast_flow_confirmed=False,
        contraindications=["contrast_allergy"],
    )
    assert_valid(reading)
    assert "contrast_allergy" not in reading.warnings


# Sedation ------------------------------------------------------------------


@by_name
@pytest.mark.parametrize("sedation", ["deep", "general"])
def test_deep_sedation_or_general_anaesthesia_is_non_diagnostic(profile, sedation):
    assert_non_diagnostic(read(profile, sedation=sedation))


def test_moderate_sedation_is_non_diagnostic_under_sis():
    reading = read(SIS, sedation="moderate")
    assert_non_diagnostic(reading)
    assert "moderate_sedation" not in reading.warnings


@pytest.mark.parametrize("profile", [CMS, ASRA], ids=lambda p: p.name)
def test_moderate_sedation_only_warns_under_cms_and_asra(profile):
    reading = read(profile, sedation="moderate")
    assert_valid(reading)
    assert reading.warnings == ("moderate_sedation",)
    assert reading.counts_towards_treatment is True


@by_name
@pytest.mark.parametrize("sedation", ["none", "minimal"])
def test_light_or_no_sedation_neither_invalidates_nor_warns(profile, sedation):
    reading = read(profile, sedation=sedation)
    assert_valid(reading)
    assert reading.warnings == ()


def test_several_technique_problems_are_all_given_as_reasons():
    reading = read(guidance="none", contrast_flow_confirmed=False, sedation="general")
    assert_non_diagnostic(reading)
    assert len(reading.non_diagnostic_reasons) == 3


# Volume ------------------------------------------------------------------


@by_name
def test_a_medial_branch_volume_of_0_5_ml_per_level_is_not_high(profile):
    assert "high_volume" not in read(profile, anesthetic_volume_ml=0.5).warnings


@by_name
def test_a_medial_branch_volume_of_0_6_ml_per_level_is_high(profile):
    reading = read(profile, anesthetic_volume_ml=0.6)
    assert_valid(reading)
    assert reading.warnings == ("high_volume",)


@by_name
def test_an_intraarticular_volume_of_1_4_ml_is_not_high(profile):
    reading = read(profile, kind="facet_intraarticular", anesthetic_volume_ml=1.4)
    assert "high_volume" not in reading.warnings


@by_name
def test_an_intraarticular_volume_of_1_5_ml_is_high(profile):
    reading = read(profile, kind="facet_intraarticular", anesthetic_volume_ml=1.5)
    assert_valid(reading)
    assert reading.warnings == ("high_volume",)


# Steroids ----------------------------------------------------------------


@by_name
def test_a_steroid_in_a_diagnostic_block_warns(profile):
    reading = read(profile, steroid="dexamethasone", steroid_dose_mg=4)
    assert_valid(reading)
    assert reading.warnings == ("steroid_in_diagnostic_block",)


def test_a_steroid_in_a_therapeutic_block_does_not_warn_of_a_diagnostic_steroid():
    reading = read(
        kind="facet_intraarticular",
        intent="therapeutic",
        anesthetic_volume_ml=1.0,
        steroid="triamcinolone",
        steroid_dose_mg=40,
    )
    assert "steroid_in_diagnostic_block" not in reading.warnings


CERVICAL_TF = dict(
    kind="transforaminal_epidural",
    intent="therapeutic",
    region="cervical",
    levels=("C6",),
    anesthetic_volume_ml=1.0,
)


@pytest.mark.parametrize("steroid", ["triamcinolone", "methylprednisolone", "betamethasone"])
def test_a_particulate_steroid_in_a_cervical_transforaminal_injection_warns(steroid):
    reading = read(steroid=steroid, steroid_dose_mg=40, **CERVICAL_TF)
    assert reading.warnings == ("particulate_steroid_cervical_transforaminal",)
    assert reading.warning_messages["particulate_steroid_cervical_transforaminal"]


def test_dexamethasone_in_a_cervical_transforaminal_injection_does_not_warn():
    reading = read(steroid="dexamethasone", steroid_dose_mg=10, **CERVICAL_TF)
    assert "particulate_steroid_cervical_transforaminal" not in reading.warnings


def test_a_particulate_steroid_in_a_lumbar_transforaminal_injection_does_not_warn():
    lumbar = dict(CERVICAL_TF, region="lumbar", levels=("L5",))
    reading = read(steroid="triamcinolone", steroid_dose_mg=40, **lumbar)
    assert "particulate_steroid_cervical_transforaminal" not in reading.warnings


def test_a_particulate_steroid_in_a_cervical_interlaminar_injection_does_not_warn():
    interlaminar = dict(CERVICAL_TF, kind="interlaminar_epidural", levels=("C7-T1",))
    reading = read(steroid="triamcinolone", steroid_dose_mg=40, **interlaminar)
    assert "particulate_steroid_cervical_transforaminal" not in reading.warnings


def test_a_diagnostic_cervical_transforaminal_block_with_a_particulate_steroid_warns_twice():
    reading = read(
        steroid="methylprednisolone", steroid_dose_mg=40, **dict(CERVICAL_TF, intent="diagnostic")
    )
    assert set(reading.warnings) == {
        "steroid_in_diagnostic_block",
        "particulate_steroid_cervical_transforaminal",
    }


# Screening warnings on the procedure -------------------------------------


@pytest.mark.parametrize(
    "code", ["uncontrolled_hypertension", "uncontrolled_diabetes", "pregnancy"]
)
def test_screening_warnings_appear_on_the_procedure(code):
    reading = read(contraindications=[code])
    assert_valid(reading)
    assert reading.warnings == (code,)


def test_a_steroid_given_with_uncontrolled_diabetes_warns_of_raised_blood_sugar():
    reading = read(
        kind="transforaminal_epidural",
        intent="therapeutic",
        levels=("L5",),
        steroid="dexamethasone",
        steroid_dose_mg=10,
        contraindications=["uncontrolled_diabetes"],
    )
    assert set(reading.warnings) == {"uncontrolled_diabetes", "steroid_raises_blood_sugar"}


def test_uncontrolled_diabetes_without_a_steroid_does_not_warn_of_blood_sugar():
    reading = read(contraindications=["uncontrolled_diabetes"])
    assert "steroid_raises_blood_sugar" not in reading.warnings


# Messages -----------------------------------------------------------------


def test_every_warning_code_has_a_plain_language_message():
    assert set(WARNING_MESSAGES) == set(WARNING_CODES)
    assert all(message.strip() for message in WARNING_MESSAGES.values())


def test_every_raised_warning_carries_its_message():
    reading = read(
        pre_pain=5,
        pain_scores=[(30, 7)],
        contrast_used=False,
        anesthetic_volume_ml=0.8,
        steroid="dexamethasone",
        steroid_dose_mg=4,
        sedation="moderate",
        contraindications=["uncontrolled_diabetes", "pregnancy"],
    )
    assert set(reading.warnings) == {
        "increased_pain",
        "no_contrast",
        "high_volume",
        "steroid_in_diagnostic_block",
        "moderate_sedation",
        "uncontrolled_diabetes",
        "pregnancy",
        "steroid_raises_blood_sugar",
    }
    assert set(reading.warning_messages) == set(reading.warnings)
    assert all(reading.warning_messages.values())
