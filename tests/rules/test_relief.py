"""Percent relief, evaluation windows and the response of one block (CLINICAL_RULES.md s. 2)."""

import pytest

from blocks.rules import interpret_block
from blocks.rules.interpretation import _response, relief_percent
from tests.rules.builders import ASRA, CMS, SIS, block


def read(profile=CMS, **overrides):
    return interpret_block(block(**overrides), profile)


# Percent relief -------------------------------------------------------------


def test_it_computes_relief_from_the_lowest_score_without_rounding():
    reading = read(pre_pain=7, pain_scores=[(30, 1), (60, 3)])
    assert reading.relief_percent == pytest.approx(85.7142857)
    assert reading.peak_minutes == 30
    assert reading.response == "positive"


def test_the_relief_formula_is_pre_minus_post_over_pre():
    assert relief_percent(10, 2) == pytest.approx(80.0)
    assert relief_percent(7, 1) == pytest.approx(85.7142857)
    assert relief_percent(5, 7) == pytest.approx(-40.0)


def test_it_takes_the_lowest_score_inside_the_window_whatever_its_time():
    reading = read(pre_pain=8, pain_scores=[(15, 4), (90, 2), (150, 5)])
    assert reading.relief_percent == pytest.approx(75.0)
    assert reading.peak_minutes == 90


# Thresholds: exactly 80 %, just below, exactly 50 %, below 50 % ------------


@pytest.mark.parametrize("pre, post", [(10, 2), (5, 1)])
def test_it_reads_exactly_80_percent_as_positive(pre, post):
    reading = read(pre_pain=pre, pain_scores=[(30, post), (90, post)])
    assert reading.relief_percent == pytest.approx(80.0)
    assert reading.validity == "valid"
    assert reading.response == "positive"


def test_it_reads_79_99_percent_as_partial():
    assert _response(79.99, 80.0, CMS) == "partial"
    assert _response(80.0, 80.0, CMS) == "positive"


def test_it_reads_just_below_50_percent_as_negative_and_50_as_partial():
    assert _response(49.99, 80.0, CMS) == "negative"
    assert _response(50.0, 80.0, CMS) == "partial"


def test_it_reads_exactly_50_percent_medial_branch_relief_as_partial_under_cms():
    reading = read(CMS, pre_pain=6, pain_scores=[(30, 3)])
    assert reading.relief_percent == pytest.approx(50.0)
    assert reading.response == "partial"


def test_it_reads_exactly_50_percent_medial_branch_relief_as_partial_under_sis():
    assert read(SIS, pre_pain=6, pain_scores=[(30, 3)]).response == "partial"


def test_it_reads_exactly_50_percent_medial_branch_relief_as_positive_under_asra():
    reading = read(ASRA, pre_pain=6, pain_scores=[(30, 3)])
    assert reading.response == "positive"
    assert reading.positive_threshold_percent == 50.0


def test_it_reads_exactly_50_percent_facet_intraarticular_relief_by_profile():
    overrides = dict(kind="facet_intraarticular", anesthetic_volume_ml=1.0)
    overrides.update(pre_pain=6, pain_scores=[(30, 3)])
    assert read(CMS, **overrides).response == "partial"
    assert read(SIS, **overrides).response == "partial"
    assert read(ASRA, **overrides).response == "positive"


@pytest.mark.parametrize("profile", [CMS, ASRA, SIS], ids=lambda p: p.name)
def test_it_reads_relief_below_50_percent_as_negative(profile):
    reading = read(profile, pre_pain=10, pain_scores=[(30, 6)])
    assert reading.relief_percent == pytest.approx(40.0)
    assert reading.validity == "valid"
    assert reading.response == "negative"


@pytest.mark.parametrize("profile", [CMS, ASRA, SIS], ids=lambda p: p.name)
def test_it_reads_55_percent_medial_branch_relief_as_positive_only_under_asra(profile):
    # pre 9 post 4 = 55.6 %: positive only where the medial branch threshold is 50 %.
    reading = read(profile, pre_pain=9, pain_scores=[(30, 4)])
    expected = "positive" if profile is ASRA else "partial"
    assert reading.response == expected


@pytest.mark.parametrize("profile", [CMS, ASRA, SIS], ids=lambda p: p.name)
def test_it_needs_80_percent_for_a_positive_nerve_root_block(profile):
    root = dict(kind="transforaminal_epidural", levels=("L5",), anesthetic_volume_ml=1.0)
    assert read(profile, pre_pain=10, pain_scores=[(30, 2)], **root).response == "positive"
    seventy_five = read(profile, pre_pain=4, pain_scores=[(30, 1)], **root)
    assert seventy_five.relief_percent == pytest.approx(75.0)
    assert seventy_five.response == "partial"


@pytest.mark.parametrize("profile", [CMS, ASRA, SIS], ids=lambda p: p.name)
def test_it_reads_75_percent_si_joint_relief_as_positive(profile):
    si = dict(kind="sacroiliac_joint", levels=("SI",), anesthetic_volume_ml=2.0)
    reading = read(profile, pre_pain=4, pain_scores=[(30, 1)], **si)
    assert reading.relief_percent == pytest.approx(75.0)
    assert reading.response == "positive"


@pytest.mark.parametrize("profile", [CMS, ASRA, SIS], ids=lambda p: p.name)
def test_it_reads_62_5_percent_si_joint_relief_as_partial(profile):
    si = dict(kind="sacroiliac_joint", levels=("SI",), anesthetic_volume_ml=2.0)
    reading = read(profile, pre_pain=8, pain_scores=[(30, 3)], **si)
    assert reading.relief_percent == pytest.approx(62.5)
    assert reading.response == "partial"


# Evaluation windows -------------------------------------------------------


