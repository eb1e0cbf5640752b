"""Every rule the engine applies: its id, the plain-language message and the source.

Each decision names one of these rule ids, so that a physician can trace a
suggestion, a warning, a hard stop or a non-diagnostic reason to the line of
CLINICAL_RULES.md behind it and to the document that line rests on.
Evidence tags (CLINICAL_RULES.md, top): [P] read in a primary source,
[S] seen only in a secondary summary, [L] a local policy choice of this project.
"""

from __future__ import annotations

from dataclasses import dataclass

EVIDENCE = {
    "P": "Read in a primary source: a guideline table, a Medicare page or a journal abstract.",
    "S": "Seen only in a secondary summary; to be checked against its primary source.",
    "L": "A local policy choice of this project (no guideline gives a number); "
    "configurable in the guideline profile.",
}

EVIDENCE_TAGS = tuple(EVIDENCE)


@dataclass(frozen=True)
class Source:
    """A readable citation and its evidence tag; ``detail`` names a second source in words."""

    citation: str
    evidence: str
    detail: str = ""

    @property
    def text(self) -> str:
        """The citation without its own tag (the tag travels beside it)."""
        return f"{self.citation}; {self.detail}" if self.detail else self.citation

    def __str__(self) -> str:
        """One line, as a suggestion's ``source`` shows it."""
        line = f"{self.citation} [{self.evidence}]"
        return f"{line}; {self.detail}" if self.detail else line


# The documents behind the rules, named as a clinician would look them up.
SEED = Source("AAOS OrthoInfo patient handout “Spinal Injections”", "P")
MEDICARE_FACET = Source(
    "Medicare LCD “Facet Joint Interventions for Pain Management” (L38773 CGS, L34892 "
    "Novitas, L38801/L38803 Noridian), effective 25 Apr 2021",
    "P",
    "second block at least 2 weeks after the first [S]",
)
MEDICARE_REPEAT_RFA = Source(
    "Medicare LCD “Facet Joint Interventions for Pain Management”, effective 25 Apr 2021: "
    "repeat RFA after at least 50 % relief for 6 months",
    "S",
)
ASRA_FACET = Source(
    "ASRA multisociety guidelines: Cohen SP et al., lumbar facet joint pain, Reg Anesth "
    "Pain Med 2020; Hurley RW et al., cervical facet joint pain, 2021/22",
    "P",
)
ASRA_REPEAT_RFA = Source(
    "ASRA 2020 multisociety guideline (Cohen SP et al., Reg Anesth Pain Med 2020): repeat "
    "RFA after more than 30 % relief for 3 months",
    "P",
)
ASRA_TECHNIQUE = Source(
    "ASRA multisociety guidelines (Cohen SP et al. 2020; Hurley RW et al. 2021/22) and the "
    "Medicare facet LCDs 2021: fluoroscopic or CT guidance",
    "P",
)
ASRA_VOLUME = Source(
    "ASRA 2020 multisociety guideline (Cohen SP et al., Reg Anesth Pain Med 2020): "
    "injected volume and specificity",
    "P",
)
ASRA_SEDATION = Source(
    "ASRA 2020 multisociety guideline (Cohen SP et al., Reg Anesth Pain Med 2020): "
    "sedation “not routinely”",
    "P",
)
ASRA_SEDATION_CUT = Source(
    "ASRA 2020 multisociety guideline (Cohen SP et al.): sedation “not routinely”; "
    "that moderate sedation invalidates under sis-controlled is local policy",
    "L",
)
COMPARATIVE = Source(
    "Lord SM, Barnsley L, Bogduk N, Clin J Pain 1995; Barnsley L et al. 1993: comparative "
    "local anaesthetic blocks",
    "P",
)
SI_SOURCE = Source(
    "SIS appropriate-use criteria (2017); Medicare SI joint injection LCDs (2023)", "S"
)
DISCOGRAPHY = Source(
    "SIS/IASP provocation discography criteria",
    "S",
    "more than one disc, when surgery is considered: AAOS OrthoInfo “Spinal Injections” [P]",
)
LOCAL = Source("Local policy of this project, configurable in the guideline profile", "L")
FDA_2014 = Source(
    "FDA Drug Safety Communication on epidural corticosteroid injections, April 2014", "P"
)
MEDICARE_FREQUENCY = Source(
    "Medicare LCDs for facet joint interventions, epidural steroid injections and SI joint "
    "injections: frequency limits",
    "S",
)
MEDICARE_DURATION = Source(
    "Medicare LCD “Facet Joint Interventions for Pain Management”, effective 25 Apr 2021: "
    "relief consistent with the agent's duration",
    "P",
    "minimum minutes per agent from textbook durations [L]",
)
DIARY_MINIMUM = Source(
    "Local reading of an unfinished diary: a still-positive diary must reach the agent's "
    "minimum duration before the block counts or is compared",
    "L",
)
DIARY_SCHEDULE = Source(
    "Local diary policy: the time points by agent, and a patient's score entered after the "
    "next time point was due is kept and marked late",
    "L",
)
SECONDARY_STEROID = Source(
    "Secondary summaries of diagnostic block practice: a steroid acts for weeks and blurs "
    "the anaesthetic's reading; primary source not yet checked",
    "S",
)
NAROUZE_2018 = Source(
    "Narouze S et al., ASRA/ESRA/AAPM/INS/NANS/WIP guideline on interventional spine and "
    "pain procedures in patients on antiplatelet and anticoagulant medications, Reg Anesth "
    "Pain Med 2018: hold times",
    "S",
    "anticoagulation makes a poor candidate: AAOS OrthoInfo “Spinal Injections” [P]",
)
LOCAL_SCREENING = Source(
    "Local policy of this project: a contraindication not in the handout's list", "L"
)

