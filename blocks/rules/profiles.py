"""Guideline profiles (CLINICAL_RULES.md section 3) as data.

Every threshold the engine uses is a field here; nothing clinical is a
literal elsewhere. Local policy choices [L] are marked in `local_policy`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from blocks.rules import vocab


@dataclass(frozen=True)
class AgentWindow:
    """Minutes after the block in which an agent's effect sets the peak relief [L]."""

    start_minutes: int
    end_minutes: int


@dataclass(frozen=True)
class Profile:
    name: str
    title: str
    version_date: str
    sources: tuple[str, ...]
    # Relief thresholds, percent.
    nerve_root_positive_percent: float
    little_relief_below_percent: float
    medial_branch_positive_percent: float
    facet_intraarticular_positive_percent: float
    si_joint_positive_percent: float
    # Pathways.
    medial_branch_blocks_before_rfa: int
    rfa_requires_concordance: bool
    duration_consistent_with_agent_required: bool
    min_days_between_diagnostic_blocks: int | None
    facet_intraarticular_blocks_before_therapeutic: int
    # Discography.
    discography_concordant_pain_at_least: int
    discography_pressure_above_opening_below_psi: float
    discography_annular_grade_at_least: int
    discography_min_discs: int
    # Repeat RFA.
    repeat_rfa_relief_at_least_percent: float
    repeat_rfa_lasting_days: int
    # Technique.
    sedation_invalidates: tuple[str, ...]
    sedation_warns: tuple[str, ...]
    ultrasound_valid_for_cervical_medial_branch: bool
    medial_branch_high_volume_above_ml: float
    intraarticular_high_volume_at_least_ml: float
    # Agents [L].
    evaluation_windows: dict[str, AgentWindow] = field(default_factory=dict)
    min_duration_minutes: dict[str, int] = field(default_factory=dict)
    baseline_at_least: int = 3
    # Follow-up after treatment (section 10): the invited time points (days) [L] and the
    # IMMPACT success thresholds [P]; PGIC is stored 1-7, 7 = very much improved.
    follow_up_days: tuple[int, ...] = (14, 30, 90, 180, 365)
    follow_up_substantial_relief_percent: float = 50.0
    follow_up_meaningful_relief_percent: float = 30.0
    pgic_responder_at_least: int = 6
    # Frequency limits per region per rolling 12 months (section 7), or None.
    frequency_limits: FrequencyLimits | None = None
    local_policy: tuple[str, ...] = ()

    def positive_threshold(self, kind: str) -> float:
        """The relief at or above which a valid block of this kind is positive."""
        if kind == vocab.MEDIAL_BRANCH:
            return self.medial_branch_positive_percent
        if kind == vocab.FACET_IA:
            return self.facet_intraarticular_positive_percent
        if kind == vocab.SI_JOINT:
            return self.si_joint_positive_percent
        return self.nerve_root_positive_percent

    def as_dict(self) -> dict:
        data = asdict(self)
        name = data.pop("name")
        version_date = data.pop("version_date")
        sources = list(data.pop("sources"))
        title = data.pop("title")
        local_policy = list(data.pop("local_policy"))
        return {
            "name": name,
            "title": title,
            "version_date": version_date,
            "sources": sources,
            "local_policy": local_policy,
            "parameters": data,
        }


@dataclass(frozen=True)
class FrequencyLimits:
    rolling_days: int
    diagnostic_facet_sessions: int
    rfa_sessions: int
    epidural_sessions: int
    si_diagnostic_sessions: int
    si_therapeutic_sessions: int
    facet_levels_per_session: int
    transforaminal_levels_per_session: int
    interlaminar_levels_per_session: int


# [L] Textbook durations of the local anaesthetics; saline is read like the long agents.
_WINDOWS = {
    vocab.LIDOCAINE: AgentWindow(0, 180),
    vocab.BUPIVACAINE: AgentWindow(0, 480),
    vocab.ROPIVACAINE: AgentWindow(0, 480),
    vocab.SALINE: AgentWindow(0, 480),
}
_MIN_DURATION = {vocab.LIDOCAINE: 60, vocab.BUPIVACAINE: 180, vocab.ROPIVACAINE: 180}

_LOCAL_POLICY = (
    "Evaluation windows: lidocaine 0-180 min; bupivacaine, ropivacaine and saline 0-480 min.",
    "Duration consistent with the agent: lidocaine at least 60 min; bupivacaine and "
    "ropivacaine at least 180 min.",
    "A baseline (pre-block) pain below 3/10 makes relief unreadable.",
    "Follow-up after treatment at 14, 30, 90, 180 and 365 days (from published RFA series).",
)

