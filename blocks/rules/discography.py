"""Provocation discography, read disc by disc (CLINICAL_RULES.md section 4)."""

from __future__ import annotations

from dataclasses import dataclass

from blocks.rules.profiles import Profile
from blocks.rules.types import Block, DiscInjection, DiscReading


@dataclass(frozen=True)
class DiscographyReading:
    response: str
    validity: str
    discs: tuple[DiscReading, ...]
    reasons: tuple[str, ...]

    @property
    def positive_levels(self) -> tuple[str, ...]:
        return tuple(disc.level for disc in self.discs if disc.result == "positive")


def read_disc(disc: DiscInjection, profile: Profile) -> DiscReading:
    """Positive, negative control, or indeterminate (neither)."""
    if disc.pain_score == 0 or disc.concordance == "none":
        return DiscReading(disc.level, "negative", "Painless: a negative control.")
    if disc.concordance == "discordant":
        return DiscReading(disc.level, "negative", "Pain not concordant: a negative control.")
    minimum_pain = profile.discography_concordant_pain_at_least
    if disc.pain_score is None or disc.pain_score < minimum_pain:
        return DiscReading(
            disc.level,
            "indeterminate",
            f"Concordant pain below {minimum_pain}/10: neither positive nor a control.",
        )
    limit = profile.discography_pressure_above_opening_below_psi
    if disc.provocation_pressure_psi is None or disc.opening_pressure_psi is None:
        return DiscReading(
            disc.level, "indeterminate", "Opening or provocation pressure not recorded."
        )
    above_opening = disc.provocation_pressure_psi - disc.opening_pressure_psi
    if above_opening >= limit:
        return DiscReading(
            disc.level,
            "indeterminate",
            f"Pain provoked at {above_opening:g} psi above opening, not below {limit:g} psi.",
        )
    grade = profile.discography_annular_grade_at_least
    if disc.annular_grade is None or disc.annular_grade < grade:
        return DiscReading(
            disc.level,
            "indeterminate",
            f"Annular fissure below grade {grade} (modified Dallas) or not recorded.",
        )
    return DiscReading(
        disc.level,
        "positive",
        f"Concordant pain {disc.pain_score}/10 at {above_opening:g} psi above opening with a "
        f"grade {disc.annular_grade} annular fissure.",
    )


def read_discography(block: Block, profile: Profile, problems: list[str]) -> DiscographyReading:
    discs = tuple(read_disc(disc, profile) for disc in block.discs)
    if problems:
        return DiscographyReading("non_diagnostic", "non_diagnostic", discs, tuple(problems))
    if len(discs) < profile.discography_min_discs:
        # Technique alone decides validity; too few discs leave the response unread.
        return DiscographyReading(
            "indeterminate",
            "valid",
            discs,
            (
                f"{len(discs)} disc(s) injected: at least {profile.discography_min_discs} are "
                "needed to tell a painful disc from a painless one.",
            ),
        )
    positives = [d.level for d in discs if d.result == "positive"]
    controls = [d.level for d in discs if d.result == "negative"]
    if not positives:
        return DiscographyReading(
            "negative", "valid", discs, ("No disc met the criteria for a positive disc.",)
        )
    if not controls:
        return DiscographyReading(
            "indeterminate",
            "valid",
            discs,
            (
                f"Positive disc(s) {', '.join(positives)} but no negative control disc: "
                "the reading cannot be trusted.",
            ),
        )
    return DiscographyReading(
        "positive",
        "valid",
        discs,
        (f"Positive disc(s) {', '.join(positives)} with control disc(s) {', '.join(controls)}.",),
    )