def test_a_lidocaine_score_at_180_minutes_sets_the_peak():
    reading = read(anesthetic="lidocaine", pre_pain=10, pain_scores=[(30, 5), (180, 2)])
    assert reading.relief_percent == pytest.approx(80.0)
    assert reading.peak_minutes == 180
    assert reading.response == "positive"


def test_a_lidocaine_score_at_181_minutes_does_not_set_the_peak():
    reading = read(anesthetic="lidocaine", pre_pain=10, pain_scores=[(30, 5), (181, 2)])
    assert reading.relief_percent == pytest.approx(50.0)
    assert reading.peak_minutes == 30
    assert reading.response == "partial"


@pytest.mark.parametrize("agent", ["bupivacaine", "ropivacaine"])
def test_a_long_agent_score_at_480_minutes_sets_the_peak(agent):
    reading = read(anesthetic=agent, pre_pain=10, pain_scores=[(30, 5), (480, 2)])
    assert reading.relief_percent == pytest.approx(80.0)
    assert reading.peak_minutes == 480


@pytest.mark.parametrize("agent", ["bupivacaine", "ropivacaine"])
def test_a_long_agent_score_at_481_minutes_does_not_set_the_peak(agent):
    reading = read(anesthetic=agent, pre_pain=10, pain_scores=[(30, 5), (481, 2)])
    assert reading.relief_percent == pytest.approx(50.0)
    assert reading.peak_minutes == 30


def test_a_saline_score_at_480_minutes_sets_the_peak_and_481_does_not():
    at_480 = read(anesthetic="saline", pre_pain=10, pain_scores=[(30, 5), (480, 2)])
    at_481 = read(anesthetic="saline", pre_pain=10, pain_scores=[(30, 5), (481, 2)])
    assert at_480.relief_percent == pytest.approx(80.0)
    assert at_481.relief_percent == pytest.approx(50.0)


def test_a_score_at_minute_zero_is_inside_the_window():
    reading = read(pre_pain=10, pain_scores=[(0, 2), (30, 5)])
    assert reading.peak_minutes == 0
    assert reading.relief_percent == pytest.approx(80.0)


def test_it_is_indeterminate_when_every_score_is_outside_the_window():
    reading = read(anesthetic="lidocaine", pre_pain=10, pain_scores=[(181, 1), (240, 1)])
    assert reading.validity == "indeterminate"
    assert reading.response == "indeterminate"
    assert reading.relief_percent is None


# Baseline, missing scores, increased pain --------------------------------


@pytest.mark.parametrize("profile", [CMS, ASRA, SIS], ids=lambda p: p.name)
def test_a_baseline_below_3_is_indeterminate_with_no_relief(profile):
    reading = read(profile, pre_pain=2, pain_scores=[(30, 0)])
    assert reading.validity == "indeterminate"
    assert reading.response == "indeterminate"
    assert reading.relief_percent is None
    assert reading.duration_minutes is None


def test_a_baseline_of_exactly_3_is_read():
    reading = read(pre_pain=3, pain_scores=[(30, 0), (90, 0)])
    assert reading.validity == "valid"
    assert reading.relief_percent == pytest.approx(100.0)
    assert reading.response == "positive"


@pytest.mark.parametrize("profile", [CMS, ASRA, SIS], ids=lambda p: p.name)
def test_a_block_without_a_post_block_score_is_indeterminate(profile):
    reading = read(profile, pain_scores=[])
    assert reading.validity == "indeterminate"
    assert reading.response == "indeterminate"
    assert reading.relief_percent is None
    assert reading.duration_minutes is None
    assert reading.duration_censored is False
    assert reading.counts_towards_treatment is False


def test_it_reports_negative_relief_and_warns_of_increased_pain():
    reading = read(pre_pain=5, pain_scores=[(30, 7), (60, 8)])
    assert reading.relief_percent == pytest.approx(-40.0)
    assert reading.response == "negative"
    assert "increased_pain" in reading.warnings
    assert reading.warning_messages["increased_pain"]


def test_unchanged_pain_is_zero_relief_without_increased_pain():
    reading = read(pre_pain=5, pain_scores=[(30, 5)])
    assert reading.relief_percent == pytest.approx(0.0)
    assert reading.response == "negative"
    assert "increased_pain" not in reading.warnings


# What counts towards treatment ------------------------------------------


def test_a_positive_diagnostic_block_counts_towards_treatment():
    assert read().counts_towards_treatment is True


@pytest.mark.parametrize("profile", [CMS, ASRA, SIS], ids=lambda p: p.name)
def test_a_positive_saline_block_never_counts_towards_treatment(profile):
    reading = read(profile, anesthetic="saline", pain_scores=[(30, 1), (600, 1)])
    assert reading.relief_percent == pytest.approx(90.0)
    assert reading.counts_towards_treatment is False


@pytest.mark.parametrize("response_scores", [[(30, 4)], [(30, 7)]], ids=["partial", "negative"])
def test_a_partial_or_negative_block_does_not_count_towards_treatment(response_scores):
    assert read(pain_scores=response_scores).counts_towards_treatment is False


def test_ambiguous_increased_pain_is_not_raised_when_the_baseline_is_too_low_to_read():
    # The warning rests on the relief reading, which a baseline below 3 does not give.
    reading = read(pre_pain=2, pain_scores=[(30, 6)])
    assert reading.relief_percent is None
    assert "increased_pain" not in reading.warnings


def test_ambiguous_a_later_rise_above_baseline_is_not_increased_pain_when_the_peak_is_below():
    # "post" is the lowest score in the window (s.2), so a later rise does not warn.
    reading = read(pre_pain=5, pain_scores=[(30, 4), (60, 8)])
    assert reading.relief_percent == pytest.approx(20.0)
    assert "increased_pain" not in reading.warnings
