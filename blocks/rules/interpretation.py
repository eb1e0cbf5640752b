"""What one block shows (CLINICAL_RULES.md section 2; discography from section 4).

Order of reading: technique decides validity; then the diary decides relief,
duration and response. Discography has no relief reading and is read disc by
disc instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from blocks.rules import vocab
from blocks.rules.catalogue import WARNING_MESSAGES
from blocks.rules.discography import read_discography
from blocks.rules.frequency import frequency_limit_messages
from blocks.rules.profiles import Profile
from blocks.rules.screening import screen
from blocks.rules.types import Block, DiaryScore, Interpretation


@dataclass(frozen=True)
class Relief:
    """The relief reading of one diary: peak inside the window, duration over all points."""

    percent: float | None
    peak_minutes: int | None
    duration_minutes: int | None
    duration_censored: bool
    in_window_scores: int


def relief_percent(pre_pain: int, post_pain: int) -> float:
    return (pre_pain - post_pain) / pre_pain * 100


def evaluation_window(block: Block, profile: Profile) -> tuple[int, int] | None:
    """The minutes in which the agent's effect sets the peak; None means every point."""
    if block.kind == vocab.RFA:
        return None
    window = profile.evaluation_windows.get(block.anesthetic)
    if window is None:
        return None
    return window.start_minutes, window.end_minutes


def positive_threshold(block: Block, profile: Profile) -> float:
    if block.kind == vocab.RFA:
        return profile.repeat_rfa_relief_at_least_percent
    return profile.positive_threshold(block.kind)


def read_relief(block: Block, profile: Profile) -> Relief:
    """Peak relief inside the evaluation window and the duration of relief."""
    scores = sorted(block.pain_scores, key=lambda s: s.minutes_after)
    window = evaluation_window(block, profile)
    in_window = [s for s in scores if window is None or window[0] <= s.minutes_after <= window[1]]
    pre = block.pre_pain
    if not in_window or not pre:
        return Relief(None, None, None, False, len(in_window))
    lowest = min(in_window, key=lambda s: (s.score, s.minutes_after))
    duration, censored = relief_duration(scores, pre, positive_threshold(block, profile))
    return Relief(
        percent=relief_percent(pre, lowest.score),
        peak_minutes=lowest.minutes_after,
        duration_minutes=duration,
        duration_censored=censored,
        in_window_scores=len(in_window),
    )


def relief_duration(
    scores: Sequence[DiaryScore], pre_pain: int, threshold_percent: float
) -> tuple[int | None, bool]:
    """Minutes to the last point of the first unbroken run at or above the threshold.

    Every diary point counts, also those after the evaluation window. When the
    run reaches the last diary point the relief may have gone on: censored.
    """
    run_end: int | None = None
    for index, score in enumerate(scores):
        at_threshold = relief_percent(pre_pain, score.score) >= threshold_percent
        if at_threshold:
            run_end = score.minutes_after
            if index == len(scores) - 1:
                return run_end, True
        elif run_end is not None:
            return run_end, False
    return None, False


def technique_problems(block: Block, profile: Profile) -> dict[str, str]:
    """Why the technique makes the block non-diagnostic, by reason code (empty when sound)."""
    problems = {}
    if not _guidance_is_valid(block, profile):
        code = "guidance_not_accepted" if block.guidance == "ultrasound" else "no_image_guidance"
        problems[code] = _guidance_reason(block, profile)
    if block.contrast_used and not block.contrast_flow_confirmed:
        problems["contrast_flow_not_confirmed"] = (
            "Contrast was used but its flow was not confirmed before the medication was given."
        )
    if block.sedation in profile.sedation_invalidates:
        what = (
            "General anaesthesia"
            if block.sedation == "general"
            else (f"{block.sedation.capitalize()} sedation")
        )
        problems[f"sedation_{block.sedation}"] = (
            f"{what} blunts the patient's report of pain; "
            f"under {profile.name} it makes the block non-diagnostic."
        )
    return problems


def _is_cervical(block: Block) -> bool:
    return block.region == "cervical" or all(level.startswith("C") for level in block.levels)


def _guidance_is_valid(block: Block, profile: Profile) -> bool:
    if block.guidance in ("fluoroscopy", "ct"):
        return True
    return (
        block.guidance == "ultrasound"
        and block.kind == vocab.MEDIAL_BRANCH
        and _is_cervical(block)
        and profile.ultrasound_valid_for_cervical_medial_branch
    )


def _guidance_reason(block: Block, profile: Profile) -> str:
    if block.guidance == "ultrasound":
        return (
            f"Ultrasound guidance is not accepted for this block under {profile.name} "
            "(fluoroscopy or CT is required)."
        )
    return "The block was done without image guidance (fluoroscopy or CT is required)."


