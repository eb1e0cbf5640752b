"""Medicare frequency limits (CLINICAL_RULES.md section 7): warnings, never a block."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from blocks.rules import vocab
from blocks.rules.dates import days_before
from blocks.rules.profiles import Profile
from blocks.rules.types import Block


def _diagnostic(block: Block) -> bool:
    return vocab.is_diagnostic(block.kind, block.intent)


def _diagnostic_facet(block: Block) -> bool:
    return block.kind in (vocab.MEDIAL_BRANCH, vocab.FACET_IA) and _diagnostic(block)


def _rfa(block: Block) -> bool:
    return block.kind == vocab.RFA


def _epidural(block: Block) -> bool:
    return block.kind in (vocab.TRANSFORAMINAL, vocab.INTERLAMINAR)


def _si_diagnostic(block: Block) -> bool:
    return block.kind == vocab.SI_JOINT and _diagnostic(block)


def _si_therapeutic(block: Block) -> bool:
    return block.kind == vocab.SI_JOINT and not _diagnostic(block)


# (category test, limits attribute, words, whether the region must match)
_SESSION_LIMITS: tuple[tuple[Callable[[Block], bool], str, str, bool], ...] = (
    (_diagnostic_facet, "diagnostic_facet_sessions", "diagnostic facet sessions", True),
    (_rfa, "rfa_sessions", "RFA sessions", True),
    (_epidural, "epidural_sessions", "epidural sessions", True),
    (_si_diagnostic, "si_diagnostic_sessions", "diagnostic SI joint sessions", False),
    (_si_therapeutic, "si_therapeutic_sessions", "therapeutic SI joint sessions", False),
)


def frequency_limit_messages(block: Block, history: Sequence[Block], profile: Profile) -> list[str]:
    """Plain-language messages for each limit this procedure passes."""
    limits = profile.frequency_limits
    if limits is None:
        return []
    messages = []
    start = days_before(block.performed_at, limits.rolling_days)
    for belongs, attribute, words, same_region in _SESSION_LIMITS:
        if not belongs(block):
            continue
        session_dates = {
            other.performed_at.date()
            for other in (*history, block)
            if belongs(other)
            and other is not block
            and (block.id is None or other.id != block.id)
            and start < other.performed_at <= block.performed_at
            and (not same_region or other.region == block.region)
        } | {block.performed_at.date()}
        allowed = getattr(limits, attribute)
        if len(session_dates) > allowed:
            messages.append(
                f"{len(session_dates)} {words} in the {block.region} region within "
                f"{limits.rolling_days} days; Medicare covers {allowed}."
            )
    level_limit = _LEVEL_LIMITS.get(block.kind)
    if level_limit is not None:
        kinds, attribute = level_limit
        # One session is one day: levels of the same family done that day add up,
        # whatever the side (a bilateral level is one level).
        levels = {
            level
            for other in (*history, block)
            if other.kind in kinds
            and other.performed_at.date() == block.performed_at.date()
            and other.region == block.region
            for level in other.levels
        }
        allowed = getattr(limits, attribute)
        if len(levels) > allowed:
            messages.append(
                f"{len(levels)} levels ({', '.join(sorted(levels))}) in one session; "
                f"Medicare covers {allowed} for this kind of procedure."
            )
    return messages


_FACET_KINDS = (vocab.MEDIAL_BRANCH, vocab.FACET_IA)
_LEVEL_LIMITS = {
    vocab.MEDIAL_BRANCH: (_FACET_KINDS, "facet_levels_per_session"),
    vocab.FACET_IA: (_FACET_KINDS, "facet_levels_per_session"),
    vocab.RFA: ((vocab.RFA,), "facet_levels_per_session"),
    vocab.TRANSFORAMINAL: ((vocab.TRANSFORAMINAL,), "transforaminal_levels_per_session"),
    vocab.INTERLAMINAR: ((vocab.INTERLAMINAR,), "interlaminar_levels_per_session"),
}


_LEVEL_WORDS = (
    ("facet_levels_per_session", "facet levels (medial branch and intra-articular together; RFA)"),
    ("transforaminal_levels_per_session", "transforaminal levels"),
    ("interlaminar_levels_per_session", "interlaminar levels"),
)


def limit_lines(profile: Profile) -> list[str]:
    """The profile's limits in words, for the rules page (empty when it sets none)."""
    limits = profile.frequency_limits
    if limits is None:
        return []
    sessions = [
        f"{words[0].upper()}{words[1:]} {'per region ' if same_region else ''}within "
        f"{limits.rolling_days} days: at most {getattr(limits, attribute)}."
        for _, attribute, words, same_region in _SESSION_LIMITS
    ]
    levels = [
        f"{words[0].upper()}{words[1:]} in one session: at most {getattr(limits, attribute)}."
        for attribute, words in _LEVEL_WORDS
    ]
    return sessions + levels
