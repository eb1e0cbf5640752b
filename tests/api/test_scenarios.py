"""Clinical scenarios driven end to end through the HTTP API.

Each row is one episode: the blocks staff would log, the profile a physician
reads them under, what the latest block shows, and which next steps must and
must not be suggested. Expected values are worked out by hand from
CLINICAL_RULES.md, not read off the engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
SHORT = ((30, 1), (60, 1), (120, 2), (240, 6))  # lidocaine-like: 85.7 %, lasts 120 min
LONG = ((30, 1), (120, 1), (240, 1), (360, 2), (600, 6))  # bupivacaine-like: lasts 360 min
LITTLE = ((30, 5), (60, 5), (120, 6))  # 28.6 % from 7
DISC_POSITIVE = {
    "level": "L4-L5",
    "opening_pressure_psi": 10,
    "provocation_pressure_psi": 35,
    "pain_score": 8,
    "concordance": "concordant",
    "annular_grade": 3,
}
DISC_CONTROL = {
    "level": "L3-L4",
    "opening_pressure_psi": 10,
    "provocation_pressure_psi": 40,
    "pain_score": 0,
    "concordance": "none",
    "annular_grade": 1,
}


def block(kind="medial_branch_block", day=0, anesthetic="lidocaine", diary=SHORT, **changes):
    body = {
        "performed_at": (T0 + timedelta(days=day)).isoformat(),
        "kind": kind,
        "intent": "diagnostic",
        "side": "right",
        "levels": {
            "transforaminal_epidural": ["L5"],
            "sacroiliac_joint": ["SI"],
            "facet_intraarticular": ["L4-L5"],
        }.get(kind, ["L4-L5", "L5-S1"]),
        "anesthetic": anesthetic,
        "anesthetic_volume_ml": {"medial_branch_block": 0.5, "sacroiliac_joint": 2.0}.get(
            kind, 1.0
        ),
        "steroid": "none",
        "steroid_dose_mg": None,
        "guidance": "fluoroscopy",
        "contrast_used": True,
        "contrast_flow_confirmed": True,
        "sedation": "none",
        "pre_pain": 7,
        "pain_scores": [{"minutes_after": m, "score": s} for m, s in diary],
    }
    body.update(changes)
    return body


def discography(discs, **changes):
    return block(
        "provocation_discography",
        anesthetic="none",
        anesthetic_volume_ml=None,
        diary=(),
        pre_pain=None,
        levels=[d["level"] for d in discs],
        side="midline",
        discs=list(discs),
        **changes,
    )


@dataclass
class Scenario:
    name: str
    blocks: list[dict]
    profile: str = "cms-2021"
    response: str | None = None
    relief: float | None | str = "any"
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    no_warnings: tuple[str, ...] = ()
    episode: dict = field(default_factory=dict)
    suggestion: dict = field(default_factory=dict)  # fields of the first included suggestion


TREATMENTS = (
    "radiofrequency_ablation",
    "therapeutic_facet_injection",
    "therapeutic_epidural_injection",
    "therapeutic_si_injection",
    "surgical_evaluation",
)
TF = "transforaminal_epidural"
IA = "facet_intraarticular"
SIJ = "sacroiliac_joint"

SCENARIOS = [
    # Selective nerve root blocks (seed: complete relief → the nerve is the source).
    Scenario(
        "root block with near-complete relief names the nerve",
        [block(TF)],
        response="positive",
        relief=85.7,
        include=("therapeutic_epidural_injection",),
        exclude=("evaluate_other_source", "physician_review"),
    ),
    Scenario(
        "root block at exactly 80 % is positive",
        [block(TF, pre_pain=10, diary=((30, 2), (60, 3)))],
        response="positive",
        relief=80.0,
        include=("therapeutic_epidural_injection",),
    ),
    Scenario(
        "root block with little relief points elsewhere",
        [block(TF, diary=((30, 4), (60, 5)))],
        response="negative",
        relief=42.9,
        include=("evaluate_other_source",),
        exclude=TREATMENTS,
    ),
    Scenario(
        "root block at exactly 50 % is partial, not negative",
        [block(TF, pre_pain=6, diary=((30, 3), (60, 4)))],
        response="partial",
        relief=50.0,
        include=("physician_review",),
        exclude=("evaluate_other_source",) + TREATMENTS,
    ),
    Scenario(
        "baseline below 3 cannot be read",
        [block(TF, pre_pain=2, diary=((30, 0),))],
        response="indeterminate",
        relief=None,
        include=("repeat_block",),
        exclude=("record_post_block_scores",) + TREATMENTS,
    ),
    Scenario(
        "a block without a diary asks for the scores, not a repeat",
        [block(TF, diary=())],
        response="indeterminate",
        relief=None,
        include=("record_post_block_scores",),
        exclude=("repeat_block",),
    ),
    Scenario(
        "no image guidance is non-diagnostic",
        [block(TF, guidance="none")],
        response="non_diagnostic",
        include=("repeat_block",),
        exclude=TREATMENTS,
    ),
    Scenario(
        "contrast flow not confirmed before the medication is non-diagnostic",
        [block(TF, contrast_flow_confirmed=False)],
        response="non_diagnostic",
        include=("repeat_block",),
        exclude=("record_post_block_scores",) + TREATMENTS,
    ),
    Scenario(
        "deep sedation is non-diagnostic under every profile",
        [block(TF, sedation="deep")],
        profile="asra-2020",
        response="non_diagnostic",
        include=("repeat_block",),
    ),
    Scenario(
        "increased pain is reported as negative relief with a warning",
        [block(TF, pre_pain=5, diary=((30, 7), (60, 7)))],
        response="negative",
        relief=-40.0,
        warnings=("increased_pain",),
        include=("evaluate_other_source",),
    ),
    Scenario(
        "a lidocaine score after 180 minutes does not set the peak",
        [block(TF, diary=((200, 0),))],
        response="indeterminate",
        relief=None,
        include=("record_post_block_scores",),
        exclude=TREATMENTS,
    ),
    Scenario(
        "a bupivacaine score at 480 minutes still sets the peak",
        [block(TF, anesthetic="bupivacaine", diary=((60, 5), (480, 1)))],
        response="positive",
        relief=85.7,
        include=("therapeutic_epidural_injection",),
    ),
    Scenario(
        "particulate steroid in a cervical transforaminal injection warns",
        [
            block(
                TF,
                intent="therapeutic",
                levels=["C6"],
                steroid="triamcinolone",
                steroid_dose_mg=40,
            )
        ],
        episode={"region": "cervical", "pain_pattern": "radicular"},
        warnings=("particulate_steroid_cervical_transforaminal",),
        no_warnings=("steroid_in_diagnostic_block",),
        exclude=("therapeutic_epidural_injection",),
    ),
    Scenario(
        "a steroid for a patient with uncontrolled diabetes warns of blood sugar",
        [
            block(
                TF,
                intent="therapeutic",
                steroid="dexamethasone",
                steroid_dose_mg=10,
                contraindications=["uncontrolled_diabetes"],
            )
        ],
        warnings=("uncontrolled_diabetes", "steroid_raises_blood_sugar"),
        no_warnings=("particulate_steroid_cervical_transforaminal",),
    ),
    # Medial branch blocks and RFA.
    Scenario(
        "first positive lidocaine MBB asks for a bupivacaine block 14 days later",
        [block()],
        response="positive",
        relief=85.7,
        include=("confirmatory_block",),
        exclude=("radiofrequency_ablation",),
        suggestion={"earliest_date": "2026-03-16", "anesthetic": "bupivacaine"},
    ),
    Scenario(
        "first positive bupivacaine MBB asks for lidocaine",
        [block(anesthetic="bupivacaine", diary=LONG)],
        include=("confirmatory_block",),
        suggestion={"earliest_date": "2026-03-16", "anesthetic": "lidocaine"},
    ),
    Scenario(
        "one positive MBB is enough under ASRA",
        [block()],
        profile="asra-2020",
        response="positive",
        include=("radiofrequency_ablation",),
        exclude=("confirmatory_block",),
        suggestion={"rule": "mbb.rfa.single-block"},
    ),
    Scenario(
        "50 % relief from an MBB is positive under ASRA",
        [block(pre_pain=6, diary=((30, 3), (60, 3), (240, 5)))],
        profile="asra-2020",
        response="positive",
        relief=50.0,
        include=("radiofrequency_ablation",),
    ),
    Scenario(
        "50 % relief from an MBB is only partial under Medicare",
        [block(pre_pain=6, diary=((30, 3), (60, 3), (240, 5)))],
        response="partial",
        relief=50.0,
        include=("physician_review",),
        exclude=("radiofrequency_ablation", "confirmatory_block"),
    ),
    Scenario(
        "two positive MBBs 14 days apart lead to RFA",
        [block(), block(day=14, anesthetic="bupivacaine", diary=LONG)],
        include=("radiofrequency_ablation",),
        exclude=("confirmatory_block",),
        suggestion={"rule": "mbb.rfa.dual-block", "levels": ["L4-L5", "L5-S1"], "side": "right"},
    ),
    Scenario(
        "two positive MBBs 13 days apart do not",
        [block(), block(day=13, anesthetic="bupivacaine", diary=LONG)],
        include=("confirmatory_block",),
        exclude=("radiofrequency_ablation",),
        suggestion={"earliest_date": "2026-03-16"},
    ),
    Scenario(
        "relief too short for lidocaine does not count under Medicare",
        [block(diary=((15, 1), (30, 5), (60, 6)))],
        response="positive",
        warnings=("duration_inconsistent_with_agent",),
        exclude=("radiofrequency_ablation", "confirmatory_block"),
    ),
    Scenario(
        "a bupivacaine diary stopped still positive at 30 minutes waits for the diary",
        [block(anesthetic="bupivacaine", diary=((15, 2), (30, 1)))],
        response="positive",
        warnings=("diary_incomplete",),
        no_warnings=("duration_inconsistent_with_agent",),
        include=("record_post_block_scores",),
        exclude=("physician_review", "confirmatory_block"),
        suggestion={"rule": "block.diary.incomplete", "until_minutes": 180},
    ),
    Scenario(
        "the same short relief counts under ASRA",
        [block(diary=((15, 1), (30, 5), (60, 6)))],
        profile="asra-2020",
        no_warnings=("duration_inconsistent_with_agent",),
        include=("radiofrequency_ablation",),
    ),
    Scenario(
        "concordant comparative blocks lead to RFA",
        [block(), block(day=7, anesthetic="bupivacaine", diary=LONG)],
        profile="sis-controlled",
        include=("radiofrequency_ablation",),
        exclude=("physician_review",),
    ),
    Scenario(
        "discordant comparative blocks need review",
        [block(diary=LONG), block(day=7, anesthetic="bupivacaine", diary=SHORT)],
        profile="sis-controlled",
        include=("physician_review",),
        exclude=("radiofrequency_ablation",),
        suggestion={"rule": "mbb.comparative.discordant"},
    ),
    Scenario(
        "a censored duration that cannot decide needs review",
        [
            # Lidocaine relief still present at its last point (120 min): it may have
            # outlasted bupivacaine's 200 minutes, or not.
            block(diary=((30, 1), (120, 1))),
            block(day=7, anesthetic="bupivacaine", diary=((30, 1), (200, 1), (300, 6))),
        ],
        profile="sis-controlled",
        include=("physician_review",),
        exclude=("radiofrequency_ablation",),
        suggestion={"rule": "mbb.comparative.undecided"},
    ),
    Scenario(
        "Medicare does not compare agents",
        [block(diary=LONG), block(day=14, anesthetic="bupivacaine", diary=LONG)],
        include=("radiofrequency_ablation",),
        exclude=("physician_review",),
    ),
    Scenario(
        "moderate sedation only warns under Medicare",
        [block(sedation="moderate")],
        response="positive",
        warnings=("moderate_sedation",),
        include=("confirmatory_block",),
    ),
    Scenario(
        "moderate sedation invalidates comparative blocks",
        [block(sedation="moderate")],
        profile="sis-controlled",
        response="non_diagnostic",
        include=("repeat_block",),
    ),
    Scenario(
        "relief after saline is a placebo response",
        [block(anesthetic="saline")],
        response="positive",
        include=("physician_review",),
        exclude=("radiofrequency_ablation", "confirmatory_block"),
    ),
    Scenario(
        "a positive and a negative block on one target conflict",
        [block(), block(day=14, anesthetic="bupivacaine", diary=LITTLE)],
        include=("physician_review",),
        exclude=("radiofrequency_ablation", "evaluate_other_source"),
    ),
    Scenario(
        "MBB volume above 0.5 mL per level is less specific",
        [block(anesthetic_volume_ml=0.6)],
        warnings=("high_volume",),
    ),
    Scenario(
        "MBB volume of 0.5 mL per level is fine",
        [block(anesthetic_volume_ml=0.5)],
        no_warnings=("high_volume",),
    ),
    Scenario(
        "a steroid in a diagnostic block warns",
        [block(steroid="dexamethasone", steroid_dose_mg=4)],
        warnings=("steroid_in_diagnostic_block",),
    ),
    Scenario(
        "no contrast warns but does not invalidate",
        [block(contrast_used=False, contrast_flow_confirmed=False)],
        response="positive",
        warnings=("no_contrast",),
        include=("confirmatory_block",),
    ),
    Scenario(
        "ultrasound counts for a cervical MBB under ASRA",
        [block(levels=["C5-C6"], guidance="ultrasound", anesthetic_volume_ml=0.3)],
        profile="asra-2020",
        episode={"region": "cervical"},
        response="positive",
        include=("radiofrequency_ablation",),
    ),
    Scenario(
        "ultrasound does not count under Medicare",
        [block(levels=["C5-C6"], guidance="ultrasound", anesthetic_volume_ml=0.3)],
        episode={"region": "cervical"},
        response="non_diagnostic",
        include=("repeat_block",),
    ),
    Scenario(
        "three facet levels in one session pass the Medicare limit",
        [block(levels=["L3-L4", "L4-L5", "L5-S1"])],
        warnings=("frequency_limit",),
    ),
    Scenario(
        "ASRA sets no frequency limit",
        [block(levels=["L3-L4", "L4-L5", "L5-S1"])],
        profile="asra-2020",
        no_warnings=("frequency_limit",),
    ),
    Scenario(
        "different sides are different targets",
        [block(), block(day=1, side="left", diary=LITTLE)],
        include=("confirmatory_block", "evaluate_other_source"),
        exclude=("physician_review",),
    ),
    Scenario(
        "an RFA done after the blocks settles the RFA suggestion",
        [
            block(),
            block(day=14, anesthetic="bupivacaine", diary=LONG),
            block(
                "radiofrequency_ablation",
                day=40,
                intent="therapeutic",
                anesthetic="none",
                anesthetic_volume_ml=None,
                diary=(),
            ),
        ],
        exclude=("radiofrequency_ablation", "record_post_block_scores"),
    ),
    # Facet intra-articular blocks.
    Scenario(
        "two positive intra-articular blocks lead to a therapeutic facet injection",
        [block(IA), block(IA, day=14, anesthetic="bupivacaine", diary=LONG)],
        include=("therapeutic_facet_injection",),
        exclude=("radiofrequency_ablation",),
    ),
    Scenario(
        "one positive intra-articular block needs a second under Medicare",
        [block(IA)],
        include=("confirmatory_block",),
        exclude=("therapeutic_facet_injection",),
    ),
    Scenario(
        "one positive intra-articular block is enough under ASRA",
        [block(IA)],
        profile="asra-2020",
        include=("therapeutic_facet_injection",),
    ),
    Scenario(
        "intra-articular volume of 1.5 mL is less specific",
        [block(IA, anesthetic_volume_ml=1.5)],
        warnings=("high_volume",),
    ),
    # SI joint.
    Scenario(
        "SI joint block at exactly 75 % is positive",
        [block(SIJ, pre_pain=4, diary=((30, 1), (60, 2)))],
        episode={"region": "sacroiliac"},
        response="positive",
        relief=75.0,
        include=("therapeutic_si_injection",),
    ),
    Scenario(
        "SI joint block at 62.5 % is partial",
        [block(SIJ, pre_pain=8, diary=((30, 3), (60, 4)))],
        episode={"region": "sacroiliac"},
        response="partial",
        relief=62.5,
        include=("physician_review",),
        exclude=("therapeutic_si_injection",),
    ),
    # Provocation discography.
    Scenario(
        "a positive disc with a control while surgery is considered",
        [discography([DISC_POSITIVE, DISC_CONTROL])],
        episode={"surgery_considered": True, "side": "midline"},
        response="positive",
        relief=None,
        include=("surgical_evaluation",),
        exclude=("record_post_block_scores", "repeat_block"),
        no_warnings=("surgery_not_considered",),
        suggestion={"levels": ["L4-L5"]},
    ),
    Scenario(
        "a positive discography while surgery is not considered warns",
        [discography([DISC_POSITIVE, DISC_CONTROL])],
        response="positive",
        warnings=("surgery_not_considered",),
        exclude=("surgical_evaluation", "record_post_block_scores"),
    ),
    Scenario(
        "a positive disc without a negative control needs review, not a repeat",
        [discography([DISC_POSITIVE, {**DISC_POSITIVE, "level": "L3-L4"}])],
        episode={"surgery_considered": True},
        response="indeterminate",
        include=("physician_review",),
        exclude=("repeat_block", "surgical_evaluation"),
    ),
    Scenario(
        "a single disc cannot be read",
        [discography([DISC_POSITIVE])],
        episode={"surgery_considered": True},
        response="indeterminate",
        include=("repeat_block",),
        exclude=("surgical_evaluation", "record_post_block_scores"),
    ),
    Scenario(
        "no positive disc points elsewhere",
        [discography([{**DISC_POSITIVE, "pain_score": 6}, DISC_CONTROL])],
        episode={"surgery_considered": True},
        response="negative",
        include=("evaluate_other_source",),
        exclude=("surgical_evaluation", "record_post_block_scores"),
    ),
    Scenario(
        "pain provoked 50 psi above opening is not a positive disc",
        [discography([{**DISC_POSITIVE, "provocation_pressure_psi": 60}, DISC_CONTROL])],
        episode={"surgery_considered": True},
        response="negative",
        exclude=("surgical_evaluation",),
    ),
    Scenario(
        "a grade 2 fissure is not a positive disc",
        [discography([{**DISC_POSITIVE, "annular_grade": 2}, DISC_CONTROL])],
        episode={"surgery_considered": True},
        response="negative",
        exclude=("surgical_evaluation",),
    ),
    # Screening.
    Scenario(
        "a physician's override lets a hard stop through",
        [
            block(
                TF,
                contraindications=["anticoagulant_not_held"],
                override_reason="Cardiology advised against a longer hold.",
            )
        ],
        response="positive",
        include=("therapeutic_epidural_injection",),
    ),
]


def _create_episode(client, number: int, scenario: Scenario) -> int:
    patient = client.post(
        "/api/patients/",
        {"mrn": f"SCN{number:03d}", "birth_date": "1961-04-02", "sex": "female"},
        format="json",
    )
    assert patient.status_code == 201, patient.json()
    episode = {
        "patient": patient.json()["id"],
        "region": "lumbar",
        "side": "right",
        "pain_pattern": "axial",
        "surgery_considered": False,
        **scenario.episode,
    }
    response = client.post("/api/episodes/", episode, format="json")
    assert response.status_code == 201, response.json()
    return response.json()["id"]


@pytest.mark.parametrize(
    "number, scenario", list(enumerate(SCENARIOS)), ids=[s.name for s in SCENARIOS]
)
def test_scenario(physician_client, number, scenario):
    client = physician_client
    episode_id = _create_episode(client, number, scenario)
    ids = []
    for body in scenario.blocks:
        response = client.post("/api/procedures/", {"episode": episode_id, **body}, format="json")
        assert response.status_code == 201, response.json()
        ids.append(response.json()["id"])

    latest = client.get(f"/api/procedures/{ids[-1]}/", {"profile": scenario.profile}).json()
    reading = latest["interpretation"]
    assert reading["profile"] == scenario.profile
    if scenario.response is not None:
        assert reading["response"] == scenario.response, reading["reasons"]
    if scenario.relief != "any":
        assert reading["relief_percent"] == scenario.relief
    for code in scenario.warnings:
        assert code in reading["warnings"]
    for code in scenario.no_warnings:
        assert code not in reading["warnings"]

    steps = client.get(f"/api/episodes/{episode_id}/next-steps/", {"profile": scenario.profile})
    assert steps.status_code == 200
    suggestions = steps.json()["suggestions"]
    codes = [s["code"] for s in suggestions]
    for code in scenario.include:
        assert code in codes, suggestions
    for code in scenario.exclude:
        assert code not in codes, suggestions
    if scenario.suggestion:
        chosen = next(s for s in suggestions if s["code"] == scenario.include[0])
        assert {k: chosen[k] for k in scenario.suggestion} == scenario.suggestion
        assert chosen["rule"] and chosen["source"] and chosen["rationale"]
        assert set(chosen["based_on"]) <= set(ids)


def test_the_table_holds_at_least_forty_cases():
    assert len(SCENARIOS) >= 40
