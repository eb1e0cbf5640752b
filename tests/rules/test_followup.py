"""Follow-up after treatment (CLINICAL_RULES section 10): relief, success, PGIC responder,
duration of benefit, the schedule, the selection group and rfa.repeat, at the boundaries."""

from datetime import date

import pytest

from blocks.rules import followup as fu
from blocks.rules import suggest_next_steps
from blocks.rules.selection import selection
from blocks.rules.types import FollowUpPoint
from tests.rules.builders import ASRA, CMS, SIS, block, day


def rfa(follow_ups=(), *, pre_pain=8, id=30, performed_at=None, **overrides):
    values = dict(
        id=id,
        kind="radiofrequency_ablation",
        intent="therapeutic",
        anesthetic="lidocaine",
        pre_pain=pre_pain,
        pain_scores=(),
        performed_at=performed_at or day(40),
        follow_ups=tuple(FollowUpPoint(d, p, g) for d, p, g in follow_ups),
    )
    return block(**{**values, **overrides})


# Relief, success, PGIC ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pre", "pain", "relief"),
    [(8, 4, 50.0), (7, 3, 57.1), (10, 7, 30.0), (3, 0, 100.0), (6, 8, -33.3), (2, 0, None)],
)
def test_relief_is_read_against_the_treatments_own_pre_pain(pre, pain, relief):
    assert fu.relief_percent(pre, pain) == relief


def test_no_pre_pain_reads_no_relief():
    assert fu.relief_percent(None, 3) is None


@pytest.mark.parametrize(
    ("relief", "word"),
    [(50.0, "substantial"), (49.9, "meaningful"), (30.0, "meaningful"), (29.9, "none")],
)
def test_success_thresholds_are_inclusive(relief, word):
    assert fu.success(relief, CMS) == word


def test_success_of_unread_relief_is_none():
    assert fu.success(None, CMS) is None


@pytest.mark.parametrize(("pgic", "responder"), [(5, False), (6, True), (7, True), (None, None)])
def test_pgic_much_or_very_much_improved_is_a_responder(pgic, responder):
    assert fu.pgic_responder(pgic, CMS) is responder


def test_every_pgic_number_has_its_words():
    assert fu.PGIC_WORDS[1] == "Very much worse"
    assert fu.PGIC_WORDS[6] == "Much improved"
    assert len(fu.PGIC_WORDS) == 7


# Duration of benefit --------------------------------------------------------------------


def points(*pairs):
    return [FollowUpPoint(d, p) for d, p in pairs]


def test_benefit_lasts_to_the_last_follow_up_of_the_first_run_at_the_level():
    # pre 8: 2 -> 75 %, 4 -> 50 % (at the level), 5 -> 37.5 % (below), then 3 again.
    run = points((14, 2), (90, 4), (180, 5), (365, 3))
    assert fu.benefit_duration(run, 8, 50.0) == (90, False)


def test_benefit_is_censored_when_the_run_reaches_the_last_follow_up():
    assert fu.benefit_duration(points((14, 2), (30, 4)), 8, 50.0) == (30, True)


def test_benefit_is_zero_and_not_censored_when_the_first_follow_up_is_below():
    assert fu.benefit_duration(points((14, 5), (30, 1)), 8, 50.0) == (0, False)


def test_no_follow_up_or_no_readable_relief_has_no_benefit():
    assert fu.benefit_duration([], 8, 50.0) == (None, False)
    assert fu.benefit_duration(points((14, 0)), 2, 50.0) == (None, False)


def test_follow_ups_are_read_in_day_order():
    assert fu.benefit_duration(points((90, 6), (14, 2)), 8, 50.0) == (14, False)


def test_outcome_keys_every_measure_by_day():
    outcome = fu.outcome(rfa([(14, 2, 7), (90, 3, 6), (180, 6, 4)], pre_pain=7), CMS)
    assert outcome.relief_percent == {14: 71.4, 90: 57.1, 180: 14.3}
    assert outcome.success == {14: "substantial", 90: "substantial", 180: "none"}
    assert outcome.pgic_responder == {14: True, 90: True, 180: False}
    assert (outcome.benefit_days, outcome.benefit_censored) == (90, False)


def test_the_asra_profile_reads_benefit_at_30_percent():
    treated = rfa([(14, 2, None), (90, 5, None), (180, 6, None)], pre_pain=8)
    # 37.5 % at 90 days holds at ASRA's 30 %, not at Medicare's 50 %.
    assert fu.outcome(treated, ASRA).benefit_days == 90
    assert fu.outcome(treated, CMS).benefit_days == 14


# Schedule -------------------------------------------------------------------------------


def test_a_point_is_due_from_3_days_before_to_14_days_after():
    on = date(2026, 1, 1)
    assert fu.point_state(90, on, date(2026, 3, 28), []) == "upcoming"  # day 86
    assert fu.point_state(90, on, date(2026, 3, 29), []) == "due"  # day 87
    assert fu.point_state(90, on, date(2026, 4, 15), []) == "due"  # day 104
    assert fu.point_state(90, on, date(2026, 4, 16), []) == "overdue"  # day 105


def test_a_follow_up_inside_the_window_answers_the_point():
    on = date(2026, 1, 1)
    assert fu.point_state(90, on, date(2026, 4, 16), [104]) == "answered"
    assert fu.point_state(90, on, date(2026, 4, 16), [86]) == "overdue"


