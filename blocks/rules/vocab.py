"""The tracker's vocabularies (API_CONTRACT.md "Vocabularies", CLINICAL_RULES.md).

Plain Python so that the clinical engine stays free of Django. The models
build their field choices from these tuples; the codes are a contract.
"""

REGIONS = ("cervical", "thoracic", "lumbar", "sacroiliac")
SIDES = ("left", "right", "bilateral", "midline")
PAIN_PATTERNS = ("axial", "radicular")
SEXES = ("female", "male", "other", "unknown")

TRANSFORAMINAL = "transforaminal_epidural"
INTERLAMINAR = "interlaminar_epidural"
FACET_IA = "facet_intraarticular"
MEDIAL_BRANCH = "medial_branch_block"
SI_JOINT = "sacroiliac_joint"
DISCOGRAPHY = "provocation_discography"
RFA = "radiofrequency_ablation"
KINDS = (TRANSFORAMINAL, INTERLAMINAR, FACET_IA, MEDIAL_BRANCH, SI_JOINT, DISCOGRAPHY, RFA)

INTENTS = ("diagnostic", "therapeutic")
# Discography is diagnostic whatever the form says; an RFA treats, whatever it says.
ALWAYS_DIAGNOSTIC_KINDS = frozenset({DISCOGRAPHY})
NEVER_DIAGNOSTIC_KINDS = frozenset({RFA})


def is_diagnostic(kind: str, intent: str) -> bool:
    """The one definition of a diagnostic procedure: engine, pathways and queries use it."""
    if kind in ALWAYS_DIAGNOSTIC_KINDS:
        return True
    return kind not in NEVER_DIAGNOSTIC_KINDS and intent == "diagnostic"


LIDOCAINE = "lidocaine"
BUPIVACAINE = "bupivacaine"
ROPIVACAINE = "ropivacaine"
SALINE = "saline"
ANESTHETICS = (LIDOCAINE, BUPIVACAINE, ROPIVACAINE, SALINE, "none")
SHORT_ACTING = frozenset({LIDOCAINE})
LONG_ACTING = frozenset({BUPIVACAINE, ROPIVACAINE})

STEROIDS = ("none", "triamcinolone", "methylprednisolone", "dexamethasone", "betamethasone")
PARTICULATE_STEROIDS = frozenset({"triamcinolone", "methylprednisolone", "betamethasone"})
GUIDANCE = ("fluoroscopy", "ct", "ultrasound", "none")
SEDATION = ("none", "minimal", "moderate", "deep", "general")
CONCORDANCE = ("concordant", "discordant", "none")

# Why a block's technique makes it non-diagnostic (interpretation.technique_problems).
NON_DIAGNOSTIC_CODES = (
    "no_image_guidance",
    "guidance_not_accepted",
    "contrast_flow_not_confirmed",
    "sedation_moderate",
    "sedation_deep",
    "sedation_general",
)

RESPONSES = ("positive", "partial", "negative", "indeterminate", "non_diagnostic")
VALIDITIES = ("valid", "non_diagnostic", "indeterminate")
DISC_RESULTS = ("positive", "negative", "indeterminate")

HARD_STOPS = (
    "skin_infection_at_site",
    "systemic_infection",
    "bleeding_disorder",
    "anticoagulant_not_held",
    "anesthetic_allergy",
)
CONDITIONAL_HARD_STOPS = ("contrast_allergy", "steroid_allergy")
SCREENING_WARNINGS = ("uncontrolled_hypertension", "uncontrolled_diabetes", "pregnancy")
CONTRAINDICATIONS = HARD_STOPS + CONDITIONAL_HARD_STOPS + SCREENING_WARNINGS

COMPLICATIONS = (
    "bleeding",
    "infection",
    "nerve_injury",
    "arachnoiditis",
    "paralysis",
    "avascular_necrosis",
    "spinal_headache",
    "muscle_weakness",
    "increased_pain",
    "vasovagal",
    "intravascular_injection",
    "allergic_reaction",
    "facial_flushing",
    "increased_appetite",
    "menstrual_irregularity",
    "nausea",
    "diarrhea",
    "increased_blood_sugar",
    "insomnia",
)
STEROID_SIDE_EFFECTS = frozenset(
    {
        "facial_flushing",
        "increased_appetite",
        "menstrual_irregularity",
        "nausea",
        "diarrhea",
        "increased_blood_sugar",
        "insomnia",
    }
)
SEVERITIES = ("mild", "moderate", "severe")
ALWAYS_SERIOUS = frozenset({"paralysis", "arachnoiditis", "nerve_injury", "avascular_necrosis"})
SERIOUS_WHEN_SEVERE = frozenset({"infection", "bleeding"})

