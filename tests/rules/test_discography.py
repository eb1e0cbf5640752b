"""Provocation discography, disc by disc and as a study (CLINICAL_RULES.md s. 4)."""

import pytest

from blocks.rules import interpret_block, suggest_next_steps
from blocks.rules.discography import read_disc
from tests.rules.builders import ALL_PROFILES, CMS, codes, control_disc, disc, discography, only

by_name = pytest.mark.parametrize("profile", ALL_PROFILES, ids=lambda p: p.name)


def result(profile=CMS, **overrides):
    return read_disc(disc("L4-L5", **overrides), profile).result


# One disc ------------------------------------------------------------------


@by_name
def test_a_disc_with_concordant_pain_7_below_50_psi_and_grade_3_is_positive(profile):
    assert result(profile, pain_score=7, annular_grade=3) == "positive"


@by_name
def test_a_disc_with_concordant_pain_6_is_not_positive(profile):
    assert result(profile, pain_score=6) != "positive"
    assert result(profile, pain_score=6) != "negative"


@by_name
def test_a_disc_provoked_at_49_psi_above_opening_is_positive(profile):
    assert result(profile, opening_pressure_psi=10, provocation_pressure_psi=59) == "positive"


@by_name
def test_a_disc_provoked_at_50_psi_above_opening_is_not_positive(profile):
    assert result(profile, opening_pressure_psi=10, provocation_pressure_psi=60) != "positive"


@by_name
def test_a_disc_with_a_grade_2_fissure_is_not_positive(profile):
    assert result(profile, annular_grade=2) != "positive"


def test_a_disc_without_recorded_pressures_or_grade_is_not_positive():
    assert result(provocation_pressure_psi=None) != "positive"
    assert result(opening_pressure_psi=None) != "positive"
    assert result(annular_grade=None) != "positive"


def test_a_painless_disc_is_a_negative_control():
    assert result(pain_score=0, concordance="none", annular_grade=0) == "negative"
    assert result(pain_score=0, concordance="concordant", annular_grade=4) == "negative"


def test_a_disc_with_discordant_pain_is_a_negative_control():
    assert result(pain_score=9, concordance="discordant", annular_grade=4) == "negative"


# The study ----------------------------------------------------------------


@by_name
def test_a_positive_disc_with_a_negative_control_is_a_positive_study(profile):
    reading = interpret_block(discography(), profile)
    assert reading.validity == "valid"
    assert reading.response == "positive"
    assert [(d.level, d.result) for d in reading.discs] == [
        ("L3-L4", "negative"),
        ("L4-L5", "positive"),
    ]


def test_a_study_without_a_positive_disc_is_negative():
    reading = interpret_block(
        discography(discs=[control_disc("L3-L4"), disc("L4-L5", pain_score=6)]), CMS
    )
    assert reading.validity == "valid"
    assert reading.response == "negative"


def test_a_study_with_positive_discs_and_no_control_is_indeterminate():
    reading = interpret_block(discography(discs=[disc("L3-L4"), disc("L4-L5")]), CMS)
    assert reading.response == "indeterminate"
    assert reading.validity == "valid"


def test_a_study_of_one_disc_is_indeterminate():
    reading = interpret_block(discography(levels=("L4-L5",), discs=[disc("L4-L5")]), CMS)
    assert reading.response == "indeterminate"


def test_a_technically_sound_study_of_one_disc_is_valid_with_an_indeterminate_response():
    reading = interpret_block(discography(levels=("L4-L5",), discs=[disc("L4-L5")]), CMS)
    assert reading.validity == "valid"
    assert reading.response == "indeterminate"


def test_a_study_has_no_relief_reading():
    reading = interpret_block(discography(pre_pain=8, pain_scores=[(30, 2)]), CMS)
    assert reading.relief_percent is None
    assert reading.duration_minutes is None
    assert reading.response == "positive"


def test_a_study_with_a_low_baseline_and_no_diary_is_still_read_from_its_discs():
    reading = interpret_block(discography(pre_pain=1, pain_scores=[]), CMS)
    assert reading.validity == "valid"
    assert reading.response == "positive"


@by_name
def test_a_study_with_unconfirmed_contrast_flow_is_non_diagnostic(profile):
    reading = interpret_block(discography(contrast_flow_confirmed=False), profile)
    assert reading.validity == "non_diagnostic"
    assert reading.response == "non_diagnostic"


