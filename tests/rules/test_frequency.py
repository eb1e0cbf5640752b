"""Medicare frequency limits: warnings under cms-2021 only (CLINICAL_RULES.md s. 7)."""

import pytest

from blocks.rules import interpret_block
from tests.rules.builders import ASRA, CMS, SIS, block, day

LIMIT = "frequency_limit"


def warnings(profile=CMS, history=(), **overrides):
    reading = interpret_block(block(**overrides), profile, history=history)
    return reading.warnings, reading.warning_messages


def sessions(count, every_days=30, start_id=100, **overrides):
    """``count`` earlier procedures, one per session, ``every_days`` apart before day 0."""
    return [
        block(id=start_id + n, performed_at=day(-every_days * (n + 1)), **overrides)
        for n in range(count)
    ]


# Levels per session ---------------------------------------------------------


def test_two_facet_levels_in_one_session_are_within_the_limit():
    assert LIMIT not in warnings(levels=("L4-L5", "L5-S1"))[0]


def test_three_facet_levels_in_one_session_pass_the_limit_under_cms():
    codes, messages = warnings(levels=("L3-L4", "L4-L5", "L5-S1"))
    assert codes == (LIMIT,)
    assert messages[LIMIT]


@pytest.mark.parametrize("profile", [ASRA, SIS], ids=lambda p: p.name)
def test_three_facet_levels_in_one_session_raise_nothing_outside_cms(profile):
    assert LIMIT not in warnings(profile, levels=("L3-L4", "L4-L5", "L5-S1"))[0]


def test_three_intraarticular_levels_pass_the_limit():
    codes, _ = warnings(
        kind="facet_intraarticular", anesthetic_volume_ml=1.0, levels=("L3-L4", "L4-L5", "L5-S1")
    )
    assert LIMIT in codes


ROOTS = dict(kind="transforaminal_epidural", intent="therapeutic", anesthetic_volume_ml=1.0)


def test_two_transforaminal_levels_are_within_the_limit():
    assert LIMIT not in warnings(levels=("L4", "L5"), **ROOTS)[0]


def test_three_transforaminal_levels_pass_the_limit_under_cms():
    assert LIMIT in warnings(levels=("L4", "L5", "S1"), **ROOTS)[0]


@pytest.mark.parametrize("profile", [ASRA, SIS], ids=lambda p: p.name)
def test_three_transforaminal_levels_raise_nothing_outside_cms(profile):
    assert LIMIT not in warnings(profile, levels=("L4", "L5", "S1"), **ROOTS)[0]


def test_two_interlaminar_levels_pass_the_limit_of_one():
    interlaminar = dict(ROOTS, kind="interlaminar_epidural")
    assert LIMIT not in warnings(levels=("L4-L5",), **interlaminar)[0]
    assert LIMIT in warnings(levels=("L4-L5", "L5-S1"), **interlaminar)[0]


def test_a_third_facet_level_in_another_procedure_of_the_same_session_passes_the_limit():
    earlier = block(id=100, side="right", levels=("L4-L5", "L5-S1"))
    codes, _ = warnings(
        id=101,
        side="left",
        levels=("L3-L4",),
        performed_at=day(0).replace(hour=11),
        history=[earlier],
    )
    assert LIMIT in codes


# Sessions per rolling 12 months --------------------------------------------------


def test_a_fourth_diagnostic_facet_session_within_365_days_is_within_the_limit():
    assert LIMIT not in warnings(history=sessions(3))[0]


def test_a_fifth_diagnostic_facet_session_within_365_days_passes_the_limit_under_cms():
    codes, messages = warnings(history=sessions(4))
    assert codes == (LIMIT,)
    assert "5 diagnostic facet sessions" in messages[LIMIT]


@pytest.mark.parametrize("profile", [ASRA, SIS], ids=lambda p: p.name)
def test_a_fifth_diagnostic_facet_session_raises_nothing_outside_cms(profile):
    assert LIMIT not in warnings(profile, history=sessions(4))[0]


def test_sessions_older_than_365_days_do_not_count():
    assert LIMIT not in warnings(history=sessions(4, every_days=100))[0]


def test_procedures_on_the_same_day_are_one_session():
    history = sessions(3) + [block(id=200, performed_at=day(0).replace(hour=8), side="left")]
    assert LIMIT not in warnings(history=history)[0]


def test_sessions_in_another_region_do_not_count():
    history = sessions(4, region="cervical", levels=("C4-C5",))
    assert LIMIT not in warnings(history=history)[0]


def test_intraarticular_and_medial_branch_sessions_count_together():
    history = sessions(2) + sessions(
        2, start_id=300, every_days=31, kind="facet_intraarticular", anesthetic_volume_ml=1.0
    )
    assert LIMIT in warnings(history=history)[0]


RFA = dict(
    kind="radiofrequency_ablation",
    intent="therapeutic",
    anesthetic="none",
    anesthetic_volume_ml=None,
)


def test_a_third_rfa_session_within_365_days_passes_the_limit():
    assert LIMIT not in warnings(history=sessions(1, every_days=150, **RFA), **RFA)[0]
    assert LIMIT in warnings(history=sessions(2, every_days=150, **RFA), **RFA)[0]


def test_a_fifth_epidural_session_within_365_days_passes_the_limit():
    root = dict(ROOTS, levels=("L5",))
    assert LIMIT not in warnings(history=sessions(3, **root), **root)[0]
    assert LIMIT in warnings(history=sessions(4, **root), **root)[0]


def test_a_third_diagnostic_si_session_within_365_days_passes_the_limit():
    si = dict(kind="sacroiliac_joint", levels=("SI",), anesthetic_volume_ml=2.0)
    assert LIMIT not in warnings(history=sessions(1, **si), **si)[0]
    assert LIMIT in warnings(history=sessions(2, **si), **si)[0]


def test_a_fifth_therapeutic_si_session_within_365_days_passes_the_limit():
    si = dict(
        kind="sacroiliac_joint", intent="therapeutic", levels=("SI",), anesthetic_volume_ml=2.0
    )
    assert LIMIT not in warnings(history=sessions(3, **si), **si)[0]
    assert LIMIT in warnings(history=sessions(4, **si), **si)[0]


def test_a_frequency_limit_only_warns_and_never_invalidates():
    reading = interpret_block(block(levels=("L3-L4", "L4-L5", "L5-S1")), CMS, history=sessions(4))
    assert reading.validity == "valid"
    assert reading.response == "positive"
    assert reading.counts_towards_treatment is True
