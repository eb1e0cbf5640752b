"""Next-step codes and their precedence within one target (CLINICAL_RULES.md s. 4)."""

import pytest

from blocks.rules import suggest_next_steps
from blocks.rules.vocab import NEXT_STEP_CODES
from tests.rules.builders import ALL_PROFILES, ASRA, CMS, block, codes, day, discography, only

by_name = pytest.mark.parametrize("profile", ALL_PROFILES, ids=lambda p: p.name)

ROOT = dict(kind="transforaminal_epidural", levels=("L5",), anesthetic_volume_ml=1.0)
SI = dict(kind="sacroiliac_joint", levels=("SI",), anesthetic_volume_ml=2.0)


# Precedence on the latest block ------------------------------------------


@by_name
def test_a_non_diagnostic_latest_block_suggests_repeating_it(profile):
    suggestion = only(suggest_next_steps([block(id=11, guidance="none")], profile))
    assert suggestion.code == "repeat_block"
    assert suggestion.rule == "block.technique.non-diagnostic"
    assert suggestion.based_on == (11,)


@by_name
def test_a_non_diagnostic_latest_block_settles_its_target_over_earlier_positives(profile):
    blocks = [block(id=11), block(id=12, performed_at=day(14), sedation="general")]
    suggestion = only(suggest_next_steps(blocks, profile))
    assert suggestion.code == "repeat_block"
    assert suggestion.based_on == (12,)


@by_name
def test_a_block_without_scores_asks_for_them_and_not_also_for_a_repeat(profile):
    suggestion = only(suggest_next_steps([block(id=11, pain_scores=[])], profile))
    assert suggestion.code == "record_post_block_scores"
    assert suggestion.rule == "block.scores.missing"
    assert suggestion.based_on == (11,)


def test_a_block_without_scores_and_a_low_baseline_asks_for_scores_only():
    suggestion = only(suggest_next_steps([block(id=11, pre_pain=2, pain_scores=[])], CMS))
    assert suggestion.code == "record_post_block_scores"


def test_a_latest_block_without_scores_settles_its_target_over_earlier_positives():
    blocks = [block(id=11), block(id=12, performed_at=day(14), pain_scores=[])]
    suggestion = only(suggest_next_steps(blocks, CMS))
    assert (suggestion.code, suggestion.based_on) == ("record_post_block_scores", (12,))


@by_name
def test_a_low_baseline_suggests_repeating_the_block(profile):
    suggestion = only(suggest_next_steps([block(id=11, pre_pain=2)], profile))
    assert suggestion.code == "repeat_block"
    assert suggestion.rule == "block.baseline.too-low"
    assert suggestion.based_on == (11,)


def test_non_diagnostic_technique_wins_over_missing_scores():
    suggestion = only(suggest_next_steps([block(id=11, guidance="none", pain_scores=[])], CMS))
    assert suggestion.code == "repeat_block"


# Conflict, partial, negative ---------------------------------------------


@by_name
def test_a_positive_and_a_negative_block_on_one_target_need_physician_review(profile):
    blocks = [block(id=11), block(id=12, performed_at=day(14), pain_scores=[(30, 8)])]
    suggestion = only(suggest_next_steps(blocks, profile))
    assert suggestion.code == "physician_review"
    assert suggestion.rule == "target.conflicting-results"
    assert suggestion.based_on == (11, 12)


def test_a_negative_then_positive_nerve_root_block_is_a_conflict():
    blocks = [
        block(id=11, pain_scores=[(30, 8)], **ROOT),
        block(id=12, performed_at=day(14), **ROOT),
    ]
    suggestion = only(suggest_next_steps(blocks, CMS))
    assert (suggestion.code, suggestion.based_on) == ("physician_review", (11, 12))


@by_name
def test_a_partial_response_needs_physician_review(profile):
    partial = block(id=11, pre_pain=10, pain_scores=[(30, 4)], **ROOT)
    suggestion = only(suggest_next_steps([partial], profile))
    assert suggestion.code == "physician_review"
    assert suggestion.rule == "block.response.partial"
    assert suggestion.based_on == (11,)


def test_a_50_percent_medial_branch_block_needs_review_under_cms_but_leads_to_rfa_under_asra():
    fifty = block(id=11, pre_pain=6, pain_scores=[(30, 3), (90, 3)])
    assert only(suggest_next_steps([fifty], CMS)).code == "physician_review"
    assert only(suggest_next_steps([fifty], ASRA)).code == "radiofrequency_ablation"


@by_name
@pytest.mark.parametrize(
    "kind",
    [dict(), ROOT, SI, dict(kind="facet_intraarticular", anesthetic_volume_ml=1.0)],
    ids=["medial-branch", "nerve-root", "si-joint", "facet-ia"],
)
def test_a_negative_block_suggests_evaluating_another_source(profile, kind):
    suggestion = only(suggest_next_steps([block(id=11, pain_scores=[(30, 6)], **kind)], profile))
    assert suggestion.code == "evaluate_other_source"
    assert suggestion.rule == "block.response.negative"
    assert suggestion.based_on == (11,)