REPEAT_RFA = {
    "cms-2021": MEDICARE_REPEAT_RFA,
    "asra-2020": ASRA_REPEAT_RFA,
    "sis-controlled": MEDICARE_REPEAT_RFA,
}
RFA_SOURCE_BY_PROFILE = {
    "cms-2021": MEDICARE_FACET,
    "asra-2020": ASRA_FACET,
    "sis-controlled": COMPARATIVE,
}

# Groups of the rules page, in its order.
GROUPS = {
    "pathway": "Suggestions: the pathway rules",
    "validity": "Validity and warnings",
    "screening": "Screening and hard stops",
    "frequency": "Frequency limits",
}
KINDS = ("warning", "non_diagnostic", "hard_stop")


@dataclass(frozen=True)
class Rule:
    """One rule. A rule that raises a code names it; suggestion rules leave it blank.

    ``elsewhere`` lists the sources that replace ``source`` under a named
    profile or for a named target, in words ("under asra-2020", "for discs").
    """

    id: str
    group: str
    message: str
    source: Source
    code: str = ""
    kind: str = ""
    elsewhere: tuple[tuple[str, Source], ...] = ()

    @property
    def evidence(self) -> str:
        return self.source.evidence

    @property
    def anchor(self) -> str:
        return "rule-" + self.id.replace(".", "-")

    @property
    def sources(self) -> tuple[Source, ...]:
        return (self.source, *(source for _, source in self.elsewhere))


def _by_profile(sources: dict[str, Source], main: str) -> tuple[tuple[str, Source], ...]:
    return tuple(
        (f"under {name}", source)
        for name, source in sources.items()
        if name != main and source != sources[main]
    )


def _pathway(rule_id: str, message: str, source: Source, **extra) -> Rule:
    return Rule(rule_id, "pathway", message, source, **extra)


def _code(rule_id: str, code: str, kind: str, group: str, message: str, source: Source) -> Rule:
    return Rule(rule_id, group, message, source, code=code, kind=kind)


_RFA_ELSEWHERE = _by_profile(RFA_SOURCE_BY_PROFILE, "cms-2021")

