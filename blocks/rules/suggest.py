"""Targets, and suggestions built for them (CLINICAL_RULES.md section 4)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from blocks.rules.catalogue import Source
from blocks.rules.types import Block, Interpretation, Suggestion


@dataclass(frozen=True)
class Target:
    family: str
    side: str
    levels: tuple[str, ...]


@dataclass(frozen=True)
class Read:
    """A block with its reading under the profile."""

    block: Block
    reading: Interpretation

    @property
    def id(self) -> int | None:
        return self.block.id


def make_suggestion(
    code: str,
    target: Target,
    based_on: Sequence[Read],
    rule: str,
    rationale: str,
    source: Source,
    **extra,
) -> Suggestion:
    ids = tuple(sorted({r.id for r in based_on if r.id is not None}))
    return Suggestion(
        code=code,
        levels=extra.pop("levels", target.levels),
        side=target.side,
        based_on=ids,
        rule=rule,
        rationale=rationale,
        source=str(source),
        **extra,
    )
