"""Model instances to the clinical engine's plain dataclasses (blocks.rules.types).

These functions read only what the querysets of blocks/selectors.py load:
`episode` by select_related, `screening` by select_related, and `pain_scores`
and `discs` through prefetch_related `.all()`, so converting a page of
procedures costs no query per row.
"""

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist

from blocks.models import DiscInjection as DiscRow
from blocks.models import PainScore, Procedure
from blocks.models.measured import MEASURED_FIELDS, engine_values
from blocks.rules import followup as followup_rules
from blocks.rules.types import Block, DiaryScore, DiscInjection, FollowUpPoint


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def to_diary_score(row: PainScore) -> DiaryScore:
    return DiaryScore(
        minutes_after=row.minutes_after,
        score=row.score,
        patient_reported_relief_percent=row.patient_reported_relief_percent,
        late=row.late,
        source=row.source,
    )


def standing_scores(procedure: Procedure) -> list[PainScore]:
    """The diary scores the engine reads: a score entered in error is read by nothing.

    Filtered in Python so that a prefetched `pain_scores` costs no further query.
    """
    return [s for s in procedure.pain_scores.all() if not s.entered_in_error]


def standing_follow_ups(procedure: Procedure) -> list:
    """A treatment's standing follow-ups, in day order; none for a diagnostic block.

    Read from a prefetched `follow_ups` when there is one (the selectors prefetch it), so a
    page of procedures costs no query per row; a lone treatment costs one.
    """
    if procedure.kind not in followup_rules.TREATMENT_CODE or procedure.is_diagnostic_kind():
        return []
    rows = procedure.follow_ups.all()
    return sorted((f for f in rows if not f.entered_in_error), key=lambda f: f.days_after)


def to_follow_up(row) -> FollowUpPoint:
    return FollowUpPoint(
        days_after=row.days_after,
        pain=row.pain,
        pgic=row.pgic,
        medication_change=row.medication_change or None,
        source=row.source,
    )


def to_disc(row: DiscRow) -> DiscInjection:
    return DiscInjection(
        level=row.level,
        opening_pressure_psi=_number(row.opening_pressure_psi),
        provocation_pressure_psi=_number(row.provocation_pressure_psi),
        pain_score=row.pain_score,
        concordance=row.concordance,
        annular_grade=row.annular_grade,
    )


def contraindications_of(procedure: Procedure) -> tuple[str, ...]:
    try:
        return tuple(procedure.screening.contraindications)
    except ObjectDoesNotExist:
        return ()


def to_block(procedure: Procedure, *, with_findings: bool = True) -> Block:
    """One procedure as the rules see it.

    `with_findings=False` leaves out diary scores, discs and screening: enough for
    the frequency limits, which count sessions, and cheaper for a patient's history.
    """
    episode = procedure.episode
    return Block(
        id=procedure.pk,
        **engine_values({name: getattr(procedure, name) for name in MEASURED_FIELDS}),
        region=episode.region,
        surgery_considered=episode.surgery_considered,
        pain_scores=(
            tuple(to_diary_score(s) for s in standing_scores(procedure)) if with_findings else ()
        ),
        discs=tuple(to_disc(d) for d in procedure.discs.all()) if with_findings else (),
        contraindications=contraindications_of(procedure) if with_findings else (),
        follow_ups=(
            tuple(to_follow_up(f) for f in standing_follow_ups(procedure)) if with_findings else ()
        ),
    )


def to_blocks(procedures: Iterable[Procedure], *, with_findings: bool = True) -> list[Block]:
    return [to_block(p, with_findings=with_findings) for p in procedures]
