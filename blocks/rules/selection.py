"""Which diagnostic selection led to a treatment (CLINICAL_RULES section 10).

Each treatment is linked to the blocks its suggestion rested on, under every profile that
suggested it, or, done without a suggestion, to the latest blocks of its target; its group
(single/dual, 50/80, concordance) is what the clinic's own evidence compares.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from blocks.rules import vocab
from blocks.rules.comparative import CONCORDANT, DISCORDANT, compare_durations
from blocks.rules.followup import DEVIATION, EPIDURAL_KINDS, TREATMENT_CODE
from blocks.rules.interpretation import interpret_block
from blocks.rules.pathways import is_diagnostic_block, suggest_next_steps, target_of
from blocks.rules.profiles import PROFILES, Profile
from blocks.rules.suggest import Read
from blocks.rules.types import Block


@dataclass(frozen=True)
class Selection:
    based_on: tuple[int, ...]
    profiles_met: tuple[str, ...]
    positive_blocks: int
    lowest_relief_percent: float | None
    group: str
    concordance: str | None = None
    deviation: bool = False
    reads: tuple[Read, ...] = field(default=(), compare=False, repr=False)


def _same_target(treatment: Block, block: Block) -> bool:
    mine, theirs = target_of(treatment), target_of(block)
    if mine.side != theirs.side or set(mine.levels) != set(theirs.levels):
        return False
    if treatment.kind in EPIDURAL_KINDS:
        return theirs.family in ("nerve_root", "epidural")
    return mine.family == theirs.family


def _before(treatment: Block, blocks: Sequence[Block]) -> list[Block]:
    return sorted(
        (b for b in blocks if is_diagnostic_block(b) and b.performed_at < treatment.performed_at),
        key=lambda b: (b.performed_at, b.id or 0),
    )


def selection(
    treatment: Block, blocks: Sequence[Block], profiles: Sequence[Profile] | None = None
) -> Selection:
    """The diagnostic blocks that selected this treatment and the group it falls in.

    `based_on` is what its suggestion rested on under every profile that suggested it
    (`profiles_met`); with no suggestion, the latest (at most two) active blocks of its
    target.
    """
    profiles = list(PROFILES.values()) if profiles is None else list(profiles)
    # Targets are read independently (section 4): only the treatment's own target matters.
    prior = [b for b in _before(treatment, blocks) if _same_target(treatment, b)]
    code = TREATMENT_CODE[treatment.kind]
    met: list[Profile] = []
    based: set[int] = set()
    for profile in profiles:
        for suggestion in suggest_next_steps(prior, profile):
            if (
                suggestion.code == code
                and suggestion.rule != "rfa.repeat"
                and suggestion.side == treatment.side
                and set(suggestion.levels) == set(treatment.levels)
            ):
                met.append(profile)
                based.update(i for i in suggestion.based_on if i is not None)
                break
    own = [b for b in prior if _same_target(treatment, b) and b.anesthetic != vocab.SALINE]
    if based:
        chosen = [b for b in prior if b.id in based]
    else:
        chosen = own[-2:]
    # Positive blocks are counted over the target's blocks (a one-block profile's suggestion
    # rests on one of two positives), read under the most lenient profile met.
    readers = met or profiles
    counted = {b.id: b for b in [*own, *chosen]}.values() if based else chosen
    positives = [
        read
        for read in (_best_read(block, readers) for block in counted)
        if read.reading.validity == "valid" and read.reading.response == "positive"
    ]
    lowest = min((r.reading.relief_percent for r in positives), default=None)
    group, concordance = _group(treatment, met, positives, lowest)
    return Selection(
        based_on=tuple(b.id for b in chosen if b.id is not None),
        profiles_met=tuple(p.name for p in met),
        positive_blocks=len(positives),
        lowest_relief_percent=lowest,
        group=group,
        concordance=concordance,
        deviation=group == DEVIATION,
        reads=tuple(positives),
    )


def _best_read(block: Block, profiles: Sequence[Profile]) -> Read:
    """The block's reading under the first of the profiles that reads it positive."""
    reads = [Read(block, interpret_block(block, p)) for p in profiles]
    for read in reads:
        if read.reading.validity == "valid" and read.reading.response == "positive":
            return read
    return reads[0]


def _group(
    treatment: Block, met: list[Profile], positives: list[Read], lowest: float | None
) -> tuple[str, str | None]:
    if not met or not positives or lowest is None:
        if treatment.kind in EPIDURAL_KINDS:
            return "no-diagnostic-block", None
        return DEVIATION, None
    size = "dual" if len(positives) >= 2 else "single"
    level = "80" if lowest >= 80 else "50"
    group = f"{size}-{level}"
    if group != "dual-80":
        return group, None
    concordance = _concordance(positives)
    return (f"{group}-{concordance}", concordance) if concordance else (group, None)


def _concordance(positives: list[Read]) -> str | None:
    """concordant / discordant when a short and a long agent were compared, else None."""
    shorts = [r for r in positives if r.block.anesthetic in vocab.SHORT_ACTING]
    longs = [r for r in positives if r.block.anesthetic in vocab.LONG_ACTING]
    verdicts = {compare_durations(s, lg) for s in shorts for lg in longs}
    if not verdicts:
        return None
    if DISCORDANT in verdicts:
        return DISCORDANT
    return CONCORDANT if verdicts == {CONCORDANT} else None
