"""Wilson intervals and Kaplan-Meier, against published worked values."""

import pytest

from reports.stats import kaplan_meier, km_median, wilson_interval


def rounded(interval, places=4):
    return tuple(round(x, places) for x in interval)


def test_wilson_matches_newcombe_1998_table_i():
    # Newcombe RG, Stat Med 1998;17:857-72, Table I, method 3 (score, no continuity corr.).
    assert rounded(wilson_interval(81, 263)) == (0.2553, 0.3662)
    assert rounded(wilson_interval(15, 148)) == (0.0624, 0.1605)
    assert rounded(wilson_interval(0, 20)) == (0.0, 0.1611)
    assert rounded(wilson_interval(1, 29)) == (0.0061, 0.1718)


def test_wilson_of_nobody_is_none():
    assert wilson_interval(0, 0) is None
    with pytest.raises(ValueError):
        wilson_interval(3, 2)


def test_kaplan_meier_matches_the_textbook_example():
    times = [6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35]
    event = [1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]
    # Gehan's 6-MP leukaemia arm (Freireich 1963): S(t) 0.857, 0.807, 0.753, 0.690, 0.627,
    # 0.538, 0.448 at 6, 7, 10, 13, 16, 22, 23 weeks (Kleinbaum & Klein, Survival Analysis).
    curve = [(t, round(s, 3)) for t, s in kaplan_meier(times, [bool(e) for e in event])]
    assert curve == [
        (0.0, 1.0),
        (6.0, 0.857),
        (7.0, 0.807),
        (10.0, 0.753),
        (13.0, 0.69),
        (16.0, 0.627),
        (22.0, 0.538),
        (23.0, 0.448),
    ]
    assert km_median(times, [bool(e) for e in event]) == 23.0


def test_a_median_not_reached_is_none():
    assert km_median([90, 180, 365], [True, False, False]) is None  # S stays at 2/3
    assert km_median([], []) is None


def test_the_median_of_uncensored_durations():
    assert km_median([14, 30, 90, 180], [True] * 4) == 30.0
