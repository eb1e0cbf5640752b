"""An unfinished diary is not a short block (CLINICAL_RULES.md section 2, section 4).

A bupivacaine block scored only in recovery (15 and 30 minutes), relief still
at or above the threshold at 30, must wait for the diary to reach the agent's
minimum (180 minutes) instead of going to a physician as "too short".
"""

import pytest

from blocks.rules import interpret_block, suggest_next_steps
from tests.rules.builders import ASRA, CMS, SIS, block, day, only

RECOVERY_ONLY = [(15, 2), (30, 1)]  # pre 10: 80 % and 90 % relief, still positive at 30


def bupivacaine(**overrides):
    return block(
        **{"id": 7, "anesthetic": "bupivacaine", "pain_scores": RECOVERY_ONLY, **overrides}
    )


# The reading ----------------------------------------------------------------------


@pytest.mark.parametrize("profile", [CMS, SIS], ids=lambda p: p.name)
@pytest.mark.parametrize("kind", ["medial_branch_block", "facet_intraarticular"])
def test_a_diary_that_stops_still_positive_before_the_minimum_is_incomplete(profile, kind):
    reading = interpret_block(bupivacaine(kind=kind), profile)
    assert (reading.duration_minutes, reading.duration_censored) == (30, True)
    assert (reading.validity, reading.response) == ("valid", "positive")
    assert reading.warnings == ("diary_incomplete",)
    assert reading.counts_towards_treatment is False


@pytest.mark.parametrize("profile", [CMS, SIS], ids=lambda p: p.name)
def test_the_next_step_is_to_record_the_diary_up_to_the_agents_minimum(profile):
    suggestion = only(suggest_next_steps([bupivacaine()], profile))
    assert suggestion.code == "record_post_block_scores"
    assert suggestion.rule == "block.diary.incomplete"
    assert suggestion.until_minutes == 180
    assert suggestion.based_on == (7,)
    assert "180 minutes" in suggestion.rationale


def test_lidocaine_must_reach_sixty_minutes():
    diary = block(id=7, anesthetic="lidocaine", pain_scores=[(15, 2), (45, 1)])
    suggestion = only(suggest_next_steps([diary], CMS))
    assert (suggestion.rule, suggestion.until_minutes) == ("block.diary.incomplete", 60)


def test_the_same_diary_reaching_the_minimum_is_a_valid_positive_block():
    reading = interpret_block(bupivacaine(pain_scores=[*RECOVERY_ONLY, (180, 2)]), CMS)
    assert (reading.duration_minutes, reading.duration_censored) == (180, True)
    assert reading.warnings == ()
    assert reading.counts_towards_treatment is True
    assert only(
        suggest_next_steps([bupivacaine(pain_scores=[*RECOVERY_ONLY, (180, 2)])], CMS)
    ).code == ("confirmatory_block")


def test_the_same_diary_going_past_the_minimum_and_ending_is_a_valid_positive_block():
    reading = interpret_block(bupivacaine(pain_scores=[*RECOVERY_ONLY, (240, 2), (300, 7)]), CMS)
    assert (reading.duration_minutes, reading.duration_censored) == (240, False)
    assert reading.warnings == ()
    assert reading.counts_towards_treatment is True


def test_a_run_that_ended_below_the_minimum_is_still_a_short_block():
    reading = interpret_block(bupivacaine(pain_scores=[*RECOVERY_ONLY, (60, 7)]), CMS)
    assert (reading.duration_minutes, reading.duration_censored) == (30, False)
    assert reading.warnings == ("duration_inconsistent_with_agent",)
    suggestion = only(suggest_next_steps([bupivacaine(pain_scores=[*RECOVERY_ONLY, (60, 7)])], CMS))
    assert (suggestion.code, suggestion.rule) == ("physician_review", "facet.duration-inconsistent")
    assert suggestion.until_minutes is None


def test_asra_reads_the_recovery_scores_as_they_are():
    reading = interpret_block(bupivacaine(), ASRA)
    assert reading.warnings == ()
    assert reading.counts_towards_treatment is True
    suggestion = only(suggest_next_steps([bupivacaine()], ASRA))
    assert (suggestion.code, suggestion.until_minutes) == ("radiofrequency_ablation", None)