PATHWAY_RULES = (
    _pathway(
        "block.technique.non-diagnostic",
        "The latest block was not diagnostic: repeat it.",
        ASRA_TECHNIQUE,
    ),
    _pathway(
        "block.scores.missing",
        "No pain score after the block has been recorded: record the post-block diary.",
        SEED,
    ),
    _pathway(
        "block.diary.incomplete",
        "The diary stops while relief is still present, before the anaesthetic's minimum "
        "duration: record the diary up to that minute.",
        DIARY_MINIMUM,
    ),
    _pathway(
        "block.baseline.too-low",
        "Pain before the block was too low to read relief: repeat the block when the index "
        "pain is present.",
        LOCAL,
    ),
    _pathway(
        "block.scores.outside-window",
        "No pain score fell inside the agent's evaluation window: record the diary scores "
        "taken inside it.",
        LOCAL,
    ),
    _pathway(
        "block.response.partial",
        "Partial relief neither confirms nor excludes the target: a physician reviews it.",
        SEED,
    ),
    _pathway(
        "block.response.negative",
        "Little relief: this nerve, joint or disc is not the primary source of pain; look "
        "for another source.",
        SEED,
        elsewhere=(("for discs", DISCOGRAPHY),),
    ),
    _pathway(
        "block.placebo-response",
        "Pain was relieved after a saline (placebo) injection: a physician reviews the "
        "target's blocks.",
        COMPARATIVE,
    ),
    _pathway(
        "target.conflicting-results",
        "A positive and a negative valid block on the same target disagree: a physician "
        "reviews them before anything else is done.",
        SEED,
    ),
    _pathway(
        "root.positive.therapeutic-epidural",
        "Near-complete relief from a selective nerve block: the nerve is the primary source; "
        "a therapeutic epidural injection may help.",
        SEED,
    ),
    _pathway(
        "si.positive.therapeutic-injection",
        "A positive SI joint block: the joint is the source; a therapeutic injection with a "
        "steroid may give lasting relief.",
        SI_SOURCE,
    ),
    _pathway(
        "mbb.rfa.dual-block",
        "Two positive medial branch blocks meet the profile: radiofrequency ablation may be "
        "offered.",
        MEDICARE_FACET,
        elsewhere=_RFA_ELSEWHERE,
    ),
    _pathway(
        "mbb.rfa.single-block",
        "One positive medial branch block meets a profile that asks for one: radiofrequency "
        "ablation may be offered.",
        ASRA_FACET,
        elsewhere=_by_profile(RFA_SOURCE_BY_PROFILE, "asra-2020"),
    ),
    _pathway(
        "mbb.confirmatory-block",
        "One positive medial branch block where the profile needs two: a confirmatory block "
        "with the other duration class, from the profile's interval on.",
        MEDICARE_FACET,
        elsewhere=_RFA_ELSEWHERE,
    ),
    _pathway(
        "mbb.comparative.discordant",
        "Comparative blocks are discordant (the long agent's relief did not last longer): a "
        "physician reviews a possible placebo response.",
        COMPARATIVE,
    ),
    _pathway(
        "mbb.comparative.undecided",
        "Relief was still present at the last diary score, so the comparative durations "
        "cannot be compared: a physician reviews the diaries.",
        COMPARATIVE,
    ),
    _pathway(
        "mbb.rfa.comparative-concordant",
        "Comparative medial branch blocks are concordant: radiofrequency ablation may be offered.",
        COMPARATIVE,
    ),
    _pathway(
        "facet.duration-inconsistent",
        "Relief was high enough but shorter than the anaesthetic acts: the block does not "
        "count towards treatment; a physician decides whether to repeat it.",
        MEDICARE_FACET,
    ),
    _pathway(
        "facet-ia.confirmatory-block",
        "One positive intra-articular facet block where the profile needs two: a "
        "confirmatory block with the other duration class, from the profile's interval on.",
        MEDICARE_FACET,
        elsewhere=_RFA_ELSEWHERE,
    ),
    _pathway(
        "facet-ia.therapeutic",
        "Intra-articular facet blocks meet the profile: a therapeutic steroid injection into "
        "the joint may give lasting relief.",
        MEDICARE_FACET,
        elsewhere=_RFA_ELSEWHERE,
    ),
    _pathway(
        "rfa.repeat",
        "The previous ablation relieved enough pain for long enough and the pain has "
        "returned: a repeat ablation may be offered without repeating the diagnostic blocks.",
        MEDICARE_REPEAT_RFA,
        elsewhere=_by_profile(REPEAT_RFA, "cms-2021"),
    ),
    _pathway(
        "disc.too-few-discs",
        "Fewer discs were injected than the profile asks for: a painful disc cannot be told "
        "from a painless one; repeat the study.",
        DISCOGRAPHY,
    ),
    _pathway(
        "disc.no-negative-control",
        "A disc was positive but no disc served as a negative control: a physician reviews "
        "the study.",
        DISCOGRAPHY,
    ),
    _pathway(
        "disc.surgical-evaluation",
        "Concordant pain at a disc with a negative control disc, and surgery is being "
        "considered: refer for surgical evaluation.",
        DISCOGRAPHY,
    ),
    _pathway(
        "disc.surgery-not-considered",
        "A positive discography although surgery is not being considered: a physician "
        "decides what the result changes.",
        DISCOGRAPHY,
    ),
)

