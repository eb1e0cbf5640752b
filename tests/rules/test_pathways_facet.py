"""Facet pathways: medial branch blocks to RFA, intra-articular blocks to a therapeutic
injection, the confirmatory block, repeat RFA (CLINICAL_RULES.md s. 3, s. 4)."""

import pytest

from blocks.rules import suggest_next_steps
from tests.rules.builders import ASRA, CMS, SIS, block, codes, date_of, day, only

# Bupivacaine relief lasting 240 minutes: consistent with its 180-minute minimum.
BUPI = dict(anesthetic="bupivacaine", pain_scores=[(30, 1), (240, 2), (600, 6)])
IA = dict(kind="facet_intraarticular", anesthetic_volume_ml=1.0)


# Confirmatory block ------------------------------------------------------


def test_one_positive_lidocaine_block_under_cms_asks_for_a_bupivacaine_block_14_days_later():
    suggestion = only(suggest_next_steps([block(id=11)], CMS))
    assert suggestion.code == "confirmatory_block"
    assert suggestion.rule == "mbb.confirmatory-block"
    assert suggestion.based_on == (11,)
    assert suggestion.earliest_date == date_of(14)
    assert suggestion.anesthetic == "bupivacaine"
    assert suggestion.levels == ("L4-L5", "L5-S1")
    assert suggestion.side == "right"


@pytest.mark.parametrize("agent", ["bupivacaine", "ropivacaine"])
def test_one_positive_long_agent_block_under_cms_asks_for_a_lidocaine_block(agent):
    first = block(id=11, **dict(BUPI, anesthetic=agent))
    suggestion = only(suggest_next_steps([first], CMS))
    assert suggestion.code == "confirmatory_block"
    assert suggestion.anesthetic == "lidocaine"
    assert suggestion.earliest_date == date_of(14)


def test_one_positive_block_under_sis_asks_for_a_confirmatory_block_one_day_later():
    suggestion = only(suggest_next_steps([block(id=11)], SIS))
    assert suggestion.code == "confirmatory_block"
    assert suggestion.based_on == (11,)
    assert suggestion.earliest_date == date_of(1)
    assert suggestion.anesthetic == "bupivacaine"


def test_one_positive_block_under_asra_needs_no_confirmatory_block():
    assert "confirmatory_block" not in codes(suggest_next_steps([block(id=11)], ASRA))


# RFA after medial branch blocks -------------------------------------------------------


def test_two_positive_blocks_14_days_apart_under_cms_lead_to_rfa():
    blocks = [block(id=11), block(id=12, performed_at=day(14), **BUPI)]
    suggestion = only(suggest_next_steps(blocks, CMS))
    assert suggestion.code == "radiofrequency_ablation"
    assert suggestion.rule == "mbb.rfa.dual-block"
    assert suggestion.based_on == (11, 12)
    assert suggestion.levels == ("L4-L5", "L5-S1")
    assert suggestion.side == "right"
    assert suggestion.earliest_date is None
    assert suggestion.anesthetic is None


def test_two_lidocaine_blocks_14_days_apart_are_enough_under_cms():
    blocks = [block(id=11), block(id=12, performed_at=day(14))]
    suggestion = only(suggest_next_steps(blocks, CMS))
    assert (suggestion.code, suggestion.based_on) == ("radiofrequency_ablation", (11, 12))


def test_two_positive_blocks_13_days_apart_under_cms_do_not_lead_to_rfa():
    blocks = [block(id=11), block(id=12, performed_at=day(13), **BUPI)]
    suggestion = only(suggest_next_steps(blocks, CMS))
    assert suggestion.code == "confirmatory_block"
    assert suggestion.based_on == (11,)
    assert suggestion.earliest_date == date_of(14)


def test_the_interval_is_counted_from_the_first_block_of_the_pair():
    blocks = [
        block(id=11),
        block(id=12, performed_at=day(7), **BUPI),
        block(id=13, performed_at=day(14), **BUPI),
    ]
    suggestion = only(suggest_next_steps(blocks, CMS))
    assert suggestion.code == "radiofrequency_ablation"
    assert suggestion.based_on == (11, 13)


def test_one_positive_block_under_asra_leads_to_rfa():
    suggestion = only(suggest_next_steps([block(id=11)], ASRA))
    assert suggestion.code == "radiofrequency_ablation"
    assert suggestion.rule == "mbb.rfa.single-block"
    assert suggestion.based_on == (11,)


def test_one_50_percent_block_under_asra_leads_to_rfa():
    first = block(id=11, pre_pain=6, pain_scores=[(30, 3), (90, 5)])
    assert only(suggest_next_steps([first], ASRA)).code == "radiofrequency_ablation"


def test_a_short_lasting_block_under_cms_does_not_count_towards_rfa():
    short = dict(BUPI, pain_scores=[(30, 1), (120, 2), (240, 7)])  # 120 < 180 minutes
    blocks = [block(id=11), block(id=12, performed_at=day(14), **short)]
    assert "radiofrequency_ablation" not in codes(suggest_next_steps(blocks, CMS))