def test_other_kinds_have_no_minimum_to_wait_for():
    si = bupivacaine(kind="sacroiliac_joint", levels=("SI",), anesthetic_volume_ml=1.0)
    assert interpret_block(si, CMS).warnings == ()


def test_an_unfinished_diary_is_not_compared_under_sis():
    lidocaine = block(id=6, anesthetic="lidocaine", pain_scores=[(30, 1), (90, 2), (400, 7)])
    later = bupivacaine(performed_at=day(2))
    suggestion = only(suggest_next_steps([lidocaine, later], SIS))
    assert (suggestion.code, suggestion.until_minutes) == ("record_post_block_scores", 180)


# Censoring ---------------------------------------------------------------------------


def test_the_duration_is_censored_when_the_first_run_reaches_the_last_point():
    reading = interpret_block(block(pain_scores=[(30, 1), (60, 2), (120, 2)]), ASRA)
    assert (reading.duration_minutes, reading.duration_censored) == (120, True)


def test_a_run_that_ended_is_not_censored_whatever_later_points_show():
    # A second run reaches the last point; the first one ended at 60.
    reading = interpret_block(block(pain_scores=[(30, 1), (60, 2), (90, 8), (120, 1)]), ASRA)
    assert (reading.duration_minutes, reading.duration_censored) == (60, False)


def test_a_single_positive_point_that_is_the_last_is_censored():
    reading = interpret_block(block(pain_scores=[(30, 1)]), ASRA)
    assert (reading.duration_minutes, reading.duration_censored) == (30, True)


# Earned suggestions stand beside a later block of the other kind (section 4) -----------


def mbb(id_, on_day, **overrides):
    return block(id=id_, performed_at=day(on_day), **overrides)


def ia(id_, on_day, **overrides):
    return block(id=id_, performed_at=day(on_day), kind="facet_intraarticular", **overrides)


def test_a_later_intra_articular_block_keeps_the_rfa_earned_by_medial_branch_blocks():
    blocks = [mbb(1, 0), mbb(2, 14), ia(3, 20)]
    by_code = {s.code: s for s in suggest_next_steps(blocks, CMS)}
    assert sorted(by_code) == ["confirmatory_block", "radiofrequency_ablation"]
    assert by_code["radiofrequency_ablation"].based_on == (1, 2)
    assert by_code["confirmatory_block"].based_on == (3,)


def test_a_later_medial_branch_block_keeps_the_injection_earned_by_intra_articular_blocks():
    blocks = [ia(1, 0), ia(2, 14), mbb(3, 20)]
    by_code = {s.code: s for s in suggest_next_steps(blocks, CMS)}
    assert sorted(by_code) == ["confirmatory_block", "therapeutic_facet_injection"]
    assert by_code["therapeutic_facet_injection"].based_on == (1, 2)


def test_an_earned_rfa_stands_beside_what_a_failed_later_block_adds():
    blocks = [mbb(1, 0), mbb(2, 14), ia(3, 20, guidance="none")]
    assert sorted(s.code for s in suggest_next_steps(blocks, CMS)) == [
        "radiofrequency_ablation",
        "repeat_block",
    ]


def test_an_earned_rfa_stands_beside_an_unfinished_later_diary():
    blocks = [mbb(1, 0), mbb(2, 14), ia(3, 20, anesthetic="bupivacaine", pain_scores=[(30, 1)])]
    by_code = {s.code: s for s in suggest_next_steps(blocks, CMS)}
    assert sorted(by_code) == ["radiofrequency_ablation", "record_post_block_scores"]
    assert by_code["record_post_block_scores"].until_minutes == 180


def test_a_negative_later_block_of_the_same_joints_takes_the_earned_rfa_away():
    blocks = [mbb(1, 0), mbb(2, 14), ia(3, 20, pain_scores=[(30, 8)])]
    suggestion = only(suggest_next_steps(blocks, CMS))
    assert (suggestion.code, suggestion.rule) == ("physician_review", "target.conflicting-results")


def test_an_rfa_done_after_the_medial_branch_blocks_settles_the_earned_rfa():
    done = block(id=4, performed_at=day(16), kind="radiofrequency_ablation", intent="therapeutic")
    blocks = [mbb(1, 0), mbb(2, 14), done, ia(3, 20)]
    assert [s.code for s in suggest_next_steps(blocks, CMS)] == ["confirmatory_block"]
