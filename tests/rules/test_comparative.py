"""Comparative local anaesthetic blocks under sis-controlled (CLINICAL_RULES.md s. 3, s. 4)."""

import pytest

from blocks.rules import suggest_next_steps
from tests.rules.builders import ASRA, CMS, SIS, block, codes, date_of, day, only


def lido(id_, on_day, until, *, censored=False):
    """A positive lidocaine block whose relief lasts ``until`` minutes."""
    return block(
        id=id_, performed_at=day(on_day), anesthetic="lidocaine", pain_scores=diary(until, censored)
    )


def bupi(id_, on_day, until, *, censored=False, agent="bupivacaine"):
    return block(
        id=id_, performed_at=day(on_day), anesthetic=agent, pain_scores=diary(until, censored)
    )


def diary(until, censored):
    points = [(30, 1), (until, 2)]
    return points if censored else [*points, (until + 600, 7)]


# Concordant ------------------------------------------------------------------


@pytest.mark.parametrize("agent", ["bupivacaine", "ropivacaine"])
def test_a_longer_lasting_long_agent_makes_the_blocks_concordant_and_leads_to_rfa(agent):
    blocks = [lido(11, 0, 90), bupi(12, 1, 300, agent=agent)]
    suggestion = only(suggest_next_steps(blocks, SIS))
    assert suggestion.code == "radiofrequency_ablation"
    assert suggestion.rule == "mbb.rfa.comparative-concordant"
    assert suggestion.based_on == (11, 12)
    assert suggestion.levels == ("L4-L5", "L5-S1")


def test_the_long_agent_may_come_first():
    blocks = [bupi(11, 0, 300), lido(12, 3, 90)]
    suggestion = only(suggest_next_steps(blocks, SIS))
    assert (suggestion.code, suggestion.based_on) == ("radiofrequency_ablation", (11, 12))


def test_a_censored_long_duration_already_longer_is_concordant():
    # At least 240 minutes, past the bupivacaine minimum of 180: a censored run below the
    # minimum is an unfinished diary, not compared yet (CLINICAL_RULES.md section 2).
    blocks = [lido(11, 0, 90), bupi(12, 1, 240, censored=True)]
    assert only(suggest_next_steps(blocks, SIS)).code == "radiofrequency_ablation"


def test_short_lasting_comparative_blocks_count_under_sis_when_concordant():
    # Neither reaches the cms minimum (60 and 180 minutes); sis needs concordance alone.
    blocks = [lido(11, 0, 40), bupi(12, 1, 90)]
    assert only(suggest_next_steps(blocks, SIS)).code == "radiofrequency_ablation"


# Discordant and undecided -------------------------------------------------------


def test_a_long_agent_lasting_no_longer_makes_the_blocks_discordant():
    blocks = [lido(11, 0, 120), bupi(12, 1, 120)]
    suggestion = only(suggest_next_steps(blocks, SIS))
    assert suggestion.code == "physician_review"
    assert suggestion.rule == "mbb.comparative.discordant"
    assert suggestion.based_on == (11, 12)


def test_a_long_agent_lasting_less_is_discordant():
    blocks = [lido(11, 0, 300), bupi(12, 1, 200)]
    assert only(suggest_next_steps(blocks, SIS)).rule == "mbb.comparative.discordant"


def test_a_censored_short_duration_already_longer_than_the_long_one_is_discordant():
    blocks = [lido(11, 0, 240, censored=True), bupi(12, 1, 200)]
    suggestion = only(suggest_next_steps(blocks, SIS))
    assert (suggestion.code, suggestion.rule) == ("physician_review", "mbb.comparative.discordant")


def test_a_censored_short_duration_equal_to_the_long_one_is_discordant():
    # Lidocaine lasted at least 200 minutes; bupivacaine exactly 200: it cannot be longer.
    blocks = [lido(11, 0, 200, censored=True), bupi(12, 1, 200)]
    assert only(suggest_next_steps(blocks, SIS)).rule == "mbb.comparative.discordant"


@pytest.mark.parametrize(
    "short, long",
    [
        ((90, True), (120, False)),  # short may still outlast the long one
        # Long only "at least" as long; 200 is past the bupivacaine minimum, since a run
        # censored below it is an unfinished diary (CLINICAL_RULES.md section 2).
        ((200, False), (200, True)),
        ((90, True), (300, True)),  # both open
    ],
    ids=["short-censored", "long-censored-equal", "both-censored"],
)
def test_a_censored_duration_that_cannot_decide_needs_physician_review(short, long):
    blocks = [lido(11, 0, short[0], censored=short[1]), bupi(12, 1, long[0], censored=long[1])]
    suggestion = only(suggest_next_steps(blocks, SIS))
    assert suggestion.code == "physician_review"
    assert suggestion.rule == "mbb.comparative.undecided"
    assert suggestion.based_on == (11, 12)


def test_a_positive_lidocaine_and_a_negative_bupivacaine_block_are_a_conflict():
    blocks = [
        lido(11, 0, 90),
        block(id=12, performed_at=day(1), anesthetic="bupivacaine", pain_scores=[(30, 8)]),
    ]
    suggestion = only(suggest_next_steps(blocks, SIS))
    assert (suggestion.code, suggestion.rule) == ("physician_review", "target.conflicting-results")


# Same agent, same day ----------------------------------------------------------


def test_two_lidocaine_blocks_ask_for_a_confirmatory_bupivacaine_block():
    blocks = [lido(11, 0, 90), lido(12, 5, 90)]
    suggestion = only(suggest_next_steps(blocks, SIS))
    assert suggestion.code == "confirmatory_block"
    assert suggestion.anesthetic == "bupivacaine"
    assert suggestion.based_on == (11,)
    assert suggestion.earliest_date == date_of(1)


def test_two_bupivacaine_blocks_ask_for_a_confirmatory_lidocaine_block():
    blocks = [bupi(11, 0, 300), bupi(12, 5, 300)]
    suggestion = only(suggest_next_steps(blocks, SIS))
    assert (suggestion.code, suggestion.anesthetic) == ("confirmatory_block", "lidocaine")


def test_comparative_blocks_on_the_same_day_do_not_count():
    blocks = [
        lido(11, 0, 90),
        block(
            id=12,
            performed_at=day(0).replace(hour=15),
            anesthetic="bupivacaine",
            pain_scores=diary(300, False),
        ),
    ]
    suggestion = only(suggest_next_steps(blocks, SIS))
    assert suggestion.code == "confirmatory_block"
    assert suggestion.earliest_date == date_of(1)


# cms-2021 and asra-2020 do not compare agents ----------------------------------


def test_cms_does_not_compare_agents_and_discordance_raises_nothing():
    # Both durations meet the cms minimum, but bupivacaine's relief is the shorter.
    blocks = [lido(11, 0, 300), bupi(12, 14, 200)]
    suggestion = only(suggest_next_steps(blocks, CMS))
    assert suggestion.code == "radiofrequency_ablation"
    assert suggestion.rule == "mbb.rfa.dual-block"
    assert suggestion.based_on == (11, 12)


def test_asra_does_not_compare_agents_and_discordance_raises_nothing():
    blocks = [lido(11, 0, 300), bupi(12, 1, 200)]
    suggestions = suggest_next_steps(blocks, ASRA)
    assert codes(suggestions) == ["radiofrequency_ablation"]
    assert "mbb.comparative.discordant" not in [s.rule for s in suggestions]
