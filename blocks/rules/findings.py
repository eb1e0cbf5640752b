"""Warnings, non-diagnostic reasons and hard stops with the rule and source behind each.

Derived from the codes a reading already holds, on read: the stored readings keep
their shape, and a clinician still sees which rule raised what, and from which
document.
"""

from __future__ import annotations

from dataclasses import dataclass

from blocks.rules.catalogue import rule_for
from blocks.rules.types import Interpretation, Screening


@dataclass(frozen=True)
class Finding:
    code: str
    kind: str  # warning | non_diagnostic | hard_stop
    rule: str
    source: str
    evidence: str  # P | S | L
    message: str


def finding(kind: str, code: str, message: str = "") -> Finding:
    """One code with its rule; ``message`` is the reading's own words, else the rule's."""
    rule = rule_for(kind, code)
    return Finding(
        code=code,
        kind=kind,
        rule=rule.id,
        source=rule.source.text,
        evidence=rule.evidence,
        message=message or rule.message,
    )


def interpretation_findings(reading: Interpretation) -> tuple[Finding, ...]:
    """The warnings, then the non-diagnostic reasons, each in the reading's order."""
    warnings = [
        finding("warning", code, reading.warning_messages.get(code, ""))
        for code in reading.warnings
    ]
    reasons = [
        finding("non_diagnostic", code, _nth(reading.non_diagnostic_reasons, index))
        for index, code in enumerate(reading.non_diagnostic_codes)
    ]
    return (*warnings, *reasons)


def screening_findings(result: Screening) -> tuple[Finding, ...]:
    """The hard stops, then the warnings of one screening."""
    return (
        *(finding("hard_stop", code) for code in result.hard_stops),
        *(finding("warning", code) for code in result.warnings),
    )


def _nth(items: tuple[str, ...], index: int) -> str:
    return items[index] if index < len(items) else ""
