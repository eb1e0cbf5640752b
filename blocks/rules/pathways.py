"""Next steps for one episode (CLINICAL_RULES.md section 4).

Procedures are grouped into targets (kind family, side, set of levels) and
each target is read in time order. One target gets one reason to act on its
latest block; suggestions about other targets stand beside it.
"""

from __future__ import annotations

from collections.abc import Sequence

from blocks.rules import catalogue, vocab
from blocks.rules.facet import facet_suggestions
from blocks.rules.followup import repeat_rfa_benefit
from blocks.rules.interpretation import diary_minimum, interpret_block
from blocks.rules.profiles import Profile
from blocks.rules.suggest import Read, Target, make_suggestion
from blocks.rules.types import Block, Suggestion

FAMILIES = {
    vocab.TRANSFORAMINAL: "nerve_root",
    vocab.INTERLAMINAR: "epidural",
    vocab.MEDIAL_BRANCH: "facet",
    vocab.FACET_IA: "facet",
    vocab.SI_JOINT: "si_joint",
    vocab.DISCOGRAPHY: "disc",
    vocab.RFA: "facet",
}
LEVEL_ORDER = {level: index for index, level in enumerate(vocab.LEVELS)}


def target_of(block: Block) -> Target:
    levels = tuple(sorted(set(block.levels), key=lambda level: LEVEL_ORDER.get(level, 999)))
    return Target(FAMILIES[block.kind], block.side, levels)


def is_diagnostic_block(block: Block) -> bool:
    return vocab.is_diagnostic(block.kind, block.intent)


def _chronological(blocks: Sequence[Block]) -> list[Block]:
    return sorted(blocks, key=lambda b: (b.performed_at, b.id or 0))


def suggest_next_steps(blocks: Sequence[Block], profile: Profile) -> list[Suggestion]:
    """Every suggestion for one episode's procedures under one profile."""
    ordered = _chronological(blocks)
    targets: dict[Target, list[Read]] = {}
    treatments: list[Block] = []
    for block in ordered:
        if is_diagnostic_block(block):
            read = Read(block, interpret_block(block, profile))
            targets.setdefault(target_of(block), []).append(read)
        else:
            treatments.append(block)

    suggestions: list[Suggestion] = []
    for target, reads in targets.items():
        own = _target_suggestions(target, reads, profile)
        for suggestion in own:
            if not _already_treated(suggestion, target, treatments, since=reads[-1].block):
                suggestions.append(suggestion)
        for suggestion, since in _earned_beside(target, reads, profile, own):
            if not _already_treated(suggestion, target, treatments, since=since):
                suggestions.append(suggestion)
    suggestions += _repeat_rfa_suggestions(treatments, profile)
    return suggestions


def _target_suggestions(target: Target, reads: list[Read], profile: Profile) -> list[Suggestion]:
    latest = reads[-1]
    first_reason = _latest_block_precedence(target, latest, profile)
    if first_reason is not None:
        return [first_reason]

    active = [r for r in reads if r.block.anesthetic != vocab.SALINE]
    valid = [r for r in active if r.reading.validity == "valid"]
    positives = [r for r in valid if r.reading.response == "positive"]
    negatives = [r for r in valid if r.reading.response == "negative"]
    if positives and negatives:
        return [
            make_suggestion(
                "physician_review",
                target,
                positives + negatives,
                "target.conflicting-results",
                "A positive and a negative valid block on the same target disagree: a "
                "physician should review them before anything else is done.",
                catalogue.SEED,
            )
        ]

    placebo = [
        r
        for r in reads
        if r.block.anesthetic == vocab.SALINE
        and r.reading.validity == "valid"
        and r.reading.response == "positive"
    ]
    if placebo:
        return [
            make_suggestion(
                "physician_review",
                target,
                placebo,
                "block.placebo-response",
                "Pain was relieved after a saline (placebo) injection: the blocks of this "
                "target cannot be trusted without a physician's review.",
                catalogue.COMPARATIVE,
            )
        ]

    if not active:
        return []
    if active[-1].reading.validity != "valid":
        # The latest block was a saline control; the active block before it is unread.
        reason = _latest_block_precedence(target, active[-1], profile)
        return [reason] if reason is not None else []
    return _response_suggestions(target, valid, active[-1], profile)


_FACET_TREATMENT_OF = {
    vocab.MEDIAL_BRANCH: "radiofrequency_ablation",
    vocab.FACET_IA: "therapeutic_facet_injection",
}