def technique_warnings(block: Block, profile: Profile) -> list[str]:
    warnings = []
    if not block.contrast_used:
        warnings.append("no_contrast")
    if _high_volume(block, profile):
        warnings.append("high_volume")
    if block.steroid != "none" and _is_diagnostic(block):
        warnings.append("steroid_in_diagnostic_block")
    if block.sedation in profile.sedation_warns:
        warnings.append("moderate_sedation")
    if (
        block.kind == vocab.TRANSFORAMINAL
        and block.steroid in vocab.PARTICULATE_STEROIDS
        and _is_cervical(block)
    ):
        warnings.append("particulate_steroid_cervical_transforaminal")
    if block.kind == vocab.DISCOGRAPHY and not block.surgery_considered:
        warnings.append("surgery_not_considered")
    return warnings


def _high_volume(block: Block, profile: Profile) -> bool:
    volume = block.anesthetic_volume_ml
    if volume is None:
        return False
    if block.kind == vocab.MEDIAL_BRANCH:
        return volume > profile.medial_branch_high_volume_above_ml
    if block.kind == vocab.FACET_IA:
        return volume >= profile.intraarticular_high_volume_at_least_ml
    return False


def _is_diagnostic(block: Block) -> bool:
    return vocab.is_diagnostic(block.kind, block.intent)


def duration_requirement(block: Block, profile: Profile) -> int | None:
    """Minimum minutes of relief the agent must give, where the profile asks for it."""
    if not profile.duration_consistent_with_agent_required:
        return None
    return _agent_minimum(block, profile)


def diary_minimum(block: Block, profile: Profile) -> int | None:
    """The minute a still-positive diary must reach before the block can be read.

    Every profile whose reading needs the duration: ``cms-2021`` through the
    agent's minimum, ``sis-controlled`` through concordance; not ``asra-2020``
    (CLINICAL_RULES.md section 2).
    """
    if not (profile.duration_consistent_with_agent_required or profile.rfa_requires_concordance):
        return None
    return _agent_minimum(block, profile)


def _agent_minimum(block: Block, profile: Profile) -> int | None:
    if block.kind not in (vocab.MEDIAL_BRANCH, vocab.FACET_IA) or not _is_diagnostic(block):
        return None
    return profile.min_duration_minutes.get(block.anesthetic)


def interpret_block(
    block: Block, profile: Profile, *, history: Sequence[Block] = ()
) -> Interpretation:
    """Read one procedure under one guideline profile.

    ``history`` holds the patient's other procedures; it only feeds the
    frequency limits of section 7.
    """
    warnings = technique_warnings(block, profile)
    warnings += screen(
        block.contraindications, contrast_used=block.contrast_used, steroid=block.steroid
    ).warnings
    messages = {code: WARNING_MESSAGES[code] for code in warnings}
    limits = frequency_limit_messages(block, history, profile)
    if limits:
        warnings.append("frequency_limit")
        messages["frequency_limit"] = " ".join(limits)
    problems = technique_problems(block, profile)

    if block.kind == vocab.DISCOGRAPHY:
        reading = read_discography(block, profile, list(problems.values()))
        return Interpretation(
            profile=profile.name,
            relief_percent=None,
            response=reading.response,
            validity=reading.validity,
            duration_minutes=None,
            duration_censored=False,
            warnings=tuple(warnings),
            reasons=tuple(reading.reasons),
            discs=reading.discs,
            counts_towards_treatment=False,
            non_diagnostic_reasons=tuple(problems.values()),
            non_diagnostic_codes=tuple(problems),
            warning_messages=messages,
        )
    return _interpret_relief_block(block, profile, warnings, messages, problems)