def test_a_study_when_surgery_is_not_considered_warns():
    reading = interpret_block(discography(surgery_considered=False), CMS)
    assert reading.response == "positive"
    assert reading.warnings == ("surgery_not_considered",)
    assert reading.warning_messages["surgery_not_considered"]


def test_a_study_when_surgery_is_considered_does_not_warn():
    assert interpret_block(discography(), CMS).warnings == ()


# Next steps --------------------------------------------------------------


@by_name
def test_a_positive_study_with_surgery_considered_suggests_surgical_evaluation(profile):
    study = discography(
        id=7,
        levels=("L3-L4", "L4-L5", "L5-S1"),
        discs=[control_disc("L3-L4"), disc("L4-L5"), disc("L5-S1", annular_grade=4)],
    )
    suggestion = only(suggest_next_steps([study], profile))
    assert suggestion.code == "surgical_evaluation"
    assert suggestion.rule == "disc.surgical-evaluation"
    assert suggestion.levels == ("L4-L5", "L5-S1")
    assert suggestion.based_on == (7,)
    assert suggestion.side == "midline"


def test_surgical_evaluation_names_only_the_positive_discs():
    study = discography(
        id=7,
        levels=("L3-L4", "L4-L5", "L5-S1"),
        discs=[control_disc("L3-L4"), disc("L4-L5"), disc("L5-S1", pain_score=5)],
    )
    assert only(suggest_next_steps([study], CMS)).levels == ("L4-L5",)


def test_a_positive_study_without_surgery_considered_does_not_suggest_surgery():
    suggestions = suggest_next_steps([discography(id=7, surgery_considered=False)], CMS)
    assert "surgical_evaluation" not in codes(suggestions)


def test_a_positive_disc_without_a_control_needs_physician_review_not_a_repeat():
    study = discography(id=7, discs=[disc("L3-L4"), disc("L4-L5")])
    suggestion = only(suggest_next_steps([study], CMS))
    assert suggestion.code == "physician_review"
    assert suggestion.rule == "disc.no-negative-control"
    assert suggestion.based_on == (7,)


@by_name
def test_a_study_of_fewer_than_two_discs_suggests_repeating_it(profile):
    study = discography(id=7, levels=("L4-L5",), discs=[disc("L4-L5")])
    suggestion = only(suggest_next_steps([study], profile))
    assert suggestion.code == "repeat_block"
    assert suggestion.rule == "disc.too-few-discs"
    assert suggestion.based_on == (7,)


def test_a_negative_study_suggests_evaluating_another_source():
    study = discography(id=7, discs=[control_disc("L3-L4"), control_disc("L4-L5")])
    suggestion = only(suggest_next_steps([study], CMS))
    assert suggestion.code == "evaluate_other_source"
    assert suggestion.rule == "block.response.negative"
    assert suggestion.based_on == (7,)


def test_a_non_diagnostic_study_suggests_repeating_it():
    suggestion = only(suggest_next_steps([discography(id=7, guidance="none")], CMS))
    assert suggestion.code == "repeat_block"
    assert suggestion.rule == "block.technique.non-diagnostic"


@by_name
@pytest.mark.parametrize(
    "study",
    [
        discography(),
        discography(pre_pain=None, pain_scores=[]),
        discography(pre_pain=2, pain_scores=[]),
        discography(levels=("L4-L5",), discs=[disc("L4-L5")]),
        discography(discs=[disc("L3-L4"), disc("L4-L5")]),
        discography(discs=[control_disc("L3-L4"), control_disc("L4-L5")]),
        discography(discs=[]),
    ],
    ids=["positive", "no-pre-pain", "low-baseline", "one-disc", "no-control", "negative", "none"],
)
def test_post_block_scores_are_never_asked_for_a_discography(profile, study):
    assert "record_post_block_scores" not in codes(suggest_next_steps([study], profile))


def test_ambiguous_a_positive_study_without_surgery_considered_needs_physician_review():
    # s.4 gives only the warning; the engine also asks for review, naming the positive discs.
    suggestion = only(suggest_next_steps([discography(id=7, surgery_considered=False)], CMS))
    assert (suggestion.code, suggestion.rule) == ("physician_review", "disc.surgery-not-considered")
    assert suggestion.levels == ("L4-L5",)