NEXT_STEP_CODES = (
    "record_post_block_scores",
    "repeat_block",
    "evaluate_other_source",
    "physician_review",
    "confirmatory_block",
    "radiofrequency_ablation",
    "therapeutic_facet_injection",
    "therapeutic_epidural_injection",
    "therapeutic_si_injection",
    "surgical_evaluation",
)

WARNING_CODES = (
    "increased_pain",
    "no_contrast",
    "high_volume",
    "steroid_in_diagnostic_block",
    "moderate_sedation",
    "particulate_steroid_cervical_transforaminal",
    "duration_inconsistent_with_agent",
    "diary_incomplete",
    "late_diary_entry",
    "surgery_not_considered",
    "uncontrolled_hypertension",
    "uncontrolled_diabetes",
    "pregnancy",
    "steroid_raises_blood_sugar",
    "frequency_limit",
)

# Levels. Segments name a facet joint or a disc; roots name a spinal nerve.
_CERVICAL = ["C2", "C3", "C4", "C5", "C6", "C7"]
_THORACIC = [f"T{n}" for n in range(1, 13)]
_LUMBAR = [f"L{n}" for n in range(1, 6)]


def _segments(vertebrae: list[str], below: str) -> list[str]:
    chain = vertebrae + [below]
    return [f"{upper}-{lower}" for upper, lower in zip(chain, chain[1:], strict=False)]


SEGMENTS_BY_REGION = {
    "cervical": tuple(_segments(_CERVICAL, "T1")),  # C2-C3 ... C7-T1
    "thoracic": tuple(_segments(_THORACIC, "L1")),  # T1-T2 ... T12-L1
    "lumbar": tuple(_segments(_LUMBAR, "S1")),  # L1-L2 ... L5-S1
}
ROOTS_BY_REGION = {
    "cervical": tuple(f"C{n}" for n in range(2, 9)),  # C2 ... C8
    "thoracic": tuple(_THORACIC),
    "lumbar": tuple(_LUMBAR) + ("S1", "S2"),
}
SI_LEVEL = "SI"
SEGMENTS = tuple(
    s for region in ("cervical", "thoracic", "lumbar") for s in SEGMENTS_BY_REGION[region]
)
ROOTS = tuple(r for region in ("cervical", "thoracic", "lumbar") for r in ROOTS_BY_REGION[region])
LEVELS = SEGMENTS + ROOTS + (SI_LEVEL,)

# Which family of levels each kind names.
ROOT_KINDS = frozenset({TRANSFORAMINAL})
SEGMENT_KINDS = frozenset({FACET_IA, MEDIAL_BRANCH, DISCOGRAPHY, RFA, INTERLAMINAR})
SI_KINDS = frozenset({SI_JOINT})


def allowed_levels(kind: str, region: str) -> tuple[str, ...]:
    """Levels that a procedure of this kind may name in an episode of this region."""
    if kind in SI_KINDS:
        # Low back pain is worked up in a lumbar or a sacroiliac episode.
        return (SI_LEVEL,) if region in ("lumbar", "sacroiliac") else ()
    if region == "sacroiliac":
        # The lumbosacral spine is the neighbour of the SI joint: its segments
        # and roots are the usual differential of buttock and leg pain.
        region = "lumbar"
    if kind in ROOT_KINDS:
        return ROOTS_BY_REGION[region]
    return SEGMENTS_BY_REGION[region]


# What screening warns of: the screened warnings, and a steroid given with uncontrolled diabetes.
SCREENING_WARNING_CODES = SCREENING_WARNINGS + ("steroid_raises_blood_sugar",)
# The next-step answer's own warnings (GET /api/episodes/{id}/next-steps/ "warnings").
FREQUENCY_WARNING_CODES = ("frequency_limit",)
