"""Comparative local anaesthetic blocks (Lord, Barnsley, Bogduk).

Read only under a profile whose RFA rule requires concordance: relief must
recur with a short and a long agent, and last longer with the long one.
"""

from __future__ import annotations

from collections.abc import Callable

from blocks.rules import catalogue, vocab
from blocks.rules.profiles import Profile
from blocks.rules.suggest import Read, Target, make_suggestion
from blocks.rules.types import Suggestion

CONCORDANT, DISCORDANT, UNDECIDED = "concordant", "discordant", "undecided"


def compare_durations(short: Read, long: Read) -> str:
    """Concordant when the long agent's relief lasts longer than the short agent's.

    A censored duration is a lower bound: it decides only when the bound
    already settles the comparison.
    """
    s, l_ = short.reading, long.reading
    s_minutes, l_minutes = s.duration_minutes or 0, l_.duration_minutes or 0
    if not s.duration_censored and not l_.duration_censored:
        return CONCORDANT if l_minutes > s_minutes else DISCORDANT
    if l_.duration_censored and not s.duration_censored:
        return CONCORDANT if l_minutes > s_minutes else UNDECIDED
    if s.duration_censored and not l_.duration_censored:
        return DISCORDANT if l_minutes <= s_minutes else UNDECIDED
    return UNDECIDED


def comparative_pairs(positives: list[Read], min_days: int | None) -> list[tuple[Read, Read]]:
    """Every short-agent / long-agent pair of positive blocks far enough apart."""
    shorts = [r for r in positives if r.block.anesthetic in vocab.SHORT_ACTING]
    longs = [r for r in positives if r.block.anesthetic in vocab.LONG_ACTING]
    return [
        (short, long)
        for short in shorts
        for long in longs
        if abs((long.block.performed_at.date() - short.block.performed_at.date()).days)
        >= (min_days or 0)
    ]


def comparative_suggestion(
    target: Target,
    positives: list[Read],
    profile: Profile,
    *,
    confirm: Callable[[Read, str], Suggestion],
) -> Suggestion:
    """RFA when every short/long pair is concordant; otherwise a review, or a confirmation."""
    pairs = comparative_pairs(positives, profile.min_days_between_diagnostic_blocks)
    if not pairs:
        return confirm(positives[0], _why_no_pair(positives))
    verdicts = [(pair, compare_durations(*pair)) for pair in pairs]
    discordant = [pair for pair, verdict in verdicts if verdict == DISCORDANT]
    undecided = [pair for pair, verdict in verdicts if verdict == UNDECIDED]
    if discordant:
        return make_suggestion(
            "physician_review",
            target,
            [read for pair in discordant for read in pair],
            "mbb.comparative.discordant",
            "Comparative blocks are discordant: relief after the long-acting agent did not "
            "last longer than after lidocaine, so the response may be a placebo response.",
            catalogue.COMPARATIVE,
        )
    if undecided:
        return make_suggestion(
            "physician_review",
            target,
            [read for pair in undecided for read in pair],
            "mbb.comparative.undecided",
            "Relief was still present at the last diary score, so the durations of the "
            "comparative blocks cannot be compared; a physician should review the diaries.",
            catalogue.COMPARATIVE,
        )
    chain = [read for pair in pairs for read in pair]
    return make_suggestion(
        "radiofrequency_ablation",
        target,
        chain,
        "mbb.rfa.comparative-concordant",
        "Comparative medial branch blocks are concordant: relief recurred with both a short "
        "and a long-acting agent and lasted longer with the long-acting one; radiofrequency "
        "ablation of these nerves may give longer relief.",
        catalogue.COMPARATIVE,
    )


def _why_no_pair(positives: list[Read]) -> str:
    agents = {r.block.anesthetic in vocab.SHORT_ACTING for r in positives}
    if len(positives) < 2:
        return ""
    if len(agents) == 1:
        return (
            "The positive blocks so far used agents of the same duration class; "
            "comparative blocks need one short- and one long-acting agent."
        )
    return "The short- and long-acting blocks were done on the same day."