def _interpret_relief_block(
    block: Block,
    profile: Profile,
    warnings: list[str],
    messages: dict[str, str],
    problems: dict[str, str],
) -> Interpretation:
    threshold = positive_threshold(block, profile)
    baseline_too_low = block.pre_pain is not None and block.pre_pain < profile.baseline_at_least
    relief = Relief(None, None, None, False, 0) if baseline_too_low else read_relief(block, profile)
    reasons: list[str] = []
    counts = False

    if relief.percent is not None and relief.percent < 0:
        warnings.insert(0, "increased_pain")
        messages["increased_pain"] = WARNING_MESSAGES["increased_pain"]

    if problems:
        validity = response = "non_diagnostic"
        reasons += problems.values()
    elif not block.pain_scores:
        validity = response = "indeterminate"
        reasons.append("No post-block pain score has been recorded.")
    elif block.pre_pain is None:
        validity = response = "indeterminate"
        reasons.append("No pre-block pain score was recorded, so relief cannot be read.")
    elif baseline_too_low:
        validity = response = "indeterminate"
        reasons.append(
            f"Pain before the block was {block.pre_pain}/10, below "
            f"{profile.baseline_at_least}/10: relief cannot be read."
        )
    elif relief.percent is None:
        validity = response = "indeterminate"
        start, end = evaluation_window(block, profile) or (0, 0)
        reasons.append(
            f"No pain score was recorded within the {block.anesthetic} evaluation window "
            f"({start}-{end} minutes after the block)."
        )
    else:
        validity = "valid"
        response = _response(relief.percent, threshold, profile)
        reasons.append(_relief_reason(block, relief, threshold, response))
        counts = response == "positive" and _is_diagnostic(block)
        if response == "positive" and block.anesthetic == vocab.SALINE:
            counts = False
            reasons.append(
                "Relief followed a saline (placebo) injection: it cannot count towards "
                "treatment and needs a physician's review."
            )
        minimum = duration_requirement(block, profile)
        until = diary_minimum(block, profile)
        if response == "positive" and until is not None and _unfinished(relief, until):
            counts = False
            warnings.append("diary_incomplete")
            messages["diary_incomplete"] = WARNING_MESSAGES["diary_incomplete"]
            reasons.append(
                f"Relief was still present at the last diary score "
                f"({_duration_words(relief)}); the diary must reach {until} minutes "
                f"before this {block.anesthetic} block can be read under {profile.name}."
            )
        elif response == "positive" and minimum is not None and not _lasted(relief, minimum):
            counts = False
            warnings.append("duration_inconsistent_with_agent")
            messages["duration_inconsistent_with_agent"] = WARNING_MESSAGES[
                "duration_inconsistent_with_agent"
            ]
            reasons.append(
                f"Relief lasted {_duration_words(relief)}, less than the {minimum} minutes "
                f"expected of {block.anesthetic} under {profile.name}."
            )

    if validity == "valid" and _rests_on_late(block, relief, threshold):
        warnings.append("late_diary_entry")
        messages["late_diary_entry"] = WARNING_MESSAGES["late_diary_entry"]

    return Interpretation(
        profile=profile.name,
        relief_percent=relief.percent,
        response=response,
        validity=validity,
        duration_minutes=relief.duration_minutes,
        duration_censored=relief.duration_censored,
        warnings=tuple(warnings),
        reasons=tuple(reasons),
        peak_minutes=relief.peak_minutes,
        positive_threshold_percent=threshold,
        counts_towards_treatment=counts,
        non_diagnostic_reasons=tuple(problems.values()),
        non_diagnostic_codes=tuple(problems),
        warning_messages=messages,
    )


def _rests_on_late(block: Block, relief: Relief, threshold: float) -> bool:
    """Whether the peak score, or a score of the first run of relief, was entered late."""
    scores = sorted(block.pain_scores, key=lambda s: s.minutes_after)
    if not any(s.late for s in scores) or not block.pre_pain:
        return False
    if any(s.late and s.minutes_after == relief.peak_minutes for s in scores):
        return True
    in_run = False
    for score in scores:
        if relief_percent(block.pre_pain, score.score) >= threshold:
            in_run = True
            if score.late:
                return True
        elif in_run:
            return score.late  # the score that ended the run sets the duration too
    return False


def _response(percent: float, threshold: float, profile: Profile) -> str:
    if percent >= threshold:
        return "positive"
    if percent < profile.little_relief_below_percent:
        return "negative"
    return "partial"


def _lasted(relief: Relief, minimum: int) -> bool:
    # A censored duration already at the minimum is consistent.
    return relief.duration_minutes is not None and relief.duration_minutes >= minimum


def _unfinished(relief: Relief, minimum: int) -> bool:
    """Relief still present at the last diary point, short of the minimum: the diary
    stopped, not the block (CLINICAL_RULES.md section 2)."""
    return relief.duration_censored and not _lasted(relief, minimum)


def _duration_words(relief: Relief) -> str:
    if relief.duration_minutes is None:
        return "less than one diary interval"
    prefix = "at least " if relief.duration_censored else ""
    return f"{prefix}{relief.duration_minutes} minutes"


def _relief_reason(block: Block, relief: Relief, threshold: float, response: str) -> str:
    words = {
        "positive": f"at or above the positive threshold of {threshold:g} %",
        "partial": f"below the positive threshold of {threshold:g} % but not little relief",
        "negative": "little relief",
    }[response]
    return (
        f"Pain fell from {block.pre_pain}/10 to its lowest at {relief.peak_minutes} minutes: "
        f"{relief.percent:.1f} % relief, {words}; relief lasted {_duration_words(relief)}."
    )
