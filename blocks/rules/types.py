"""Plain data that goes into and comes out of the clinical engine.

The Django models are converted to these at the edge (see blocks/adapters.py);
the engine never sees the ORM.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class DiaryScore:
    minutes_after: int
    score: int
    patient_reported_relief_percent: int | None = None
    # A patient's score entered after the next time point was due (CLINICAL_RULES section 9).
    late: bool = False
    source: str = "staff"  # staff or patient: who answers which time point (section 9)


@dataclass(frozen=True)
class FollowUpPoint:
    """One follow-up after a treatment (CLINICAL_RULES section 10): days after it, index pain
    0-10 and the PGIC, stored 1-7 (7 = very much improved)."""

    days_after: int
    pain: int
    pgic: int | None = None
    medication_change: str | None = None  # less | same | more
    source: str = "staff"


@dataclass(frozen=True)
class DiscInjection:
    level: str
    opening_pressure_psi: float | None
    provocation_pressure_psi: float | None
    pain_score: int | None
    concordance: str  # concordant | discordant | none
    annular_grade: int | None


@dataclass(frozen=True)
class Block:
    """One procedure as the rules see it."""

    id: int | None
    performed_at: datetime
    kind: str
    intent: str
    side: str
    levels: tuple[str, ...]
    anesthetic: str
    anesthetic_volume_ml: float | None
    steroid: str
    steroid_dose_mg: float | None
    guidance: str
    contrast_used: bool
    contrast_flow_confirmed: bool
    sedation: str
    pre_pain: int | None
    region: str
    surgery_considered: bool = False
    pain_scores: tuple[DiaryScore, ...] = ()
    discs: tuple[DiscInjection, ...] = ()
    contraindications: tuple[str, ...] = ()
    # Follow-ups after a treatment (section 10); empty for diagnostic blocks.
    follow_ups: tuple[FollowUpPoint, ...] = ()


@dataclass(frozen=True)
class DiscReading:
    level: str
    result: str  # positive | negative | indeterminate
    reason: str


@dataclass(frozen=True)
class Interpretation:
    profile: str
    relief_percent: float | None
    response: str
    validity: str
    duration_minutes: int | None
    duration_censored: bool
    warnings: tuple[str, ...]
    reasons: tuple[str, ...]
    discs: tuple[DiscReading, ...] = ()
    peak_minutes: int | None = None
    positive_threshold_percent: float | None = None
    # True when this block may count towards RFA or a therapeutic injection.
    counts_towards_treatment: bool = False
    non_diagnostic_reasons: tuple[str, ...] = ()
    # Codes of the same reasons, in the same order (no_image_guidance, guidance_not_accepted,
    # contrast_flow_not_confirmed, sedation_moderate, sedation_deep, sedation_general).
    non_diagnostic_codes: tuple[str, ...] = ()
    warning_messages: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Suggestion:
    code: str
    levels: tuple[str, ...]
    side: str
    based_on: tuple[int, ...]
    rule: str
    rationale: str
    source: str
    earliest_date: date | None = None
    anesthetic: str | None = None
    # For record_post_block_scores on an unfinished diary: the minute the diary must reach.
    until_minutes: int | None = None


@dataclass(frozen=True)
class Screening:
    hard_stops: tuple[str, ...]
    warnings: tuple[str, ...]
