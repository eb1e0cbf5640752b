"""The engine's input (blocks.rules.types.Block) for many procedures at once, fast.

blocks.adapters.to_block is the canonical conversion from a Procedure model;
this module builds the very same Block from values() rows, without a model
instance per row or per diary score, so that re-reading a registry of
100,000 blocks takes seconds, not minutes. tests/reports/test_engine_input.py
checks that both give equal Blocks for every kind of procedure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace

from blocks.models import DiscInjection, FollowUp, PainScore, Procedure
from blocks.models.findings import DISC_FIELDS
from blocks.models.measured import MEASURED_FIELDS, engine_values
from blocks.rules import vocab
from blocks.rules.followup import TREATMENT_CODE
from blocks.rules.types import Block, DiaryScore, FollowUpPoint
from blocks.rules.types import DiscInjection as Disc

PROCEDURE_FIELDS = (
    "id",
    "episode_id",
    "episode__patient_id",
    "episode__region",
    "episode__surgery_considered",
    *MEASURED_FIELDS,
    "version",
    "screening__contraindications",
    "diary_complete",
)


@dataclass(frozen=True)
class Loaded:
    """A standing procedure as the engine sees it, with what the reports file beside it."""

    block: Block
    episode_id: int
    patient_id: int
    version: int
    diary_complete: bool = False  # as stored, so the store writes it only when it changes


def _number(value) -> float | None:
    return None if value is None else float(value)


def load_for_patients(
    patient_ids: list[int], *, findings_for: Callable[[list[dict]], set[int]] | None = None
) -> list[Loaded]:
    """Every standing procedure of these patients, in time order.

    Diary scores, discs and screening are read for every procedure (three queries), or, with
    `findings_for`, only for the ids it picks from the rows (dicts of PROCEDURE_FIELDS): the
    others are history for the frequency limits, as `without_findings` makes them, and discs
    are read only when a discography is among the picked (two or three queries).
    """
    procedures = Procedure.objects.active().filter(episode__patient_id__in=patient_ids)
    if findings_for is None:
        return _assemble(procedures, procedures.values("id"), with_discs=True)
    rows = [
        dict(zip(PROCEDURE_FIELDS, values, strict=True))
        for values in procedures.order_by("performed_at", "id").values_list(*PROCEDURE_FIELDS)
    ]
    chosen = findings_for(rows)
    with_discs = any(row["kind"] == vocab.DISCOGRAPHY for row in rows if row["id"] in chosen)
    return _assemble(rows, sorted(chosen), with_discs=with_discs, chosen=chosen)


def _assemble(procedures, ids, *, with_discs: bool, chosen: set[int] | None = None):
    scores: dict[int, list[DiaryScore]] = defaultdict(list)
    score_rows = PainScore.objects.active().filter(procedure_id__in=ids)
    if isinstance(ids, list) and not ids:
        score_rows = score_rows.none()
    for procedure_id, *score in score_rows.order_by("procedure_id", "minutes_after").values_list(
        "procedure_id",
        "minutes_after",
        "score",
        "patient_reported_relief_percent",
        "late",
        "source",
    ):
        scores[procedure_id].append(DiaryScore(*score))
    discs: dict[int, list[Disc]] = defaultdict(list)
    disc_rows = DiscInjection.objects.filter(procedure_id__in=ids)
    if not with_discs:
        disc_rows = disc_rows.none()  # no query
    for row in disc_rows.order_by("procedure_id", "level").values_list(
        "procedure_id", *DISC_FIELDS
    ):
        procedure_id, level, opening, provocation, pain, concordance, grade = row
        discs[procedure_id].append(
            Disc(level, _number(opening), _number(provocation), pain, concordance, grade)
        )
    if not isinstance(procedures, list):
        procedures = [
            dict(zip(PROCEDURE_FIELDS, values, strict=True))
            for values in procedures.order_by("performed_at", "id").values_list(*PROCEDURE_FIELDS)
        ]
    # Only treatments have follow-ups: no query when none is among the rows read in full.
    follow_ups = _follow_ups(
        [
            row["id"]
            for row in procedures
            if (chosen is None or row["id"] in chosen)
            and row["kind"] in TREATMENT_CODE
            and not vocab.is_diagnostic(row["kind"], row["intent"])
        ]
    )
    loaded = []
    for row in procedures:
        pk = row["id"]
        block = Block(
            id=pk,
            **engine_values(row),
            region=row["episode__region"],
            surgery_considered=row["episode__surgery_considered"],
            pain_scores=tuple(scores.get(pk, ())),
            discs=tuple(discs.get(pk, ())),
            contraindications=tuple(row["screening__contraindications"] or ()),
            follow_ups=tuple(follow_ups.get(pk, ())),
        )
        if chosen is not None and pk not in chosen:
            block = without_findings(block)
        loaded.append(
            Loaded(
                block,
                row["episode_id"],
                row["episode__patient_id"],
                row["version"],
                row["diary_complete"],
            )
        )
    return loaded


def _follow_ups(ids) -> dict[int, list[FollowUpPoint]]:
    """Standing follow-ups of the treatments among `ids` (section 10), in day order."""
    found: dict[int, list[FollowUpPoint]] = defaultdict(list)
    if isinstance(ids, list) and not ids:
        return found
    rows = (
        FollowUp.objects.active()
        .filter(procedure_id__in=ids)
        .order_by("procedure_id", "days_after")
        .values_list("procedure_id", "days_after", "pain", "pgic", "medication_change", "source")
    )
    for procedure_id, days_after, pain, pgic, medication, source in rows:
        found[procedure_id].append(
            FollowUpPoint(days_after, pain, pgic, medication or None, source)
        )
    return found


def without_findings(block: Block) -> Block:
    """The block as history for the frequency limits (to_block(..., with_findings=False))."""
    return replace(block, pain_scores=(), discs=(), contraindications=(), follow_ups=())
