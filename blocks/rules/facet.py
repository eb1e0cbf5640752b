"""Facet joint pathways: medial branch blocks to RFA, intra-articular blocks to a
therapeutic injection (CLINICAL_RULES.md sections 3 and 4)."""

from __future__ import annotations

from blocks.rules import catalogue, vocab
from blocks.rules.comparative import comparative_suggestion
from blocks.rules.dates import days_after
from blocks.rules.profiles import Profile
from blocks.rules.suggest import Read, Target, make_suggestion
from blocks.rules.types import Block, Suggestion


def facet_suggestions(
    target: Target, valid: list[Read], latest: Read, profile: Profile
) -> list[Suggestion]:
    kind = latest.block.kind
    if not latest.reading.counts_towards_treatment:
        return [
            make_suggestion(
                "physician_review",
                target,
                [latest],
                "facet.duration-inconsistent",
                "Relief was high enough but did not last as long as the anaesthetic acts: "
                "the block does not count towards treatment; a physician should decide "
                "whether to repeat it.",
                catalogue.MEDICARE_FACET,
            )
        ]
    # An unfinished diary is not compared or counted until it goes further (section 2).
    same_kind = [
        r
        for r in valid
        if r.block.kind == kind
        and r.reading.response == "positive"
        and "diary_incomplete" not in r.reading.warnings
    ]
    if kind == vocab.MEDIAL_BRANCH and profile.rfa_requires_concordance:
        return [
            comparative_suggestion(
                target,
                same_kind,
                profile,
                confirm=lambda first, why_not_yet: confirmatory_suggestion(
                    target, first, why_not_yet, profile
                ),
            )
        ]
    counting = [r for r in same_kind if r.reading.counts_towards_treatment]
    if kind == vocab.MEDIAL_BRANCH:
        needed = profile.medial_branch_blocks_before_rfa
    else:
        needed = profile.facet_intraarticular_blocks_before_therapeutic
    chain = spaced_chain(counting, needed, profile.min_days_between_diagnostic_blocks)
    if len(chain) >= needed:
        return [treatment_suggestion(target, kind, chain, profile)]
    days = profile.min_days_between_diagnostic_blocks
    too_soon = (
        f"A later positive block came less than {days} days after it and cannot confirm it."
        if len(chain) < len(counting)
        else ""
    )
    return [confirmatory_suggestion(target, counting[0], too_soon, profile)]


def spaced_chain(reads: list[Read], needed: int, min_days: int | None) -> list[Read]:
    """The earliest blocks, each at least ``min_days`` after the one before, up to ``needed``."""
    chain: list[Read] = []
    for read in reads:
        if len(chain) == needed:
            break
        if not chain or _days_between(chain[-1].block, read.block) >= (min_days or 0):
            chain.append(read)
    return chain


def _days_between(earlier: Block, later: Block) -> int:
    return (later.performed_at.date() - earlier.performed_at.date()).days


def treatment_suggestion(
    target: Target, kind: str, chain: list[Read], profile: Profile
) -> Suggestion:
    count = len(chain)
    if kind == vocab.MEDIAL_BRANCH:
        return make_suggestion(
            "radiofrequency_ablation",
            target,
            chain,
            "mbb.rfa.dual-block" if count > 1 else "mbb.rfa.single-block",
            f"{_blocks_words(count)} medial branch block{'s' if count > 1 else ''} gave at "
            f"least {profile.medial_branch_positive_percent:g} % relief"
            f"{_consistency_words(profile)}: the medial branches carry the pain; "
            "radiofrequency ablation of these nerves may give longer relief.",
            catalogue.RFA_SOURCE_BY_PROFILE[profile.name],
        )
    return make_suggestion(
        "therapeutic_facet_injection",
        target,
        chain,
        "facet-ia.therapeutic",
        f"{_blocks_words(count)} intra-articular facet block{'s' if count > 1 else ''} "
        f"relieved at least {profile.facet_intraarticular_positive_percent:g} % of the pain: "
        "a therapeutic steroid injection into the joint may give lasting relief.",
        catalogue.RFA_SOURCE_BY_PROFILE[profile.name],
    )


def _blocks_words(count: int) -> str:
    return {1: "One", 2: "Two", 3: "Three"}.get(count, str(count))


def _consistency_words(profile: Profile) -> str:
    if profile.duration_consistent_with_agent_required:
        days = profile.min_days_between_diagnostic_blocks
        return f", lasting as long as each agent acts, at least {days} days apart"
    return ""


def other_duration_class(anesthetic: str) -> str:
    return vocab.BUPIVACAINE if anesthetic in vocab.SHORT_ACTING else vocab.LIDOCAINE


def confirmatory_suggestion(
    target: Target, first: Read, why_not_yet: str, profile: Profile
) -> Suggestion:
    days = profile.min_days_between_diagnostic_blocks or 0
    earliest = days_after(first.block.performed_at.date(), days)
    agent = other_duration_class(first.block.anesthetic)
    kind_words = (
        "medial branch block"
        if first.block.kind == vocab.MEDIAL_BRANCH
        else "intra-articular facet block"
    )
    return make_suggestion(
        "confirmatory_block",
        target,
        [first],
        "mbb.confirmatory-block"
        if first.block.kind == vocab.MEDIAL_BRANCH
        else "facet-ia.confirmatory-block",
        (
            f"One positive {kind_words}; {profile.name} needs a second, confirmatory block with "
            f"{agent} on or after {earliest.isoformat()} ({days} days after the first). "
            + why_not_yet
        ).strip(),
        catalogue.RFA_SOURCE_BY_PROFILE[profile.name],
        earliest_date=earliest,
        anesthetic=agent,
    )
