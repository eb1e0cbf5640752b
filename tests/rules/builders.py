"""Small builders for the clinical engine's plain data (no Django, no database).

``block()`` is a valid, positive diagnostic medial branch block under every
profile: lumbar, right L4-L5 and L5-S1, lidocaine 0.5 mL per level under
fluoroscopy with confirmed contrast, pain 10/10 before, 1/10 at 30 minutes,
relief lasting 120 minutes (longer than lidocaine's 60-minute minimum).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from blocks.rules import get_profile
from blocks.rules.types import Block, DiaryScore, DiscInjection

CMS = get_profile("cms-2021")
ASRA = get_profile("asra-2020")
SIS = get_profile("sis-controlled")
ALL_PROFILES = (CMS, ASRA, SIS)

DAY_0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
LEVELS = ("L4-L5", "L5-S1")

# Relief of 90 %, then 80 % up to 120 minutes, then 40 %: duration 120 minutes.
DEFAULT_SCORES = ((30, 1), (60, 2), (120, 2), (240, 6))


def day(n: int) -> datetime:
    """The default block time, ``n`` days later."""
    return DAY_0 + timedelta(days=n)


def date_of(n: int) -> date:
    return day(n).date()


def scores(*pairs) -> tuple[DiaryScore, ...]:
    """Diary scores from (minutes_after, score) pairs (DiaryScore objects pass through)."""
    return tuple(p if isinstance(p, DiaryScore) else DiaryScore(*p) for p in pairs)


def block(**overrides) -> Block:
    """A valid diagnostic medial branch block; ``pain_scores`` may be (minutes, score) pairs."""
    values = dict(
        id=1,
        performed_at=DAY_0,
        kind="medial_branch_block",
        intent="diagnostic",
        side="right",
        levels=LEVELS,
        anesthetic="lidocaine",
        anesthetic_volume_ml=0.5,
        steroid="none",
        steroid_dose_mg=None,
        guidance="fluoroscopy",
        contrast_used=True,
        contrast_flow_confirmed=True,
        sedation="none",
        pre_pain=10,
        region="lumbar",
        surgery_considered=False,
        pain_scores=DEFAULT_SCORES,
        discs=(),
        contraindications=(),
    )
    values.update(overrides)
    values["pain_scores"] = scores(*values["pain_scores"])
    values["levels"] = tuple(values["levels"])
    values["discs"] = tuple(values["discs"])
    values["contraindications"] = tuple(values["contraindications"])
    return Block(**values)


def disc(level: str = "L4-L5", **overrides) -> DiscInjection:
    """A positive disc: concordant 8/10 at 25 psi above opening, grade 3 annular fissure."""
    values = dict(
        level=level,
        opening_pressure_psi=10.0,
        provocation_pressure_psi=35.0,
        pain_score=8,
        concordance="concordant",
        annular_grade=3,
    )
    values.update(overrides)
    return DiscInjection(**values)


def control_disc(level: str = "L3-L4", **overrides) -> DiscInjection:
    """A painless disc: a negative control."""
    values = dict(pain_score=0, concordance="none", annular_grade=0)
    values.update(overrides)
    return disc(level, **values)


def discography(**overrides) -> Block:
    """A valid provocation discography: L4-L5 positive, L3-L4 a painless control, surgery
    considered, no anaesthetic and no diary (discography has no relief reading)."""
    values = dict(
        kind="provocation_discography",
        levels=("L3-L4", "L4-L5"),
        side="midline",
        anesthetic="none",
        anesthetic_volume_ml=None,
        pre_pain=None,
        pain_scores=(),
        surgery_considered=True,
        discs=(control_disc("L3-L4"), disc("L4-L5")),
    )
    values.update(overrides)
    return block(**values)


def codes(suggestions) -> list[str]:
    return [s.code for s in suggestions]


def only(suggestions):
    """The one suggestion of a list that must hold exactly one."""
    assert len(suggestions) == 1, [(s.code, s.rule, s.levels, s.side) for s in suggestions]
    return suggestions[0]
