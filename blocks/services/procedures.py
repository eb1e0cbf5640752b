"""Recording a procedure with everything measured during it, in one transaction."""

from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from blocks.models import DiscInjection, Episode, PainScore, Procedure, Screening
from blocks.models.checks import clean_record
from blocks.models.findings import DISC_FIELDS
from blocks.models.measured import measured_values
from blocks.policy import is_physician
from blocks.rules import vocab
from blocks.services.hard_stops import hard_stop_errors, hard_stops_of
from blocks.services.readings import refresh_procedure
from blocks.services.records import ensure_standing
from blocks.services.updates import StaleVersion

Errors = dict[str, list[str]]

PAIN_SCORE_FIELDS = ("minutes_after", "score", "patient_reported_relief_percent")


@transaction.atomic
def procedure_record(
    *,
    episode: Episode,
    performed_by,
    recorded_by=None,
    measured: Mapping,
    pain_scores: Sequence[Mapping] = (),
    discs: Sequence[Mapping] = (),
    contraindications: Sequence[str] = (),
    override_reason: str = "",
    awaiting_override: bool = False,
) -> Procedure:
    """Record one procedure with its diary scores, discs and screening, or nothing at all.

    `performed_by` is the clinical fact (the physician who did the block); `recorded_by` is
    the signed-in user saving it, who is named in the history of every row written and
    enters the diary scores given here (defaults to `performed_by` for a physician logging
    their own block). A hard stop is overridden only by a physician recording it.

    `measured` holds what was done and measured, keyed by the names of
    blocks/models/measured.py; an unknown key is refused, an optional one left out is empty.

    Every rule is checked before the first row is written, and all problems are
    reported together as one field-keyed ValidationError.

    `awaiting_override`: a hard stop found (by staff) for a procedure already done. It is
    stored as awaiting a physician's override, read by nothing until one records the reason
    (services.procedure_override). Without a hard stop there is nothing to await (400).
    """
    recorded_by = recorded_by or performed_by
    ensure_standing(episode)
    measured = measured_values(measured)
    procedure = Procedure(episode=episode, performed_by=performed_by, **measured)
    override_reason = (override_reason or "").strip()
    screening = Screening(
        procedure=procedure,
        contraindications=list(dict.fromkeys(contraindications)),
        override_reason=override_reason,
    )
    score_rows = [
        PainScore(procedure=procedure, recorded_by=recorded_by, **_pick(s, PAIN_SCORE_FIELDS))
        for s in pain_scores
    ]
    disc_rows = [DiscInjection(procedure=procedure, **_pick(d, DISC_FIELDS)) for d in discs]

    errors: Errors = {}
    _merge(errors, _clean(procedure, exclude=["episode", "performed_by"]))
    _merge(errors, _score_errors(score_rows))
    _merge(errors, _disc_errors(disc_rows, procedure))
    _merge(errors, _clean(screening, exclude=["procedure", "overridden_by"]))
    if awaiting_override:
        _merge(errors, _awaiting_errors(screening, procedure, override_reason))
    elif "contraindications" not in errors:
        _merge(errors, _hard_stop_errors(screening, procedure, recorded_by))
    if errors:
        raise ValidationError(errors)
    procedure.awaiting_override = awaiting_override

    if (
        not awaiting_override
        and screening.overridden_by is None
        and _hard_stops(screening, procedure)
    ):
        screening.overridden_by = recorded_by
        screening.overridden_at = timezone.now()
    _save(procedure, recorded_by)
    for row in (*score_rows, *disc_rows, screening):
        row.procedure = procedure
        _save(row, recorded_by)
    refresh_procedure(procedure)
    if procedure.is_treatment():
        transaction.on_commit(lambda: _schedule_follow_up(procedure))
    return procedure


def _schedule_follow_up(procedure: Procedure) -> None:
    """Once the treatment is stored: its follow-up invitations are queued (blocks/tasks.py)."""
    from blocks.tasks import schedule_invitations

    schedule_invitations(procedure)


def _pick(data: Mapping, fields: Sequence[str]) -> dict:
    return {field: data[field] for field in fields if field in data}


def _merge(errors: Errors, more: Errors) -> None:
    for field, messages in more.items():
        errors.setdefault(field, []).extend(messages)


def _clean(instance, *, exclude: Sequence[str] = ()) -> Errors:
    try:
        clean_record(instance, held=exclude)
    except ValidationError as error:
        return {field: list(messages) for field, messages in error.message_dict.items()}
    return {}


