"""Medicare frequency limits (CLINICAL_RULES.md section 7): warnings, never a block."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta

from blocks.rules import vocab
from blocks.rules.profiles import Profile
from blocks.rules.types import Block


def _diagnostic_facet(block: Block) -> bool:
    return block.kind in (vocab.MEDIAL_BRANCH, vocab.FACET_IA) and block.intent == "diagnostic"


def _rfa(block: Block) -> bool:
    return block.kind == vocab.RFA


def _epidural(block: Block) -> bool:
    return block.kind in (vocab.TRANSFORAMINAL, vocab.INTERLAMINAR)


def _si_diagnostic(block: Block) -> bool:
    return block.kind == vocab.SI_JOINT and block.intent == "diagnostic"


def _si_therapeutic(block: Block) -> bool:
    return block.kind == vocab.SI_JOINT and block.intent == "therapeutic"


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
    start = block.performed_at - timedelta(days=limits.rolling_days)
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
    per_session = _levels_per_session(block, limits)
    if per_session is not None and len(block.levels) > per_session:
        messages.append(
            f"{len(block.levels)} levels in one session; Medicare covers {per_session} for "
            f"this kind of procedure."
        )
    return messages


def _levels_per_session(block: Block, limits) -> int | None:
    if block.kind in (vocab.MEDIAL_BRANCH, vocab.FACET_IA, vocab.RFA):
        return limits.facet_levels_per_session
    if block.kind == vocab.TRANSFORAMINAL:
        return limits.transforaminal_levels_per_session
    if block.kind == vocab.INTERLAMINAR:
        return limits.interlaminar_levels_per_session
    return None
