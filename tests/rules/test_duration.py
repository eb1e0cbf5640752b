"""Duration of relief, and duration consistent with the agent (CLINICAL_RULES.md s. 2)."""

import pytest

from blocks.rules import interpret_block
from tests.rules.builders import ASRA, CMS, SIS, block

DURATION_WARNING = "duration_inconsistent_with_agent"


def read(profile=CMS, **overrides):
    return interpret_block(block(**overrides), profile)


# Duration of relief --------------------------------------------------------


def test_it_measures_duration_to_the_last_point_of_the_first_unbroken_positive_run():
    reading = read(pre_pain=10, pain_scores=[(30, 1), (60, 2), (120, 2), (240, 6)])
    assert reading.duration_minutes == 120
    assert reading.duration_censored is False


def test_it_ignores_a_second_positive_run():
    reading = read(pre_pain=10, pain_scores=[(30, 1), (60, 6), (90, 1), (120, 5)])
    assert reading.duration_minutes == 30
    assert reading.duration_censored is False


def test_it_counts_duration_from_the_block_not_from_the_start_of_the_run():
    reading = read(pre_pain=10, pain_scores=[(30, 6), (60, 1), (90, 2), (120, 7)])
    assert reading.duration_minutes == 90
    assert reading.duration_censored is False


def test_points_after_the_evaluation_window_count_for_duration():
    # Lidocaine window ends at 180 minutes; relief goes on to 300.
    reading = read(pre_pain=10, pain_scores=[(30, 1), (240, 2), (300, 2), (360, 5)])
    assert reading.peak_minutes == 30
    assert reading.duration_minutes == 300
    assert reading.duration_censored is False


def test_a_duration_is_censored_when_the_last_point_is_still_positive():
    reading = read(pre_pain=10, pain_scores=[(30, 1), (90, 2)])
    assert reading.duration_minutes == 90
    assert reading.duration_censored is True


def test_a_single_positive_point_is_a_censored_duration():
    reading = read(pre_pain=10, pain_scores=[(45, 2)])
    assert reading.duration_minutes == 45
    assert reading.duration_censored is True


def test_there_is_no_duration_when_relief_never_reaches_the_threshold():
    reading = read(pre_pain=10, pain_scores=[(30, 4), (60, 3)])
    assert reading.response == "partial"
    assert reading.duration_minutes is None
    assert reading.duration_censored is False


def test_it_reads_diary_points_in_time_order():
    reading = read(pre_pain=10, pain_scores=[(240, 6), (60, 2), (30, 1), (120, 2)])
    assert reading.duration_minutes == 120
    assert reading.duration_censored is False


def test_the_duration_threshold_is_the_profiles_positive_threshold_for_the_kind():
    diary = [(30, 5), (60, 4), (90, 6)]  # 50 %, 60 %, 40 %
    assert read(ASRA, pre_pain=10, pain_scores=diary).duration_minutes == 60
    assert read(CMS, pre_pain=10, pain_scores=diary).duration_minutes is None


# Duration consistent with the agent (cms-2021 only) ---------------------


@pytest.mark.parametrize(
    "agent, minimum", [("lidocaine", 60), ("bupivacaine", 180), ("ropivacaine", 180)]
)
def test_relief_lasting_exactly_the_minimum_is_consistent_with_the_agent(agent, minimum):
    reading = read(anesthetic=agent, pre_pain=10, pain_scores=[(30, 1), (minimum, 2), (600, 7)])
    assert reading.duration_minutes == minimum
    assert reading.response == "positive"
    assert DURATION_WARNING not in reading.warnings
    assert reading.counts_towards_treatment is True


@pytest.mark.parametrize(
    "agent, minimum", [("lidocaine", 60), ("bupivacaine", 180), ("ropivacaine", 180)]
)
def test_relief_one_minute_short_of_the_minimum_is_inconsistent_but_still_positive(agent, minimum):
    short = minimum - 1
    reading = read(anesthetic=agent, pre_pain=10, pain_scores=[(30, 1), (short, 2), (600, 7)])
    assert reading.duration_minutes == short
    assert reading.response == "positive"
    assert reading.validity == "valid"
    assert DURATION_WARNING in reading.warnings
    assert reading.warning_messages[DURATION_WARNING]
    assert reading.counts_towards_treatment is False


def test_a_censored_duration_at_the_minimum_is_consistent():
    reading = read(anesthetic="lidocaine", pre_pain=10, pain_scores=[(30, 1), (60, 2)])
    assert (reading.duration_minutes, reading.duration_censored) == (60, True)
    assert DURATION_WARNING not in reading.warnings
    assert reading.counts_towards_treatment is True


def test_a_censored_duration_above_the_minimum_is_consistent():
    reading = read(anesthetic="bupivacaine", pre_pain=10, pain_scores=[(30, 1), (240, 2)])
    assert (reading.duration_minutes, reading.duration_censored) == (240, True)
    assert DURATION_WARNING not in reading.warnings
    assert reading.counts_towards_treatment is True


def test_a_censored_duration_below_the_minimum_is_an_unfinished_diary():
    # CLINICAL_RULES.md section 2: "A censored duration still below the minimum is not a
    # short block but an unfinished diary" (diary_incomplete, not the duration warning).
    reading = read(anesthetic="bupivacaine", pre_pain=10, pain_scores=[(30, 1), (120, 2)])
    assert (reading.duration_minutes, reading.duration_censored) == (120, True)
    assert reading.response == "positive"
    assert reading.validity == "valid"
    assert reading.warnings == ("diary_incomplete",)
    assert reading.counts_towards_treatment is False


def test_the_duration_requirement_applies_to_facet_intraarticular_blocks_under_cms():
    reading = read(
        kind="facet_intraarticular",
        anesthetic_volume_ml=1.0,
        pre_pain=10,
        pain_scores=[(30, 1), (59, 2), (90, 7)],
    )
    assert reading.response == "positive"
    assert DURATION_WARNING in reading.warnings
    assert reading.counts_towards_treatment is False


@pytest.mark.parametrize(
    "kind, levels",
    [("sacroiliac_joint", ("SI",)), ("transforaminal_epidural", ("L5",))],
)
def test_the_duration_requirement_does_not_apply_to_other_kinds_under_cms(kind, levels):
    reading = read(
        kind=kind, levels=levels, anesthetic_volume_ml=1.0, pain_scores=[(30, 1), (45, 9)]
    )
    assert reading.response == "positive"
    assert DURATION_WARNING not in reading.warnings
    assert reading.counts_towards_treatment is True


@pytest.mark.parametrize("profile", [ASRA, SIS], ids=lambda p: p.name)
def test_short_relief_is_not_checked_against_the_agent_outside_cms(profile):
    reading = read(profile, anesthetic="bupivacaine", pre_pain=10, pain_scores=[(30, 1), (45, 9)])
    assert reading.duration_minutes == 30
    assert reading.response == "positive"
    assert DURATION_WARNING not in reading.warnings
    assert reading.counts_towards_treatment is True