def _save(instance, user) -> None:
    # Already cleaned with every rule above; the database constraints stay the backstop.
    instance._history_user = user
    instance.save()


def _nested_errors(field: str, rows, label) -> Errors:
    messages = []
    for row in rows:
        for name, problems in _clean(row, exclude=["procedure", "recorded_by"]).items():
            messages.extend(f"{label(row)}: {name}: {problem}" for problem in problems)
    return {field: messages} if messages else {}


def _score_errors(rows: list[PainScore]) -> Errors:
    errors = _nested_errors("pain_scores", rows, lambda row: f"Score at {row.minutes_after} min")
    minutes = [row.minutes_after for row in rows]
    repeated = sorted({m for m in minutes if minutes.count(m) > 1}, key=str)
    if repeated:
        errors.setdefault("pain_scores", []).extend(
            f"More than one score at {m} minutes after the block." for m in repeated
        )
    return errors


def _disc_errors(rows: list[DiscInjection], procedure: Procedure) -> Errors:
    if not rows:
        return {}
    if procedure.kind != vocab.DISCOGRAPHY:
        return {
            "discs": [f"Discs are recorded for a {vocab.DISCOGRAPHY} only, not a {procedure.kind}."]
        }
    errors = _nested_errors("discs", rows, lambda row: f"Disc {row.level}")
    messages = errors.setdefault("discs", [])
    levels = [row.level for row in rows]
    for level in dict.fromkeys(levels):
        if levels.count(level) > 1:
            messages.append(f"Disc {level} is recorded more than once.")
        if isinstance(procedure.levels, list) and level not in procedure.levels:
            messages.append(
                f"Disc {level} is not one of the procedure's levels "
                f"({', '.join(map(str, procedure.levels))})."
            )
    return errors if messages else {}


def _hard_stops(screening: Screening, procedure: Procedure) -> tuple[str, ...]:
    return hard_stops_of(
        screening.contraindications,
        contrast_used=procedure.contrast_used,
        steroid=procedure.steroid,
    )


def _hard_stop_errors(screening: Screening, procedure: Procedure, user) -> Errors:
    return hard_stop_errors(
        _hard_stops(screening, procedure), user=user, override_reason=screening.override_reason
    )


def _awaiting_errors(screening: Screening, procedure: Procedure, override_reason: str) -> Errors:
    """Awaiting an override needs a hard stop to override, and leaves the reason to later."""
    if "contraindications" in _clean(screening, exclude=["procedure", "overridden_by"]):
        return {}
    if not _hard_stops(screening, procedure):
        return {
            "awaiting_override": [
                "No hard stop was found in the screening: there is nothing for a physician "
                "to override. Record the procedure without awaiting_override."
            ]
        }
    if override_reason:
        return {
            "override_reason": [
                "A procedure awaiting a physician's override is saved without a reason; the "
                "physician records it (leave override_reason empty, or leave out "
                "awaiting_override)."
            ]
        }
    return {}


@transaction.atomic
def procedure_override(
    *, procedure: Procedure, expected_version: int, overridden_by, override_reason: str
) -> Procedure:
    """A physician records why a procedure awaiting override went ahead: from now it counts.

    The reason goes on the screening (who and when, as any override); the procedure leaves
    the awaiting list with a new version. Both rows keep their history. The readings are
    refreshed in the same transaction, so its block reads and reports from this moment.
    """
    current = Procedure.objects.select_for_update().select_related("episode").get(pk=procedure.pk)
    ensure_standing(current)
    if current.version != expected_version:
        raise StaleVersion(current, expected_version=expected_version)
    reason = (override_reason or "").strip()
    if not is_physician(overridden_by):
        raise ValidationError({"override_reason": ["Only a physician may override a hard stop."]})
    if not current.awaiting_override:
        raise ValidationError(
            {"override_reason": ["This procedure is not awaiting a physician's override."]}
        )
    if not reason:
        raise ValidationError(
            {"override_reason": ["Write why the procedure went ahead despite the hard stop."]}
        )
    screening = Screening.objects.get(procedure=current)
    screening.override_reason = reason
    screening.overridden_by = overridden_by
    screening.overridden_at = timezone.now()
    _save(screening, overridden_by)
    current.awaiting_override = False
    current.version += 1
    _save(current, overridden_by)
    refresh_procedure(current)
    return current