def _earned_beside(
    target: Target, reads: list[Read], profile: Profile, own: list[Suggestion]
) -> list[tuple[Suggestion, Block]]:
    """Facet treatments earned by the other kind of block of the same joints, kept.

    Medial branch blocks count only towards RFA and intra-articular blocks only
    towards a therapeutic injection, so a later block of one kind neither removes
    what the other earned nor is removed by it; only a conflict on the target
    (or relief after saline) takes an earned suggestion away (section 4). Each
    comes with the block a later treatment must follow to settle it.
    """
    if target.family != "facet" or _conflicted(reads):
        return []
    latest_kind = reads[-1].block.kind
    shown = {s.code for s in own}
    earned = []
    for kind, code in _FACET_TREATMENT_OF.items():
        of_kind = [r for r in reads if r.block.kind == kind]
        if kind == latest_kind or not of_kind or code in shown:
            continue
        earned += [
            (suggestion, of_kind[-1].block)
            for suggestion in _target_suggestions(target, of_kind, profile)
            if suggestion.code == code
        ]
    return earned


def _conflicted(reads: list[Read]) -> bool:
    """A positive and a negative valid block, or relief after saline, on one target."""
    valid = [r for r in reads if r.reading.validity == "valid"]
    placebo = any(
        r.block.anesthetic == vocab.SALINE and r.reading.response == "positive" for r in valid
    )
    active = [r for r in valid if r.block.anesthetic != vocab.SALINE]
    responses = {r.reading.response for r in active}
    return placebo or {"positive", "negative"} <= responses


def _latest_block_precedence(target: Target, latest: Read, profile: Profile) -> Suggestion | None:
    """The specific reasons that settle a target on its latest block alone."""
    reading = latest.reading
    if reading.response == "non_diagnostic":
        return make_suggestion(
            "repeat_block",
            target,
            [latest],
            "block.technique.non-diagnostic",
            "The latest block was not diagnostic: " + " ".join(reading.non_diagnostic_reasons),
            catalogue.ASRA_TECHNIQUE,
        )
    if latest.block.kind == vocab.DISCOGRAPHY:
        return _discography_precedence(target, latest, profile)
    if "diary_incomplete" in reading.warnings:
        return _diary_incomplete_suggestion(target, latest, profile)
    if reading.response != "indeterminate":
        return None
    if not latest.block.pain_scores:
        return make_suggestion(
            "record_post_block_scores",
            target,
            [latest],
            "block.scores.missing",
            "No pain score after the block has been recorded; record the post-block diary "
            "so the block can be read.",
            catalogue.SEED,
        )
    if latest.block.pre_pain is not None and latest.block.pre_pain < profile.baseline_at_least:
        return make_suggestion(
            "repeat_block",
            target,
            [latest],
            "block.baseline.too-low",
            f"Pain before the block was {latest.block.pre_pain}/10, too low to read relief "
            f"(at least {profile.baseline_at_least}/10 needed): repeat the block when the "
            "index pain is present.",
            catalogue.LOCAL,
        )
    return make_suggestion(
        "record_post_block_scores",
        target,
        [latest],
        "block.scores.outside-window",
        " ".join(reading.reasons) + " Record the diary scores taken inside the window.",
        catalogue.LOCAL,
    )


def _diary_incomplete_suggestion(target: Target, latest: Read, profile: Profile) -> Suggestion:
    """An unfinished diary is read when it goes further, not judged short (section 2)."""
    until = diary_minimum(latest.block, profile)
    return make_suggestion(
        "record_post_block_scores",
        target,
        [latest],
        "block.diary.incomplete",
        f"Relief was still present at the last diary score, before the {until} minutes "
        f"expected of {latest.block.anesthetic}: record the diary up to {until} minutes "
        "after the block so it can be read.",
        catalogue.DIARY_MINIMUM,
        until_minutes=until,
    )


def _discography_precedence(target: Target, latest: Read, profile: Profile) -> Suggestion | None:
    reading = latest.reading
    if reading.response != "indeterminate":
        return None
    if len(latest.block.discs) < profile.discography_min_discs:
        return make_suggestion(
            "repeat_block",
            target,
            [latest],
            "disc.too-few-discs",
            f"Fewer than {profile.discography_min_discs} discs were injected, so a painful "
            "disc cannot be told from a painless one.",
            catalogue.DISCOGRAPHY,
        )
    return make_suggestion(
        "physician_review",
        target,
        [latest],
        "disc.no-negative-control",
        "A disc was positive but no disc served as a negative control: a physician should "
        "review the study.",
        catalogue.DISCOGRAPHY,
    )


