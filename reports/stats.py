"""Two small statistics, written out rather than imported.

The clinic's evidence table needs a 95 % Wilson score interval for each share and a
Kaplan-Meier median duration of benefit with right censoring. statsmodels gives both
(`proportion_confint(method="wilson")`, `SurvfuncRight`) but pulls in SciPy, a large
dependency for two formulas of a few lines; lifelines pulls in more. These are checked
against published worked values in tests/reports/test_stats.py.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

Z_95 = 1.959963984540054  # the standard normal quantile for a two-sided 95 % interval


def wilson_interval(successes: int, total: int, z: float = Z_95) -> tuple[float, float] | None:
    """The Wilson score interval of successes/total, as proportions 0-1; None when total is 0.

    (p + z²/2n ± z √(p(1-p)/n + z²/4n²)) / (1 + z²/n), Wilson 1927; Newcombe 1998, method 3.
    """
    if total <= 0:
        return None
    if not 0 <= successes <= total:
        raise ValueError("successes must be between 0 and total")
    p = successes / total
    z2 = z * z
    centre = p + z2 / (2 * total)
    spread = z * math.sqrt(p * (1 - p) / total + z2 / (4 * total * total))
    denominator = 1 + z2 / total
    return max(0.0, (centre - spread) / denominator), min(1.0, (centre + spread) / denominator)


def kaplan_meier(durations: Sequence[float], events: Sequence[bool]) -> list[tuple[float, float]]:
    """The Kaplan-Meier estimate of the survival function: [(time, S(t))] at each event time,
    starting at (0, 1). `events[i]` is False for a right-censored duration. At a tie of an
    event and a censoring, the censored subject counts as at risk (the usual convention)."""
    if len(durations) != len(events):
        raise ValueError("durations and events differ in length")
    at_risk = len(durations)
    leaving = Counter(durations)
    deaths = Counter(d for d, e in zip(durations, events, strict=True) if e)
    curve = [(0.0, 1.0)]
    survival = 1.0
    for time in sorted(leaving):
        if deaths[time]:
            survival *= 1 - deaths[time] / at_risk
            curve.append((float(time), survival))
        at_risk -= leaving[time]
    return curve


def km_median(durations: Sequence[float], events: Sequence[bool]) -> float | None:
    """The smallest time at which S(t) <= 0.5; None when the curve never gets there (too
    much censoring) or there is no one."""
    if not durations:
        return None
    for time, survival in kaplan_meier(durations, events):
        if survival <= 0.5 + 1e-12:
            return time
    return None
