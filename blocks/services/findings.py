"""Adding what is learnt after the procedure: diary scores and complications."""

from django.core.exceptions import ValidationError
from django.db import transaction

from blocks.models import Complication, PainScore, Procedure
from blocks.models.checks import clean_record
from blocks.services.readings import refresh_block
from blocks.services.records import ensure_standing


def _lock_active(procedure: Procedure) -> Procedure:
    """The procedure, locked against concurrent writers; refused if it or its episode or patient
    was entered in error."""
    procedure = (
        Procedure.objects.select_for_update()
        .select_related("episode__patient")
        .get(pk=procedure.pk)
    )
    ensure_standing(procedure)
    return procedure


@transaction.atomic
def pain_score_add(
    *,
    procedure: Procedure,
    minutes_after: int,
    score: int,
    patient_reported_relief_percent: int | None = None,
    recorded_by,
) -> PainScore:
    procedure = _lock_active(procedure)
    if procedure.pain_scores.filter(minutes_after=minutes_after).exists():
        raise ValidationError(
            {"minutes_after": f"This procedure already has a score at {minutes_after} minutes."}
        )
    pain_score = PainScore(
        procedure=procedure,
        minutes_after=minutes_after,
        score=score,
        patient_reported_relief_percent=patient_reported_relief_percent,
        recorded_by=recorded_by,
    )
    clean_record(pain_score, held=["procedure", "recorded_by"])
    pain_score._history_user = recorded_by
    pain_score.save()
    refresh_block(procedure, locked=True)
    return pain_score


@transaction.atomic
def complication_add(
    *,
    procedure: Procedure,
    code: str,
    severity: str,
    onset_days: int | None = None,
    notes: str = "",
    recorded_by,
) -> Complication:
    procedure = _lock_active(procedure)
    complication = Complication(
        procedure=procedure,
        code=code,
        severity=severity,
        onset_days=onset_days,
        notes=notes or "",
        recorded_by=recorded_by,
    )
    clean_record(complication, held=["procedure", "recorded_by"])
    complication._history_user = recorded_by
    complication.save()
    return complication