def _response_suggestions(
    target: Target, valid: list[Read], latest: Read, profile: Profile
) -> list[Suggestion]:
    response = latest.reading.response
    if response == "partial":
        return [
            make_suggestion(
                "physician_review",
                target,
                [latest],
                "block.response.partial",
                f"Relief of {latest.reading.relief_percent:.1f} % is partial: neither "
                "confirms nor excludes this target.",
                catalogue.SEED,
            )
        ]
    if response == "negative":
        what = "disc" if target.family == "disc" else "nerve, joint or disc"
        return [
            make_suggestion(
                "evaluate_other_source",
                target,
                [latest],
                "block.response.negative",
                f"The block gave little relief: this {what} is not the primary source of "
                "pain; look for another source.",
                catalogue.DISCOGRAPHY if target.family == "disc" else catalogue.SEED,
            )
        ]
    if target.family in ("nerve_root", "epidural"):
        return [
            make_suggestion(
                "therapeutic_epidural_injection",
                target,
                [latest],
                "root.positive.therapeutic-epidural",
                "Near-complete relief from a selective nerve block: this nerve is the "
                "primary source of pain; a therapeutic epidural injection may help.",
                catalogue.SEED,
            )
        ]
    if target.family == "si_joint":
        return [
            make_suggestion(
                "therapeutic_si_injection",
                target,
                [latest],
                "si.positive.therapeutic-injection",
                f"The SI joint block relieved at least {profile.si_joint_positive_percent:g} % "
                "of the pain: the joint is the source; a therapeutic injection with a steroid "
                "may give lasting relief.",
                catalogue.SI_SOURCE,
            )
        ]
    if target.family == "disc":
        return [_discography_suggestion(target, latest)]
    return facet_suggestions(target, valid, latest, profile)


def _discography_suggestion(target: Target, latest: Read) -> Suggestion:
    positive_levels = tuple(d.level for d in latest.reading.discs if d.result == "positive")
    if latest.block.surgery_considered:
        return make_suggestion(
            "surgical_evaluation",
            target,
            [latest],
            "disc.surgical-evaluation",
            f"Discography found concordant pain at {', '.join(positive_levels)} with a negative "
            "control disc, and surgery is being considered: refer for surgical evaluation.",
            catalogue.DISCOGRAPHY,
            levels=positive_levels,
        )
    return make_suggestion(
        "physician_review",
        target,
        [latest],
        "disc.surgery-not-considered",
        f"Discography was positive at {', '.join(positive_levels)} although surgery is not "
        "being considered: a physician should decide what the result changes.",
        catalogue.DISCOGRAPHY,
        levels=positive_levels,
    )


_TREATMENT_FOR = {
    "radiofrequency_ablation": (vocab.RFA,),
    "therapeutic_facet_injection": (vocab.FACET_IA,),
    "therapeutic_epidural_injection": (vocab.TRANSFORAMINAL, vocab.INTERLAMINAR),
    "therapeutic_si_injection": (vocab.SI_JOINT,),
}


def _already_treated(
    suggestion: Suggestion, target: Target, treatments: list[Block], *, since: Block
) -> bool:
    """A treatment of the same target done after its latest block settles the suggestion."""
    kinds = _TREATMENT_FOR.get(suggestion.code)
    if kinds is None:
        return False
    return any(
        block.kind in kinds
        and block.side == target.side
        and set(block.levels) == set(target.levels)
        and block.performed_at > since.performed_at
        for block in treatments
    )


def _repeat_rfa_suggestions(treatments: list[Block], profile: Profile) -> list[Suggestion]:
    """rfa.repeat: the last ablation of a target relieved at least the profile's level for at
    least its period, and the pain has returned (the benefit is not censored).

    Follow-ups after the ablation are read when there are any (section 10); otherwise the
    ablation's own diary points, as before. Never before the period has passed.
    """
    latest_rfa: dict[Target, Block] = {}
    for block in treatments:
        if block.kind == vocab.RFA:
            latest_rfa[target_of(block)] = block
    suggestions = []
    for target, block in latest_rfa.items():
        reading = interpret_block(block, profile)
        lasted_days = _repeat_benefit_days(block, reading, profile)
        if lasted_days is None:
            continue
        suggestions.append(
            make_suggestion(
                "radiofrequency_ablation",
                target,
                [Read(block, reading)],
                "rfa.repeat",
                f"The previous ablation relieved at least "
                f"{profile.repeat_rfa_relief_at_least_percent:g} % of the pain for "
                f"{lasted_days} days (at least {profile.repeat_rfa_lasting_days} "
                "needed) and the pain has returned: a repeat ablation may be offered without "
                "repeating the diagnostic blocks.",
                catalogue.REPEAT_RFA[profile.name],
            )
        )
    return suggestions


def _repeat_benefit_days(block: Block, reading, profile: Profile) -> int | None:
    """Days the ablation's benefit lasted before the pain returned, when long enough."""
    if block.follow_ups:
        days, censored = repeat_rfa_benefit(block, profile)
        if days is None or censored or days < profile.repeat_rfa_lasting_days:
            return None
        return days
    lasted = reading.duration_minutes or 0
    if (
        reading.validity != "valid"
        or reading.duration_censored
        or lasted < profile.repeat_rfa_lasting_days * 24 * 60
    ):
        return None
    return lasted // (24 * 60)