WARNING_RULES = (
    _code(
        "block.relief.increased-pain",
        "increased_pain",
        "warning",
        "validity",
        "Pain after the block was higher than before it.",
        SEED,
    ),
    _code(
        "block.technique.no-contrast",
        "no_contrast",
        "warning",
        "validity",
        "No contrast was used, so the spread of the injectate was not confirmed "
        "(acceptable with a contrast allergy).",
        SEED,
    ),
    _code(
        "block.technique.high-volume",
        "high_volume",
        "warning",
        "validity",
        "The injected volume was high enough to spread beyond the target, which makes the "
        "block less specific.",
        ASRA_VOLUME,
    ),
    _code(
        "block.steroid.diagnostic-block",
        "steroid_in_diagnostic_block",
        "warning",
        "validity",
        "A steroid was given in a diagnostic block; its effect lasts weeks and blurs the reading.",
        SECONDARY_STEROID,
    ),
    _code(
        "block.sedation.moderate-warns",
        "moderate_sedation",
        "warning",
        "validity",
        "Moderate sedation was used, which can blur the patient's report of relief.",
        ASRA_SEDATION,
    ),
    _code(
        "block.steroid.particulate-cervical-transforaminal",
        "particulate_steroid_cervical_transforaminal",
        "warning",
        "validity",
        "A particulate steroid was used in a cervical transforaminal injection; "
        "dexamethasone is preferred (FDA 2014).",
        FDA_2014,
    ),
    _code(
        "block.duration.inconsistent-with-agent",
        "duration_inconsistent_with_agent",
        "warning",
        "validity",
        "Relief did not last as long as the anaesthetic is expected to act, so this block "
        "does not count towards treatment.",
        MEDICARE_DURATION,
    ),
    _code(
        "block.duration.diary-incomplete",
        "diary_incomplete",
        "warning",
        "validity",
        "Relief was still present at the last diary score, before the anaesthetic's "
        "minimum duration: the diary is unfinished, so the block is not read yet.",
        DIARY_MINIMUM,
    ),
    _code(
        "block.diary.late-entry",
        "late_diary_entry",
        "warning",
        "validity",
        "The relief or its duration rests on a diary score the patient entered late, after "
        "the next time point was already due: check it with the patient.",
        DIARY_SCHEDULE,
    ),
    _code(
        "disc.indication.surgery-not-considered",
        "surgery_not_considered",
        "warning",
        "validity",
        "Discography was done although surgery is not being considered.",
        SEED,
    ),
    _code(
        "screening.warning.uncontrolled-hypertension",
        "uncontrolled_hypertension",
        "warning",
        "screening",
        "Screened with uncontrolled high blood pressure.",
        SEED,
    ),
    _code(
        "screening.warning.uncontrolled-diabetes",
        "uncontrolled_diabetes",
        "warning",
        "screening",
        "Screened with uncontrolled diabetes.",
        SEED,
    ),
    _code(
        "screening.warning.pregnancy",
        "pregnancy",
        "warning",
        "screening",
        "Screened as pregnant.",
        LOCAL_SCREENING,
    ),
    _code(
        "screening.warning.steroid-raises-blood-sugar",
        "steroid_raises_blood_sugar",
        "warning",
        "screening",
        "A steroid was given to a patient with uncontrolled diabetes: blood sugar may rise.",
        SEED,
    ),
    _code(
        "frequency.medicare-limit",
        "frequency_limit",
        "warning",
        "frequency",
        "A Medicare frequency limit is passed: sessions of one kind per region within 12 "
        "months, or levels in one session (the limits are in the cms-2021 profile); a "
        "warning, never a block.",
        MEDICARE_FREQUENCY,
    ),
)