def test_a_short_lasting_first_block_under_cms_leaves_the_next_one_to_be_confirmed():
    short = dict(pain_scores=[(30, 1), (45, 2), (90, 7)])  # 45 < 60 minutes of lidocaine
    blocks = [block(id=11, **short), block(id=12, performed_at=day(14), **BUPI)]
    suggestion = only(suggest_next_steps(blocks, CMS))
    assert suggestion.code == "confirmatory_block"
    assert suggestion.based_on == (12,)
    assert suggestion.earliest_date == date_of(28)
    assert suggestion.anesthetic == "lidocaine"


def test_short_lasting_blocks_count_under_asra():
    short = dict(pain_scores=[(30, 1), (45, 2), (90, 7)])
    suggestion = only(suggest_next_steps([block(id=11, **short)], ASRA))
    assert suggestion.code == "radiofrequency_ablation"


# Facet intra-articular blocks ----------------------------------------------------


def test_two_positive_intraarticular_blocks_under_cms_lead_to_a_therapeutic_injection():
    blocks = [block(id=21, **IA), block(id=22, performed_at=day(14), **dict(IA, **BUPI))]
    suggestion = only(suggest_next_steps(blocks, CMS))
    assert suggestion.code == "therapeutic_facet_injection"
    assert suggestion.rule == "facet-ia.therapeutic"
    assert suggestion.based_on == (21, 22)
    assert suggestion.levels == ("L4-L5", "L5-S1")


def test_one_positive_intraarticular_block_under_cms_asks_for_a_confirmatory_block():
    suggestion = only(suggest_next_steps([block(id=21, **IA)], CMS))
    assert suggestion.code == "confirmatory_block"
    assert suggestion.rule == "facet-ia.confirmatory-block"
    assert suggestion.based_on == (21,)
    assert suggestion.earliest_date == date_of(14)
    assert suggestion.anesthetic == "bupivacaine"


def test_one_positive_intraarticular_block_under_asra_leads_to_a_therapeutic_injection():
    suggestion = only(suggest_next_steps([block(id=21, **IA)], ASRA))
    assert suggestion.code == "therapeutic_facet_injection"
    assert suggestion.based_on == (21,)


def test_two_positive_intraarticular_blocks_a_day_apart_under_sis_lead_to_an_injection():
    blocks = [block(id=21, **IA), block(id=22, performed_at=day(1), **dict(IA, **BUPI))]
    suggestion = only(suggest_next_steps(blocks, SIS))
    assert suggestion.code == "therapeutic_facet_injection"
    assert suggestion.based_on == (21, 22)


def test_one_positive_intraarticular_block_under_sis_asks_for_one_a_day_later():
    suggestion = only(suggest_next_steps([block(id=21, **IA)], SIS))
    assert suggestion.code == "confirmatory_block"
    assert suggestion.earliest_date == date_of(1)


# Saline ------------------------------------------------------------------


@pytest.mark.parametrize("profile", [CMS, ASRA, SIS], ids=lambda p: p.name)
def test_relief_after_saline_needs_physician_review(profile):
    saline = block(id=31, anesthetic="saline", pain_scores=[(30, 1), (600, 1)])
    suggestion = only(suggest_next_steps([saline], profile))
    assert suggestion.code == "physician_review"
    assert suggestion.rule == "block.placebo-response"
    assert suggestion.based_on == (31,)


@pytest.mark.parametrize("profile", [CMS, ASRA, SIS], ids=lambda p: p.name)
def test_relief_after_saline_never_leads_to_rfa_even_beside_positive_blocks(profile):
    blocks = [
        block(id=11),
        block(id=12, performed_at=day(14), **BUPI),
        block(id=13, performed_at=day(28), anesthetic="saline", pain_scores=[(30, 1)]),
    ]
    suggestion = only(suggest_next_steps(blocks, profile))
    assert suggestion.code == "physician_review"
    assert suggestion.based_on == (13,)


@pytest.mark.parametrize("profile", [CMS, ASRA, SIS], ids=lambda p: p.name)
def test_two_saline_blocks_never_lead_to_rfa(profile):
    blocks = [
        block(id=31, anesthetic="saline"),
        block(id=32, performed_at=day(14), anesthetic="saline"),
    ]
    assert "radiofrequency_ablation" not in codes(suggest_next_steps(blocks, profile))


def test_saline_without_relief_does_not_stop_rfa():
    blocks = [
        block(id=11),
        block(id=12, performed_at=day(14), **BUPI),
        block(id=13, performed_at=day(20), anesthetic="saline", pain_scores=[(30, 9)]),
    ]
    suggestion = only(suggest_next_steps(blocks, CMS))
    assert suggestion.code == "radiofrequency_ablation"
    assert suggestion.based_on == (11, 12)