def test_the_schedule_lists_the_profiles_points():
    states = fu.schedule(date(2026, 1, 1), date(2026, 1, 12), [], CMS)
    assert states == [
        (14, "due"),
        (30, "upcoming"),
        (90, "upcoming"),
        (180, "upcoming"),
        (365, "upcoming"),
    ]


def test_a_link_lasts_14_days_after_its_latest_point():
    assert fu.link_expires_on(date(2026, 1, 1), [14, 30]) == date(2026, 2, 14)


# Selection ------------------------------------------------------------------------------


def two_blocks(**second):
    return [block(id=11), block(id=12, performed_at=day(14), **second)]


def test_two_blocks_at_90_percent_select_an_rfa_as_dual_80_under_medicare_and_asra():
    chosen = selection(rfa(), two_blocks())
    assert chosen.based_on == (11, 12)
    assert chosen.profiles_met == ("cms-2021", "asra-2020")
    assert (chosen.positive_blocks, chosen.lowest_relief_percent) == (2, 90.0)
    assert chosen.group == "dual-80"
    assert not chosen.deviation


def test_comparative_blocks_with_a_longer_long_agent_are_concordant():
    blocks = two_blocks(anesthetic="bupivacaine", pain_scores=[(30, 1), (300, 2), (480, 6)])
    chosen = selection(rfa(), blocks)
    assert "sis-controlled" in chosen.profiles_met
    assert chosen.group == "dual-80-concordant"


def test_comparative_blocks_with_a_shorter_long_agent_are_discordant():
    # Bupivacaine lasting 60 min against lidocaine's 120: discordant (and too short for CMS).
    blocks = two_blocks(anesthetic="bupivacaine", pain_scores=[(30, 1), (60, 2), (120, 6)])
    chosen = selection(rfa(), blocks)
    assert chosen.profiles_met == ("asra-2020",)
    assert chosen.group == "dual-80-discordant"


def test_one_block_at_60_percent_is_single_50_under_asra_only():
    chosen = selection(rfa(), [block(id=11, pain_scores=[(30, 4), (120, 4), (240, 8)])])
    assert chosen.profiles_met == ("asra-2020",)
    assert (chosen.positive_blocks, chosen.lowest_relief_percent) == (1, 60.0)
    assert chosen.group == "single-50"


def test_an_rfa_without_the_blocks_any_profile_asks_for_is_a_deviation():
    chosen = selection(rfa(), [block(id=11, pain_scores=[(30, 6), (240, 8)])])  # 40 %
    assert chosen.based_on == (11,)
    assert chosen.profiles_met == ()
    assert chosen.group == "no-qualifying-selection"
    assert chosen.deviation


def test_an_rfa_with_no_block_at_all_is_a_deviation():
    assert selection(rfa(), []).group == "no-qualifying-selection"


def test_an_epidural_without_a_diagnostic_block_is_not_a_deviation():
    epidural = rfa(kind="transforaminal_epidural", levels=("L5",), steroid="dexamethasone")
    chosen = selection(epidural, [])
    assert (chosen.group, chosen.deviation) == ("no-diagnostic-block", False)


def test_blocks_after_the_treatment_do_not_select_it():
    later = [block(id=11, performed_at=day(50)), block(id=12, performed_at=day(64))]
    assert selection(rfa(), later).group == "no-qualifying-selection"


# rfa.repeat reads follow-ups ------------------------------------------------------------


def repeat(treated, profile=CMS):
    found = [s for s in suggest_next_steps([*two_blocks(), treated], profile)]
    return [s for s in found if s.rule == "rfa.repeat"]


def test_benefit_for_180_days_then_returned_pain_suggests_a_repeat_rfa():
    treated = rfa([(14, 1, 7), (30, 2, 7), (90, 3, 6), (180, 4, 6), (365, 7, 3)])
    (suggestion,) = repeat(treated)
    assert (suggestion.code, suggestion.based_on) == ("radiofrequency_ablation", (30,))
    assert "for 180 days" in suggestion.rationale


def test_benefit_for_179_days_is_too_short_for_medicare():
    treated = rfa([(14, 1, 7), (179, 4, 6), (200, 7, 3)])
    assert repeat(treated) == []


def test_benefit_still_going_on_is_no_reason_to_repeat():
    assert repeat(rfa([(14, 1, 7), (90, 2, 7), (180, 3, 6)])) == []


def test_asra_repeats_after_90_days_at_30_percent():
    treated = rfa([(14, 2, 6), (90, 5, 5), (180, 7, 3)])  # 37.5 % at 90 days
    assert len(repeat(treated, ASRA)) == 1
    assert repeat(treated, CMS) == []


def test_without_follow_ups_the_ablations_diary_points_still_count():
    minutes = 181 * 24 * 60
    treated = rfa(pain_scores=[(30, 1), (minutes, 2), (minutes + 60, 8)], anesthetic="bupivacaine")
    found = repeat(treated, SIS)
    assert [s.code for s in found] == ["radiofrequency_ablation"]
    assert "for 181 days" in found[0].rationale


def test_follow_ups_take_precedence_over_the_ablations_diary_points():
    minutes = 181 * 24 * 60
    treated = rfa(
        [(14, 6, 3)],
        pain_scores=[(30, 1), (minutes, 2), (minutes + 60, 8)],
        anesthetic="bupivacaine",
    )
    assert repeat(treated, SIS) == []
