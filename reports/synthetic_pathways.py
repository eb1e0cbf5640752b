"""The synthetic clinic's pathways: what happens to each kind of episode (all invented).

Each pathway is a list of steps (a procedure and how it turns out); reports.synthetic
draws episodes from them by weight.
"""

from __future__ import annotations

from dataclasses import dataclass

from blocks.rules import vocab

MBB, IA, TF, IL = vocab.MEDIAL_BRANCH, vocab.FACET_IA, vocab.TRANSFORAMINAL, vocab.INTERLAMINAR
SIJ, DISCO, RFA = vocab.SI_JOINT, vocab.DISCOGRAPHY, vocab.RFA
LIDO, BUPI = vocab.LIDOCAINE, vocab.BUPIVACAINE
DIARY_MINUTES = (15, 30, 60, 90, 120, 180, 240, 300, 360, 480, 600, 720, 1440, 2880)
RFA_DIARY_MINUTES = (1440, 10080, 20160, 43200, 86400, 129600, 172800, 259200, 345600)
COMMON_COMPLICATIONS = (
    ("vasovagal", 30),
    ("increased_pain", 25),
    ("spinal_headache", 8),
    ("bleeding", 6),
    ("infection", 3),
    ("muscle_weakness", 4),
    ("intravascular_injection", 5),
    ("allergic_reaction", 2),
    ("nerve_injury", 1),
)
STEROID_EFFECTS = sorted(vocab.STEROID_SIDE_EFFECTS)
RARE_SERIOUS = ("paralysis", "arachnoiditis", "avascular_necrosis")


@dataclass
class Step:
    kind: str
    outcome: str  # positive | partial | negative | none (therapeutic)
    anesthetic: str = LIDO
    intent: str = "diagnostic"
    after_days: tuple[int, int] = (0, 0)
    steroid: str = "none"
    technique: str = "good"  # good | no_guidance | deep_sedation | flow_not_confirmed
    # A treatment's follow-up (section 10): its benefit lasts a number of days drawn from
    # this range; the selection that led to it decides the range (invented, not a finding).
    benefit_days: tuple[int, int] | None = None


@dataclass
class Pathway:
    regions: tuple[str, ...]
    pattern: str
    steps: tuple[Step, ...]
    weight: int
    surgery_considered: bool = False


def _therapy(kind, steroid="dexamethasone", days=(20, 60), benefit=(40, 160)):
    return Step(kind, "positive", LIDO, "therapeutic", days, steroid, benefit_days=benefit)


def _rfa(benefit, days=(20, 60)):
    return Step(RFA, "positive", "none", "therapeutic", days, benefit_days=benefit)


PATHWAYS: tuple[Pathway, ...] = (
    Pathway(
        ("lumbar", "cervical", "thoracic"),
        "axial",
        (
            Step(MBB, "positive"),
            Step(MBB, "positive", BUPI, after_days=(14, 35)),
            _rfa((150, 420)),
        ),
        24,
    ),
    # One positive block then RFA (enough under the 2020 guideline only), and an RFA with no
    # diagnostic block at all (a pathway deviation): shorter benefit in this invented clinic.
    Pathway(("lumbar", "cervical"), "axial", (Step(MBB, "positive"), _rfa((40, 220))), 6),
    Pathway(("lumbar",), "axial", (_rfa((0, 100), days=(0, 0)),), 2),
    Pathway(("lumbar", "cervical"), "axial", (Step(MBB, "positive"),), 8),
    Pathway(
        ("lumbar", "cervical"),
        "axial",
        (Step(MBB, "positive"), Step(MBB, "negative", BUPI, after_days=(14, 30))),
        5,
    ),
    Pathway(
        ("lumbar", "cervical"),
        "radicular",
        (Step(MBB, "negative"), Step(TF, "positive", after_days=(10, 40)), _therapy(TF)),
        10,
    ),
    Pathway(("lumbar", "cervical"), "radicular", (Step(TF, "positive"), _therapy(TF)), 12),
    Pathway(("lumbar", "cervical"), "radicular", (Step(TF, "partial"),), 4),
    Pathway(
        ("lumbar",), "radicular", (_therapy(IL, "triamcinolone", (0, 0), benefit=(10, 90)),), 6
    ),
    Pathway(("sacroiliac", "lumbar"), "axial", (Step(SIJ, "positive"), _therapy(SIJ)), 9),
    Pathway(("sacroiliac",), "axial", (Step(SIJ, "negative"),), 3),
    Pathway(
        ("lumbar", "cervical"),
        "axial",
        (
            Step(IA, "positive"),
            Step(IA, "positive", BUPI, after_days=(14, 30)),
            _therapy(IA, "methylprednisolone"),
        ),
        6,
    ),
    Pathway(
        ("lumbar",),
        "axial",
        (Step(MBB, "none", technique="no_guidance"), Step(MBB, "positive", after_days=(7, 21))),
        3,
    ),
    Pathway(
        ("lumbar", "cervical"), "axial", (Step(MBB, "positive", technique="deep_sedation"),), 2
    ),
    Pathway(("lumbar",), "axial", (Step(DISCO, "positive"),), 2, surgery_considered=True),
)