# Targets -----------------------------------------------------------------


def test_blocks_on_different_sides_are_separate_targets():
    blocks = [
        block(id=11, side="right"),
        block(id=12, side="left", performed_at=day(14), pain_scores=[(30, 8)]),
    ]
    suggestions = suggest_next_steps(blocks, CMS)
    assert sorted((s.code, s.side, s.based_on) for s in suggestions) == [
        ("confirmatory_block", "right", (11,)),
        ("evaluate_other_source", "left", (12,)),
    ]


def test_blocks_of_different_levels_are_separate_targets():
    blocks = [
        block(id=11, levels=("L4-L5", "L5-S1")),
        block(id=12, levels=("L3-L4", "L4-L5"), performed_at=day(14), **BUPI),
    ]
    suggestions = suggest_next_steps(blocks, CMS)
    assert sorted((s.code, s.levels, s.based_on) for s in suggestions) == [
        ("confirmatory_block", ("L3-L4", "L4-L5"), (12,)),
        ("confirmatory_block", ("L4-L5", "L5-S1"), (11,)),
    ]


def test_the_order_in_which_levels_are_named_does_not_split_a_target():
    blocks = [
        block(id=11, levels=("L5-S1", "L4-L5")),
        block(id=12, levels=("L4-L5", "L5-S1"), performed_at=day(14), **BUPI),
    ]
    suggestion = only(suggest_next_steps(blocks, CMS))
    assert suggestion.code == "radiofrequency_ablation"
    assert suggestion.levels == ("L4-L5", "L5-S1")
    assert suggestion.based_on == (11, 12)


def test_blocks_are_read_in_time_order_whatever_order_they_come_in():
    blocks = [block(id=12, performed_at=day(14), **BUPI), block(id=11)]
    suggestion = only(suggest_next_steps(blocks, CMS))
    assert (suggestion.code, suggestion.based_on) == ("radiofrequency_ablation", (11, 12))


def test_medial_branch_and_intraarticular_blocks_of_one_joint_are_one_target():
    blocks = [block(id=11), block(id=21, performed_at=day(14), pain_scores=[(30, 8)], **IA)]
    suggestion = only(suggest_next_steps(blocks, CMS))
    assert suggestion.code == "physician_review"
    assert suggestion.rule == "target.conflicting-results"
    assert suggestion.based_on == (11, 21)


# Repeat RFA ---------------------------------------------------------------

DAY_MINUTES = 24 * 60


def rfa(relief_days, pre, post, **overrides):
    values = dict(
        id=41,
        kind="radiofrequency_ablation",
        intent="therapeutic",
        anesthetic="none",
        anesthetic_volume_ml=None,
        pre_pain=pre,
        pain_scores=[
            (7 * DAY_MINUTES, post),
            (relief_days * DAY_MINUTES, post),
            ((relief_days + 30) * DAY_MINUTES, pre),
        ],
    )
    values.update(overrides)
    return block(**values)


@pytest.mark.parametrize("profile", [CMS, SIS], ids=lambda p: p.name)
def test_an_ablation_giving_50_percent_for_180_days_can_be_repeated(profile):
    suggestion = only(suggest_next_steps([rfa(180, pre=6, post=3)], profile))
    assert suggestion.code == "radiofrequency_ablation"
    assert suggestion.rule == "rfa.repeat"
    assert suggestion.based_on == (41,)
    assert suggestion.levels == ("L4-L5", "L5-S1")


@pytest.mark.parametrize("profile", [CMS, SIS], ids=lambda p: p.name)
def test_an_ablation_giving_relief_for_179_days_is_not_repeated(profile):
    assert suggest_next_steps([rfa(179, pre=6, post=3)], profile) == []


def test_an_ablation_giving_30_percent_for_90_days_can_be_repeated_under_asra():
    suggestion = only(suggest_next_steps([rfa(90, pre=10, post=7)], ASRA))
    assert (suggestion.code, suggestion.rule) == ("radiofrequency_ablation", "rfa.repeat")


def test_an_ablation_giving_30_percent_for_89_days_is_not_repeated_under_asra():
    assert suggest_next_steps([rfa(89, pre=10, post=7)], ASRA) == []


def test_an_ablation_giving_30_percent_is_not_repeated_under_cms():
    assert suggest_next_steps([rfa(365, pre=10, post=7)], CMS) == []


def test_ambiguous_a_latest_short_lasting_block_under_cms_needs_physician_review():
    # s.2 says it does not count; s.4 names no next step for it. The engine asks for review.
    short = dict(BUPI, pain_scores=[(30, 1), (120, 2), (240, 7)])
    blocks = [block(id=11), block(id=12, performed_at=day(14), **short)]
    suggestion = only(suggest_next_steps(blocks, CMS))
    assert (suggestion.code, suggestion.rule) == ("physician_review", "facet.duration-inconsistent")
    assert suggestion.based_on == (12,)