# Nerve root, SI joint ----------------------------------------------------


@by_name
def test_a_positive_nerve_root_block_suggests_a_therapeutic_epidural_injection(profile):
    suggestion = only(suggest_next_steps([block(id=11, **ROOT)], profile))
    assert suggestion.code == "therapeutic_epidural_injection"
    assert suggestion.rule == "root.positive.therapeutic-epidural"
    assert suggestion.levels == ("L5",)
    assert suggestion.side == "right"
    assert suggestion.based_on == (11,)


@by_name
def test_a_75_percent_si_joint_block_suggests_a_therapeutic_si_injection(profile):
    si = block(id=11, pre_pain=4, pain_scores=[(30, 1), (60, 1)], **SI)
    suggestion = only(suggest_next_steps([si], profile))
    assert suggestion.code == "therapeutic_si_injection"
    assert suggestion.rule == "si.positive.therapeutic-injection"
    assert suggestion.levels == ("SI",)
    assert suggestion.based_on == (11,)


@by_name
def test_a_62_5_percent_si_joint_block_needs_physician_review(profile):
    si = block(id=11, pre_pain=8, pain_scores=[(30, 3)], **SI)
    assert only(suggest_next_steps([si], profile)).code == "physician_review"


# Several targets, sources, treatments ------------------------------------


def test_suggestions_about_other_targets_stand_beside_each_other():
    blocks = [
        block(id=11, guidance="none"),
        block(id=12, **ROOT),
        block(id=13, pre_pain=4, pain_scores=[(30, 1)], **SI),
        block(id=14, side="left", pain_scores=[]),
    ]
    suggestions = suggest_next_steps(blocks, CMS)
    assert sorted((s.code, s.based_on) for s in suggestions) == [
        ("record_post_block_scores", (14,)),
        ("repeat_block", (11,)),
        ("therapeutic_epidural_injection", (12,)),
        ("therapeutic_si_injection", (13,)),
    ]


def test_every_suggestion_names_a_rule_a_one_line_source_and_a_rationale():
    blocks = [
        block(id=11, guidance="none"),
        block(id=12, **ROOT),
        block(id=13, pre_pain=4, pain_scores=[(30, 1)], **SI),
        block(id=14, side="left", pain_scores=[]),
        block(id=15, side="bilateral"),
        discography(id=16),
    ]
    for profile in ALL_PROFILES:
        for suggestion in suggest_next_steps(blocks, profile):
            assert suggestion.code in NEXT_STEP_CODES
            assert suggestion.rule and suggestion.rationale
            assert suggestion.source and "\n" not in suggestion.source


def test_a_therapeutic_injection_done_after_the_positive_block_settles_the_suggestion():
    blocks = [
        block(id=11, **ROOT),
        block(id=12, performed_at=day(7), intent="therapeutic", steroid="dexamethasone", **ROOT),
    ]
    assert "therapeutic_epidural_injection" not in codes(suggest_next_steps(blocks, CMS))


def test_a_therapeutic_injection_done_before_the_positive_block_does_not_settle_it():
    blocks = [
        block(id=12, performed_at=day(-60), intent="therapeutic", **ROOT),
        block(id=11, **ROOT),
    ]
    assert codes(suggest_next_steps(blocks, CMS)) == ["therapeutic_epidural_injection"]


def test_an_episode_without_procedures_has_no_suggestions():
    assert suggest_next_steps([], CMS) == []


def test_a_low_baseline_on_the_latest_block_settles_its_target_over_earlier_positives():
    blocks = [block(id=11), block(id=12, performed_at=day(14), pre_pain=2)]
    suggestion = only(suggest_next_steps(blocks, CMS))
    assert (suggestion.code, suggestion.based_on) == ("repeat_block", (12,))


# Readings the spec leaves open: pinned to the engine's choice (see the report) -------


def test_ambiguous_scores_only_outside_the_window_ask_for_scores_inside_it():
    # s.4 says repeat_block for an indeterminate latest block, s.2 says
    # record_post_block_scores when there is no post-block score; the engine asks for scores.
    late = block(id=11, pain_scores=[(200, 1), (300, 1)])
    suggestion = only(suggest_next_steps([late], CMS))
    assert (suggestion.code, suggestion.rule) == (
        "record_post_block_scores",
        "block.scores.outside-window",
    )


def test_ambiguous_a_missing_pre_block_score_asks_for_scores():
    suggestion = only(suggest_next_steps([block(id=11, pre_pain=None)], CMS))
    assert suggestion.code == "record_post_block_scores"


def test_ambiguous_a_positive_interlaminar_block_suggests_a_therapeutic_epidural():
    # s.4 names nerve-root blocks only; the engine treats interlaminar epidurals alike.
    interlaminar = dict(kind="interlaminar_epidural", levels=("L4-L5",), anesthetic_volume_ml=2.0)
    assert only(suggest_next_steps([block(id=11, **interlaminar)], CMS)).code == (
        "therapeutic_epidural_injection"
    )
