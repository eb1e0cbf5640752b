"""Adding what is learnt after the procedure: diary scores and complications."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from blocks.models import Complication, PainScore, Procedure
from blocks.models.checks import clean_record
from blocks.services.readings import refresh_block
from blocks.services.records import ensure_standing, mark_entered_in_error
from blocks.services.updates import UNSET, StaleVersion


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


def _taken(procedure: Procedure, minute: int, *, but=None) -> ValidationError | None:
    scores = procedure.pain_scores.active().filter(minutes_after=minute)
    if but is not None:
        scores = scores.exclude(pk=but.pk)
    if scores.exists():
        return ValidationError(
            {"minutes_after": f"This procedure already has a score at {minute} minutes."}
        )
    return None


def _add(
    procedure: Procedure,
    *,
    minutes_after: int,
    score: int,
    patient_reported_relief_percent: int | None = None,
    recorded_by,
) -> PainScore:
    if taken := _taken(procedure, minutes_after):
        raise taken
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
    return pain_score


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
    pain_score = _add(
        procedure,
        minutes_after=minutes_after,
        score=score,
        patient_reported_relief_percent=patient_reported_relief_percent,
        recorded_by=recorded_by,
    )
    refresh_block(procedure, locked=True)
    return pain_score


def _correct(
    procedure: Procedure, score: PainScore, expected_version: int, corrected_by, changes: dict
) -> PainScore:
    current = PainScore.objects.get(pk=score.pk, procedure=procedure)
    ensure_standing(current)
    if current.version != expected_version:
        raise StaleVersion(current, expected_version=expected_version)
    changes = {name: value for name, value in changes.items() if getattr(current, name) != value}
    if not changes:
        return current
    minute = changes.get("minutes_after")
    if minute is not None and (taken := _taken(procedure, minute, but=current)):
        raise taken
    # The procedure is locked above, so no other writer reaches this score meanwhile; the
    # conditional UPDATE still guards the version as in blocks/services/updates.py.
    claimed = PainScore.objects.filter(pk=current.pk, version=expected_version).update(
        version=F("version") + 1
    )
    current = PainScore.objects.get(pk=current.pk)
    if not claimed:
        raise StaleVersion(current, expected_version=expected_version)
    for name, value in changes.items():
        setattr(current, name, value)
    clean_record(current, held=["procedure", "recorded_by", "entered_in_error_by"])
    current._history_user = corrected_by
    current.save()
    return current


@transaction.atomic
def pain_score_correct(
    *,
    score: PainScore,
    expected_version: int,
    corrected_by,
    score_value: int = UNSET,
    minutes_after: int = UNSET,
    patient_reported_relief_percent: int | None = UNSET,
) -> PainScore:
    """Correct one diary score in place; its history keeps the value it had.

    Refused with StaleVersion when the score changed since `expected_version` was read, and
    under a procedure (or episode, patient) entered in error, or for a score itself entered in
    error. The block's stored readings are refreshed in the same transaction.
    """
    changes = {
        name: value
        for name, value in (
            ("score", score_value),
            ("minutes_after", minutes_after),
            ("patient_reported_relief_percent", patient_reported_relief_percent),
        )
        if value is not UNSET
    }
    procedure = _lock_active(score.procedure)
    current = _correct(procedure, score, expected_version, corrected_by, changes)
    if current.version != expected_version:
        refresh_block(procedure, locked=True)
    return current


def _mark(procedure, score: PainScore, reason: str, user, expected_version, refresh: bool):
    current = PainScore.objects.get(pk=score.pk, procedure=procedure)
    if expected_version is not None and current.version != expected_version:
        raise StaleVersion(current, expected_version=expected_version)
    return mark_entered_in_error(record=current, reason=reason, user=user, refresh=refresh)


@transaction.atomic
def pain_score_mark_entered_in_error(
    *, score: PainScore, reason: str, user, expected_version: int | None = None
) -> PainScore:
    """Withdraw a diary score: kept, flagged with who, when and why, and read by nothing.

    With `expected_version` (a page's grid row), a score changed since is refused with
    StaleVersion. The block's stored readings are refreshed in the same transaction.
    """
    procedure = _lock_active(score.procedure)
    return _mark(procedure, score, reason, user, expected_version, refresh=True)


class ScoreRowsRefused(ValidationError):
    """Some rows of a grid were refused; `rows` maps each refused row's index to its error.

    Raised after every row was tried, so the page shows all the problems at once; the
    transaction is rolled back, so nothing of the submit was written.
    """

    def __init__(self, rows: dict[int, ValidationError]):
        self.rows = rows
        super().__init__([message for error in rows.values() for message in error.messages])


def _row_order(item: tuple[int, dict]) -> int:
    # Withdrawals first, then corrections, then new scores: a corrected or new score may take
    # the minute of one withdrawn (or moved) in the same submit.
    row = item[1]
    return 0 if "mark" in row else 1 if "correct" in row else 2


@transaction.atomic
def pain_scores_save(*, procedure: Procedure, rows: list[dict], recorded_by) -> list[PainScore]:
    """A whole diary grid in one go: every row written, or none, and the readings refreshed once.

    Each row is one of
    `{"add": {"minutes_after", "score", "patient_reported_relief_percent"}}`,
    `{"correct": PainScore, "version": N, "values": {field: value}}` (fields as stored:
    `score`, `minutes_after`, `patient_reported_relief_percent`) or
    `{"mark": PainScore, "version": N, "reason": "…"}`.
    A stale version raises StaleVersion at once; refused rows raise ScoreRowsRefused naming
    each row (by its index in `rows`) after all were tried.
    """
    procedure = _lock_active(procedure)
    saved: list[PainScore] = []
    refused: dict[int, ValidationError] = {}
    for index, row in sorted(enumerate(rows), key=_row_order):
        try:
            if "mark" in row:
                saved.append(
                    _mark(procedure, row["mark"], row["reason"], recorded_by, row["version"], False)
                )
            elif "correct" in row:
                saved.append(
                    _correct(procedure, row["correct"], row["version"], recorded_by, row["values"])
                )
            else:
                saved.append(_add(procedure, **row["add"], recorded_by=recorded_by))
        except StaleVersion:
            raise
        except ValidationError as error:
            refused[index] = error
    if refused:
        raise ScoreRowsRefused(refused)
    if rows:
        refresh_block(procedure, locked=True)
    return saved


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
