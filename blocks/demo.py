"""A small synthetic demo clinic whose episodes walk every pathway.

Everything here is invented: MRNs start with DEMO-, birth dates are made up.
Each case names the pathway it shows and the next step expected under the
default profile, so the demo doubles as a guided tour.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

LIDO, BUPI, SALINE = "lidocaine", "bupivacaine", "saline"
# Typical diaries, as (minutes after the block, score 0-10).
SHORT_RELIEF = ((15, 1), (30, 1), (60, 1), (120, 2), (240, 6), (360, 7))
LONG_RELIEF = ((15, 1), (30, 1), (120, 1), (240, 1), (360, 2), (600, 6))
LITTLE_RELIEF = ((15, 6), (30, 6), (60, 5), (120, 6), (240, 7))
PARTIAL_RELIEF = ((15, 3), (30, 3), (60, 4), (120, 5), (240, 7))
BRIEF_RELIEF = ((15, 1), (30, 5), (60, 6), (120, 7))


@dataclass(frozen=True)
class DemoBlock:
    day: int
    kind: str
    levels: tuple[str, ...]
    anesthetic: str = LIDO
    diary: tuple[tuple[int, int], ...] = SHORT_RELIEF
    pre_pain: int | None = 7
    intent: str = "diagnostic"
    side: str | None = None
    volume_ml: float | None = 0.5
    steroid: str = "none"
    steroid_dose_mg: float | None = None
    guidance: str = "fluoroscopy"
    contrast_used: bool = True
    contrast_flow_confirmed: bool = True
    sedation: str = "none"
    discs: tuple[dict, ...] = ()
    contraindications: tuple[str, ...] = ()
    override_reason: str = ""
    complications: tuple[tuple[str, str, int], ...] = ()
    # Follow-ups after a treatment: (days after, index pain, PGIC 1-7), entered by staff.
    follow_ups: tuple[tuple[int, int, int], ...] = ()


@dataclass(frozen=True)
class DemoEpisode:
    story: str
    region: str
    side: str
    pain_pattern: str
    blocks: tuple[DemoBlock, ...]
    sex: str = "female"
    birth_year: int = 1962
    surgery_considered: bool = False
    expected: tuple[str, ...] = field(default=())


def _disc(level, pain, concordance, grade, provocation=30):
    return {
        "level": level,
        "opening_pressure_psi": 8,
        "provocation_pressure_psi": provocation,
        "pain_score": pain,
        "concordance": concordance,
        "annular_grade": grade,
    }


MBB = "medial_branch_block"
TF = "transforaminal_epidural"
IA = "facet_intraarticular"
SIJ = "sacroiliac_joint"
DISCO = "provocation_discography"
RFA = "radiofrequency_ablation"
LUMBAR_FACETS = ("L4-L5", "L5-S1")

PATHWAYS: tuple[DemoEpisode, ...] = (
    DemoEpisode(
        "Nerve root confirmed: a right L5 selective nerve root block relieves the leg pain.",
        "lumbar",
        "right",
        "radicular",
        (DemoBlock(-20, TF, ("L5",), volume_ml=1.0, diary=((15, 1), (30, 1), (60, 2))),),
        expected=("therapeutic_epidural_injection",),
    ),
    DemoEpisode(
        "Facet joints excluded: lumbar medial branch blocks give little relief.",
        "lumbar",
        "bilateral",
        "axial",
        (DemoBlock(-30, MBB, LUMBAR_FACETS, diary=LITTLE_RELIEF),),
        sex="male",
        birth_year=1958,
        expected=("evaluate_other_source",),
    ),
    DemoEpisode(
        "Two medial branch blocks, lidocaine then bupivacaine 15 days apart: RFA.",
        "lumbar",
        "right",
        "axial",
        (
            DemoBlock(-60, MBB, LUMBAR_FACETS),
            DemoBlock(-45, MBB, LUMBAR_FACETS, anesthetic=BUPI, diary=LONG_RELIEF),
        ),
        expected=("radiofrequency_ablation",),
    ),
    DemoEpisode(
        "First positive medial branch block: a confirmatory block with bupivacaine is due.",
        "cervical",
        "left",
        "axial",
        (DemoBlock(-5, MBB, ("C5-C6", "C6-C7"), volume_ml=0.3),),
        sex="male",
        birth_year=1971,
        expected=("confirmatory_block",),
    ),
    DemoEpisode(
        "Discordant comparative blocks: relief lasted longer with lidocaine than bupivacaine "
        "(read it under the sis-controlled profile).",
        "cervical",
        "right",
        "axial",
        (
            DemoBlock(-40, MBB, ("C3-C4",), volume_ml=0.3, diary=LONG_RELIEF),
            DemoBlock(-20, MBB, ("C3-C4",), anesthetic=BUPI, volume_ml=0.3, diary=SHORT_RELIEF),
        ),
        # Under cms-2021 the bupivacaine relief is also too short to count.
        expected=("physician_review",),
    ),
    DemoEpisode(
        "SI joint positive: a right SI joint block relieves the buttock pain by 80 %.",
        "sacroiliac",
        "right",
        "axial",
        (
            DemoBlock(
                -14,
                SIJ,
                ("SI",),
                volume_ml=2.0,
                pre_pain=5,
                diary=((15, 1), (30, 1), (60, 2), (120, 3)),
            ),
        ),
        expected=("therapeutic_si_injection",),
    ),
    DemoEpisode(
        "Discography with a control disc while fusion is being considered.",
        "lumbar",
        "midline",
        "axial",
        (
            DemoBlock(
                -10,
                DISCO,
                ("L3-L4", "L4-L5", "L5-S1"),
                anesthetic="none",
                volume_ml=None,
                diary=(),
                pre_pain=None,
                discs=(
                    _disc("L3-L4", 0, "none", 1),
                    _disc("L4-L5", 8, "concordant", 4),
                    _disc("L5-S1", 4, "discordant", 2),
                ),
            ),
        ),
        sex="male",
        birth_year=1975,
        surgery_considered=True,
        expected=("surgical_evaluation",),
    ),
    DemoEpisode(
        "Hard stop overridden: anticoagulant not held, the physician recorded why.",
        "lumbar",
        "left",
        "radicular",
        (
            DemoBlock(
                -3,
                TF,
                ("L4",),
                volume_ml=1.0,
                contraindications=("anticoagulant_not_held",),
                override_reason="Apixaban held 48 h; cardiology advised against a longer hold.",
                diary=((15, 1), (30, 1), (60, 3)),
            ),
        ),
        birth_year=1949,
        expected=("therapeutic_epidural_injection",),
    ),
    DemoEpisode(
        "Partial relief from a nerve root block: a physician should review.",
        "lumbar",
        "left",
        "radicular",
        (DemoBlock(-8, TF, ("S1",), volume_ml=1.0, diary=PARTIAL_RELIEF),),
        expected=("physician_review",),
    ),
    DemoEpisode(
        "Non-diagnostic: contrast flow was not confirmed before the anaesthetic.",
        "lumbar",
        "right",
        "axial",
        (DemoBlock(-6, MBB, ("L3-L4",), contrast_flow_confirmed=False),),
        sex="male",
        expected=("repeat_block",),
    ),
    DemoEpisode(
        "Diary still missing after a medial branch block.",
        "thoracic",
        "right",
        "axial",
        (DemoBlock(-1, MBB, ("T6-T7",), diary=()),),
        expected=("record_post_block_scores",),
    ),
    DemoEpisode(
        "Baseline too low: pain was 2/10 on the day of the block.",
        "lumbar",
        "left",
        "axial",
        (DemoBlock(-9, IA, ("L4-L5",), volume_ml=1.0, pre_pain=2, diary=((30, 0), (60, 0))),),
        sex="male",
        expected=("repeat_block",),
    ),
    DemoEpisode(
        "Placebo response: relief after a saline control block.",
        "cervical",
        "left",
        "axial",
        (DemoBlock(-12, MBB, ("C4-C5",), anesthetic=SALINE, volume_ml=0.3),),
        expected=("physician_review",),
    ),
    DemoEpisode(
        "Conflicting results: lidocaine block positive, bupivacaine block negative.",
        "lumbar",
        "left",
        "axial",
        (
            DemoBlock(-50, MBB, ("L5-S1",)),
            DemoBlock(-30, MBB, ("L5-S1",), anesthetic=BUPI, diary=LITTLE_RELIEF),
        ),
        sex="male",
        birth_year=1966,
        expected=("physician_review",),
    ),
    DemoEpisode(
        "Two intra-articular facet blocks: a therapeutic facet injection.",
        "lumbar",
        "right",
        "axial",
        (
            DemoBlock(-70, IA, ("L4-L5",), volume_ml=1.0),
            DemoBlock(-50, IA, ("L4-L5",), anesthetic=BUPI, volume_ml=1.0, diary=LONG_RELIEF),
        ),
        expected=("therapeutic_facet_injection",),
    ),
    DemoEpisode(
        "Relief too short for lidocaine: the block does not count under Medicare.",
        "lumbar",
        "left",
        "axial",
        (DemoBlock(-4, MBB, LUMBAR_FACETS, diary=BRIEF_RELIEF),),
        sex="male",
        expected=("physician_review",),
    ),
    DemoEpisode(
        "Cervical transforaminal injection with a particulate steroid (warning).",
        "cervical",
        "right",
        "radicular",
        (
            DemoBlock(
                -16,
                TF,
                ("C6",),
                volume_ml=1.0,
                steroid="triamcinolone",
                steroid_dose_mg=40,
                diary=((15, 1), (30, 1), (60, 2)),
                complications=(("facial_flushing", "mild", 1),),
            ),
        ),
        birth_year=1980,
        expected=("therapeutic_epidural_injection",),
    ),
    DemoEpisode(
        "RFA done after two positive blocks: nothing left to suggest.",
        "lumbar",
        "left",
        "axial",
        (
            DemoBlock(-120, MBB, LUMBAR_FACETS, side="left"),
            DemoBlock(-100, MBB, LUMBAR_FACETS, anesthetic=BUPI, diary=LONG_RELIEF),
            DemoBlock(
                -80,
                RFA,
                LUMBAR_FACETS,
                intent="therapeutic",
                anesthetic="none",
                volume_ml=None,
                diary=((1440, 3), (10080, 2)),
            ),
        ),
        birth_year=1955,
        expected=(),
    ),
)


def _treated(day, follow_ups, kind=RFA, levels=LUMBAR_FACETS, **more):
    """A treatment `day` days ago with staff follow-ups (section 10)."""
    values = dict(
        intent="therapeutic",
        anesthetic="none" if kind == RFA else LIDO,
        volume_ml=None if kind == RFA else 1.0,
        contrast_used=kind != RFA,
        contrast_flow_confirmed=kind != RFA,
        diary=(),
        follow_ups=follow_ups,
    )
    return DemoBlock(day, kind, levels, **{**values, **more})


_DUAL_80 = (
    DemoBlock(-460, MBB, LUMBAR_FACETS),
    DemoBlock(-440, MBB, LUMBAR_FACETS, anesthetic=BUPI, diary=LONG_RELIEF),
)

# Treatments with follow-up whose outcomes differ by the selection that led to them: the
# clinic's own evidence (reports) and the episode page's follow-up chart show them.
FOLLOW_UP_PATHWAYS: tuple[DemoEpisode, ...] = (
    DemoEpisode(
        "Two blocks at 86 %, RFA a year ago: relief lasted 180 days, then the pain returned: "
        "a repeat RFA may be offered.",
        "lumbar",
        "right",
        "axial",
        (*_DUAL_80, _treated(-380, ((14, 1, 7), (30, 1, 7), (90, 2, 6), (180, 3, 6), (365, 6, 3)))),
        birth_year=1958,
        expected=("radiofrequency_ablation",),
    ),
    DemoEpisode(
        "Two blocks at 86 %, RFA 200 days ago: relief still going on at 180 days.",
        "lumbar",
        "left",
        "axial",
        (
            *(DemoBlock(**{**b.__dict__, "day": b.day + 150}) for b in _DUAL_80),
            _treated(-200, ((14, 1, 7), (30, 1, 7), (90, 2, 6), (180, 2, 6))),
        ),
        sex="male",
        birth_year=1966,
        expected=(),
    ),
    DemoEpisode(
        "Two blocks at 86 %, RFA 120 days ago: substantial relief so far.",
        "lumbar",
        "right",
        "axial",
        (
            *(DemoBlock(**{**b.__dict__, "day": b.day + 300}) for b in _DUAL_80),
            _treated(-120, ((14, 2, 6), (30, 1, 7), (90, 2, 6))),
        ),
        birth_year=1971,
        expected=(),
    ),
    DemoEpisode(
        "One block with 57 % relief (enough only under the 2020 guideline), RFA: the relief "
        "faded within three months.",
        "lumbar",
        "right",
        "axial",
        (
            DemoBlock(-330, MBB, LUMBAR_FACETS, diary=PARTIAL_RELIEF),
            _treated(-300, ((14, 3, 6), (30, 4, 5), (90, 5, 4), (180, 6, 4))),
        ),
        sex="male",
        birth_year=1950,
        expected=("physician_review",),
    ),
    DemoEpisode(
        "RFA done without diagnostic blocks (a pathway deviation): little lasting relief.",
        "lumbar",
        "left",
        "axial",
        (_treated(-250, ((14, 4, 5), (30, 5, 4), (90, 6, 4), (180, 6, 3))),),
        birth_year=1964,
        expected=(),
    ),
    DemoEpisode(
        "Epidural steroid injection without a diagnostic block, followed up.",
        "lumbar",
        "right",
        "radicular",
        (
            _treated(
                -150,
                ((14, 2, 6), (30, 3, 6), (90, 5, 5)),
                kind=TF,
                levels=("L5",),
                steroid="dexamethasone",
                steroid_dose_mg=10,
            ),
        ),
        sex="male",
        birth_year=1975,
        expected=(),
    ),
    DemoEpisode(
        "Two blocks at 86 %, RFA a month ago: the 30-day follow-up is due now.",
        "cervical",
        "right",
        "axial",
        (
            DemoBlock(-80, MBB, ("C3-C4", "C4-C5")),
            DemoBlock(-60, MBB, ("C3-C4", "C4-C5"), anesthetic=BUPI, diary=LONG_RELIEF),
            _treated(-32, ((14, 1, 7),), levels=("C3-C4", "C4-C5")),
        ),
        birth_year=1969,
        expected=(),
    ),
)

# Further patients repeat the common pathways so that lists and reports have volume.
_COMMON_SHAPES = (0, 2, 1, 3, 5, 8, 13, 14)


def demo_episodes() -> list[DemoEpisode]:
    episodes = list(PATHWAYS)
    for n, shape in enumerate(_COMMON_SHAPES * 2):
        base = PATHWAYS[shape]
        shift = -7 * (n + 1)
        episodes.append(
            DemoEpisode(
                base.story,
                base.region,
                base.side,
                base.pain_pattern,
                tuple(
                    DemoBlock(**{**block.__dict__, "day": block.day + shift})
                    for block in base.blocks
                ),
                sex=("female", "male")[n % 2],
                birth_year=1940 + (n * 3) % 50,
                surgery_considered=base.surgery_considered,
                expected=base.expected,
            )
        )
    return episodes[:30] + list(FOLLOW_UP_PATHWAYS)


def block_time(day: int, today: date | None = None) -> datetime:
    today = today or timezone.localdate()
    return timezone.make_aware(datetime.combine(today + timedelta(days=day), time(9, 30)))