_COMMON = dict(
    nerve_root_positive_percent=80.0,
    little_relief_below_percent=50.0,
    si_joint_positive_percent=75.0,
    discography_concordant_pain_at_least=7,
    discography_pressure_above_opening_below_psi=50.0,
    discography_annular_grade_at_least=3,
    discography_min_discs=2,
    medial_branch_high_volume_above_ml=0.5,
    intraarticular_high_volume_at_least_ml=1.5,
    evaluation_windows=_WINDOWS,
    min_duration_minutes=_MIN_DURATION,
    baseline_at_least=3,
    local_policy=_LOCAL_POLICY,
)

CMS_2021 = Profile(
    name="cms-2021",
    title="Medicare facet joint interventions LCDs (2021)",
    version_date="2021-04-25",
    sources=(
        "Medicare LCD 'Facet Joint Interventions for Pain Management' (L38773 CGS, "
        "L34892 Novitas, L38801/L38803 Noridian), effective 25 Apr 2021",
        "Medicare SI joint injection LCDs (2023) and SIS appropriate-use criteria (2017)",
        "SIS/IASP provocation discography criteria",
    ),
    medial_branch_positive_percent=80.0,
    facet_intraarticular_positive_percent=80.0,
    medial_branch_blocks_before_rfa=2,
    rfa_requires_concordance=False,
    duration_consistent_with_agent_required=True,
    min_days_between_diagnostic_blocks=14,
    facet_intraarticular_blocks_before_therapeutic=2,
    repeat_rfa_relief_at_least_percent=50.0,
    repeat_rfa_lasting_days=180,
    sedation_invalidates=("deep", "general"),
    sedation_warns=("moderate",),
    ultrasound_valid_for_cervical_medial_branch=False,
    frequency_limits=FrequencyLimits(
        rolling_days=365,
        diagnostic_facet_sessions=4,
        rfa_sessions=2,
        epidural_sessions=4,
        si_diagnostic_sessions=2,
        si_therapeutic_sessions=4,
        facet_levels_per_session=2,
        transforaminal_levels_per_session=2,
        interlaminar_levels_per_session=1,
    ),
    **_COMMON,
)

ASRA_2020 = Profile(
    name="asra-2020",
    title="ASRA multisociety facet guidelines (Cohen 2020 lumbar, Hurley 2021/22 cervical)",
    version_date="2020-06-01",
    sources=(
        "Cohen SP et al. Consensus practice guidelines on interventions for lumbar facet "
        "joint pain. Reg Anesth Pain Med 2020",
        "Hurley RW et al. Consensus practice guidelines on interventions for cervical spine "
        "(facet) joint pain. Reg Anesth Pain Med 2022",
        "SIS appropriate-use criteria (2017) for the SI joint",
        "SIS/IASP provocation discography criteria",
    ),
    medial_branch_positive_percent=50.0,
    facet_intraarticular_positive_percent=50.0,
    medial_branch_blocks_before_rfa=1,
    rfa_requires_concordance=False,
    duration_consistent_with_agent_required=False,
    min_days_between_diagnostic_blocks=None,
    facet_intraarticular_blocks_before_therapeutic=1,
    repeat_rfa_relief_at_least_percent=30.0,
    repeat_rfa_lasting_days=90,
    sedation_invalidates=("deep", "general"),
    sedation_warns=("moderate",),
    ultrasound_valid_for_cervical_medial_branch=True,
    **_COMMON,
)

SIS_CONTROLLED = Profile(
    name="sis-controlled",
    title="Controlled comparative blocks (Lord, Barnsley, Bogduk)",
    version_date="1995-01-01",
    sources=(
        "Lord SM, Barnsley L, Bogduk N. The utility of comparative local anesthetic blocks "
        "versus placebo-controlled blocks for the diagnosis of cervical zygapophysial joint "
        "pain. Clin J Pain 1995",
        "Barnsley L et al. Comparative local anaesthetic blocks in the diagnosis of cervical "
        "zygapophysial joint pain. Pain 1993",
        "SIS/IASP provocation discography criteria",
    ),
    medial_branch_positive_percent=80.0,
    facet_intraarticular_positive_percent=80.0,
    medial_branch_blocks_before_rfa=2,
    rfa_requires_concordance=True,
    duration_consistent_with_agent_required=False,
    min_days_between_diagnostic_blocks=1,
    facet_intraarticular_blocks_before_therapeutic=2,
    repeat_rfa_relief_at_least_percent=50.0,
    repeat_rfa_lasting_days=180,
    sedation_invalidates=("moderate", "deep", "general"),
    sedation_warns=(),
    ultrasound_valid_for_cervical_medial_branch=False,
    **_COMMON,
)

PROFILES: dict[str, Profile] = {p.name: p for p in (CMS_2021, ASRA_2020, SIS_CONTROLLED)}


class UnknownProfile(ValueError):
    pass


def get_profile(name: str) -> Profile:
    try:
        return PROFILES[name]
    except KeyError:
        raise UnknownProfile(
            f"Unknown guideline profile {name!r}; choose one of {', '.join(PROFILES)}."
        ) from None
