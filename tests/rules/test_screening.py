"""Contraindication screening before the needle (CLINICAL_RULES.md s. 5)."""

import pytest

from blocks.rules import screen
from blocks.rules.vocab import CONTRAINDICATIONS

HARD_STOPS = [
    "skin_infection_at_site",
    "systemic_infection",
    "bleeding_disorder",
    "anticoagulant_not_held",
    "anesthetic_allergy",
]
WARNINGS = ["uncontrolled_hypertension", "uncontrolled_diabetes", "pregnancy"]


@pytest.mark.parametrize("code", HARD_STOPS)
def test_it_makes_each_unconditional_contraindication_a_hard_stop(code):
    result = screen([code], contrast_used=False, steroid="none")
    assert result.hard_stops == (code,)
    assert result.warnings == ()


def test_a_contrast_allergy_is_a_hard_stop_when_contrast_is_used():
    assert screen(["contrast_allergy"], contrast_used=True, steroid="none").hard_stops == (
        "contrast_allergy",
    )


def test_a_contrast_allergy_is_nothing_when_no_contrast_is_used():
    result = screen(["contrast_allergy"], contrast_used=False, steroid="none")
    assert result.hard_stops == ()
    assert result.warnings == ()


@pytest.mark.parametrize(
    "steroid", ["triamcinolone", "methylprednisolone", "dexamethasone", "betamethasone"]
)
def test_a_steroid_allergy_is_a_hard_stop_when_a_steroid_is_given(steroid):
    assert screen(["steroid_allergy"], contrast_used=True, steroid=steroid).hard_stops == (
        "steroid_allergy",
    )


def test_a_steroid_allergy_is_nothing_without_a_steroid():
    result = screen(["steroid_allergy"], contrast_used=True, steroid="none")
    assert result.hard_stops == ()
    assert result.warnings == ()


@pytest.mark.parametrize("code", WARNINGS)
def test_it_makes_each_screening_warning_a_warning_not_a_hard_stop(code):
    result = screen([code], contrast_used=True, steroid="none")
    assert result.hard_stops == ()
    assert result.warnings == (code,)


def test_uncontrolled_diabetes_with_a_steroid_also_warns_of_raised_blood_sugar():
    result = screen(["uncontrolled_diabetes"], contrast_used=True, steroid="dexamethasone")
    assert set(result.warnings) == {"uncontrolled_diabetes", "steroid_raises_blood_sugar"}
    assert result.hard_stops == ()


@pytest.mark.parametrize("code", ["uncontrolled_hypertension", "pregnancy"])
def test_other_warnings_with_a_steroid_do_not_warn_of_blood_sugar(code):
    result = screen([code], contrast_used=True, steroid="triamcinolone")
    assert result.warnings == (code,)


def test_an_empty_screening_is_clear():
    result = screen([], contrast_used=True, steroid="triamcinolone")
    assert (result.hard_stops, result.warnings) == ((), ())


def test_it_reports_every_code_once_and_keeps_hard_stops_apart_from_warnings():
    result = screen(
        [
            "bleeding_disorder",
            "pregnancy",
            "bleeding_disorder",
            "contrast_allergy",
            "steroid_allergy",
            "uncontrolled_diabetes",
        ],
        contrast_used=True,
        steroid="betamethasone",
    )
    assert sorted(result.hard_stops) == ["bleeding_disorder", "contrast_allergy", "steroid_allergy"]
    assert sorted(result.warnings) == [
        "pregnancy",
        "steroid_raises_blood_sugar",
        "uncontrolled_diabetes",
    ]


def test_the_vocabulary_holds_exactly_the_specified_contraindications():
    assert set(CONTRAINDICATIONS) == set(HARD_STOPS) | {
        "contrast_allergy",
        "steroid_allergy",
    } | set(WARNINGS)