NON_DIAGNOSTIC_RULES = (
    _code(
        "block.technique.no-image-guidance",
        "no_image_guidance",
        "non_diagnostic",
        "validity",
        "Done without image guidance (fluoroscopy or CT required).",
        ASRA_TECHNIQUE,
    ),
    _code(
        "block.technique.guidance-not-accepted",
        "guidance_not_accepted",
        "non_diagnostic",
        "validity",
        "Ultrasound guidance not accepted for this block under the profile.",
        ASRA_TECHNIQUE,
    ),
    _code(
        "block.technique.contrast-flow-not-confirmed",
        "contrast_flow_not_confirmed",
        "non_diagnostic",
        "validity",
        "Contrast used but its flow not confirmed before medication.",
        SEED,
    ),
    _code(
        "block.sedation.moderate-invalidates",
        "sedation_moderate",
        "non_diagnostic",
        "validity",
        "Moderate sedation, which invalidates under the profile.",
        ASRA_SEDATION_CUT,
    ),
    _code(
        "block.sedation.deep",
        "sedation_deep",
        "non_diagnostic",
        "validity",
        "Deep sedation.",
        ASRA_SEDATION,
    ),
    _code(
        "block.sedation.general",
        "sedation_general",
        "non_diagnostic",
        "validity",
        "General anaesthesia.",
        ASRA_SEDATION,
    ),
)


def _hard_stop(rule_id: str, code: str, message: str, source: Source) -> Rule:
    return _code(rule_id, code, "hard_stop", "screening", message, source)


HARD_STOP_RULES = (
    _hard_stop(
        "screening.hard-stop.skin-infection",
        "skin_infection_at_site",
        "Skin infection at the puncture site.",
        SEED,
    ),
    _hard_stop(
        "screening.hard-stop.systemic-infection",
        "systemic_infection",
        "Systemic infection.",
        LOCAL_SCREENING,
    ),
    _hard_stop(
        "screening.hard-stop.bleeding-disorder",
        "bleeding_disorder",
        "Bleeding disorder.",
        SEED,
    ),
    _hard_stop(
        "screening.hard-stop.anticoagulant-not-held",
        "anticoagulant_not_held",
        "Anticoagulant not held for its required time.",
        NAROUZE_2018,
    ),
    _hard_stop(
        "screening.hard-stop.anesthetic-allergy",
        "anesthetic_allergy",
        "Allergy to local anaesthetics.",
        SEED,
    ),
    _hard_stop(
        "screening.hard-stop.contrast-allergy",
        "contrast_allergy",
        "Allergy to contrast, and contrast was used.",
        SEED,
    ),
    _hard_stop(
        "screening.hard-stop.steroid-allergy",
        "steroid_allergy",
        "Allergy to steroids, and a steroid was given.",
        SEED,
    ),
)

RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (*PATHWAY_RULES, *WARNING_RULES, *NON_DIAGNOSTIC_RULES, *HARD_STOP_RULES)
}
# A code names one rule within its kind: a screening warning and a hard stop never share one.
RULE_OF_CODE: dict[tuple[str, str], Rule] = {
    (rule.kind, rule.code): rule for rule in RULES.values() if rule.code
}

# Every code a finding may carry, for the API's enum.
FINDING_CODES = tuple(dict.fromkeys(rule.code for rule in RULES.values() if rule.code))

WARNING_MESSAGES = {rule.code: rule.message for rule in WARNING_RULES}
NON_DIAGNOSTIC_MESSAGES = {rule.code: rule.message for rule in NON_DIAGNOSTIC_RULES}
HARD_STOP_MESSAGES = {rule.code: rule.message for rule in HARD_STOP_RULES}


def rule_for(kind: str, code: str) -> Rule:
    """The rule behind a code the engine raised; KeyError names an uncatalogued code."""
    return RULE_OF_CODE[(kind, code)]


def rules_by_group() -> list[tuple[str, str, list[Rule]]]:
    """(group, its title, its rules) in the rules page's order, rule ids sorted."""
    return [
        (group, title, sorted((r for r in RULES.values() if r.group == group), key=_id))
        for group, title in GROUPS.items()
    ]


def _id(rule: Rule) -> str:
    return rule.id
