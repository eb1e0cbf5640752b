"""The engine's readings, stored: one BlockReading per procedure and profile, one
EpisodeSuggestions (with its SuggestionReading rows) per episode and profile.

Everything clinical comes from blocks.rules; this module only feeds it and
files what it says. A patient is the unit of work: a block's reading depends on
the patient's other procedures (frequency limits), so a change to one
procedure re-reads all of that patient's procedures and episodes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from blocks.models import Episode, Patient, Procedure, suggestion_fingerprint
from blocks.rules import ENGINE_VERSION, PROFILES, interpret_block, screen, suggest_next_steps
from blocks.rules.pathways import is_diagnostic_block, target_of
from blocks.rules.types import Block, Suggestion
from reports.bulk import insert_rows
from reports.engine_input import Loaded, load_for_patients, without_findings
from reports.models import BlockReading, EpisodeSuggestions, SuggestionReading

DEFAULT_BATCH_PATIENTS = 500


def target_key(block: Block) -> str:
    """The engine's target of a block as one string: family|side|levels."""
    target = target_of(block)
    return f"{target.family}|{target.side}|{','.join(target.levels)}"


READING_COLUMNS = (
    "procedure_id",
    "profile",
    "engine_version",
    "response",
    "validity",
    "relief_percent",
    "duration_minutes",
    "duration_censored",
    "counts_towards_treatment",
    "diagnostic",
    "warnings",
    "non_diagnostic_reasons",
    "hard_stops",
    "target",
    "procedure_version",
    "diary_points",
    "computed_at",
)
SET_COLUMNS = ("episode_id", "profile", "engine_version", "suggestion_count", "computed_at")
SUGGESTION_COLUMNS = (
    "episode_id",
    "profile",
    "code",
    "rule",
    "side",
    "levels",
    "based_on",
    "earliest_date",
    "anesthetic",
    "status",
    "fingerprint",
)


@dataclass
class Computed:
    """Rows for BlockReading, EpisodeSuggestions and SuggestionReading, as dicts."""

    readings: list[dict] = field(default_factory=list)
    suggestion_sets: list[dict] = field(default_factory=list)
    suggestions: list[dict] = field(default_factory=list)


def compute(
    procedures: Iterable[Loaded], episode_ids: Iterable[int], profiles: Iterable[str] = ()
) -> Computed:
    """Read procedures and episodes under each profile, without touching the database.

    `procedures` must hold every standing procedure of the patients concerned
    (they are each other's history, as in blocks.selectors.procedure_interpretations)
    and so every standing procedure of the episodes in `episode_ids`.
    """
    profiles = [PROFILES[name] for name in (profiles or PROFILES)]
    procedures = sorted(procedures, key=lambda p: (p.block.performed_at, p.block.id))
    history: dict[int, list[Block]] = defaultdict(list)
    by_episode: dict[int, list[Block]] = defaultdict(list)
    for loaded in procedures:
        history[loaded.patient_id].append(without_findings(loaded.block))
        by_episode[loaded.episode_id].append(loaded.block)
    now = timezone.now()
    computed = Computed()
    for loaded in procedures:
        block = loaded.block
        others = [b for b in history[loaded.patient_id] if b.id != block.id]
        hard_stops = list(
            screen(
                block.contraindications, contrast_used=block.contrast_used, steroid=block.steroid
            ).hard_stops
        )
        shared = {
            "procedure_id": block.id,
            "engine_version": ENGINE_VERSION,
            "diagnostic": is_diagnostic_block(block),
            "hard_stops": hard_stops,
            "target": target_key(block),
            "procedure_version": loaded.version,
            "diary_points": len(block.pain_scores),
            "computed_at": now,
        }
        for profile in profiles:
            reading = interpret_block(block, profile, history=others)
            computed.readings.append(
                {
                    **shared,
                    "profile": profile.name,
                    "response": reading.response,
                    "validity": reading.validity,
                    "relief_percent": reading.relief_percent,
                    "duration_minutes": reading.duration_minutes,
                    "duration_censored": reading.duration_censored,
                    "counts_towards_treatment": reading.counts_towards_treatment,
                    "warnings": list(reading.warnings),
                    "non_diagnostic_reasons": list(reading.non_diagnostic_codes),
                }
            )
    for episode_id in episode_ids:
        for profile in profiles:
            rows = [
                {"episode_id": episode_id, "profile": profile.name, **row}
                for row in episode_suggestions(by_episode.get(episode_id, []), profile)
            ]
            computed.suggestions += rows
            computed.suggestion_sets.append(
                {
                    "episode_id": episode_id,
                    "profile": profile.name,
                    "engine_version": ENGINE_VERSION,
                    "suggestion_count": len(rows),
                    "computed_at": now,
                }
            )
    return computed


def episode_suggestions(blocks: list[Block], profile) -> list[dict]:
    """Open suggestions, plus those a later treatment has settled (status "settled")."""
    if not blocks:
        return []
    standing = suggest_next_steps(blocks, profile)
    workup = [b for b in blocks if is_diagnostic_block(b)]
    if len(workup) == len(blocks):
        return [_as_dict(s, "open") for s in standing]
    standing_keys = {_key(s) for s in standing}
    settled = [s for s in suggest_next_steps(workup, profile) if _key(s) not in standing_keys]
    return [_as_dict(s, "open") for s in standing] + [_as_dict(s, "settled") for s in settled]


def _key(suggestion: Suggestion) -> tuple:
    return (suggestion.code, suggestion.rule, suggestion.side, suggestion.levels)


def _as_dict(suggestion: Suggestion, status: str) -> dict:
    return {
        "code": suggestion.code,
        "rule": suggestion.rule,
        "side": suggestion.side,
        "levels": ";".join(suggestion.levels),
        "based_on": " ".join(map(str, suggestion.based_on)),
        "earliest_date": suggestion.earliest_date,
        "anesthetic": suggestion.anesthetic or "",
        "status": status,
        "fingerprint": suggestion_fingerprint(
            code=suggestion.code,
            side=suggestion.side,
            levels=suggestion.levels,
            based_on=suggestion.based_on,
        ),
    }


def compute_for_patients(patient_ids: Iterable[int]) -> Computed:
    """Read every standing procedure and episode of these patients (a fixed number of queries)."""
    patient_ids = list(set(patient_ids))
    episode_ids = list(
        Episode.objects.active().filter(patient_id__in=patient_ids).values_list("id", flat=True)
    )
    return compute(load_for_patients(patient_ids), episode_ids)


@transaction.atomic
def store_for_patients(patient_ids: Iterable[int]) -> Computed:
    """Replace the stored readings of these patients with fresh ones from the engine.

    The patients' rows are locked first (in id order), so two writers re-reading one
    patient at once take turns, and the second reads what the first committed.
    """
    patient_ids = sorted(set(patient_ids))
    list(
        Patient.objects.select_for_update()
        .filter(pk__in=patient_ids)
        .order_by("pk")
        .values_list("pk")
    )
    computed = compute_for_patients(patient_ids)
    BlockReading.objects.filter(procedure__episode__patient_id__in=patient_ids).delete()
    EpisodeSuggestions.objects.filter(episode__patient_id__in=patient_ids).delete()
    SuggestionReading.objects.filter(episode__patient_id__in=patient_ids).delete()
    insert_rows(
        BlockReading,
        READING_COLUMNS,
        ([row[name] for name in READING_COLUMNS] for row in computed.readings),
    )
    insert_rows(
        EpisodeSuggestions,
        SET_COLUMNS,
        ([row[name] for name in SET_COLUMNS] for row in computed.suggestion_sets),
    )
    insert_rows(
        SuggestionReading,
        SUGGESTION_COLUMNS,
        ([row[name] for name in SUGGESTION_COLUMNS] for row in computed.suggestions),
    )
    return computed


# --- recomputing in bulk, in batches of patients (constant memory) ----------------------------


def patient_batches(batch_size: int) -> Iterator[list[int]]:
    last = 0
    while True:
        ids = list(
            Patient.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return
        yield ids
        last = ids[-1]


def stale_patients(patient_ids: list[int]) -> set[int]:
    """Patients among these with a missing or out-of-date reading or suggestion set."""
    expected = {
        (row["pk"], name): (row["version"], row["points"])
        for row in Procedure.objects.active()
        .filter(episode__patient_id__in=patient_ids)
        .annotate(points=Count("pain_scores"))
        .values("pk", "version", "points")
        for name in PROFILES
    }
    patient_of = dict(
        Procedure.objects.filter(episode__patient_id__in=patient_ids).values_list(
            "pk", "episode__patient_id"
        )
    )
    stale: set[int] = set()
    found = set()
    for row in BlockReading.objects.filter(procedure__episode__patient_id__in=patient_ids).values(
        "procedure_id", "profile", "engine_version", "procedure_version", "diary_points"
    ):
        key = (row["procedure_id"], row["profile"])
        found.add(key)
        stamp = (row["procedure_version"], row["diary_points"])
        if row["engine_version"] != ENGINE_VERSION or expected.get(key) != stamp:
            stale.add(patient_of[row["procedure_id"]])
    stale |= {patient_of[procedure_id] for procedure_id, _ in set(expected) - found}
    episodes = dict(
        Episode.objects.active().filter(patient_id__in=patient_ids).values_list("pk", "patient_id")
    )
    current = set(
        EpisodeSuggestions.objects.filter(
            episode_id__in=list(episodes), engine_version=ENGINE_VERSION
        ).values_list("episode_id", "profile")
    )
    stale |= {episodes[e] for e in episodes for name in PROFILES if (e, name) not in current}
    return stale


def refresh_all(
    *,
    stale_only: bool = False,
    batch_size: int = DEFAULT_BATCH_PATIENTS,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[int, int]:
    """Recompute readings for every patient (or only the stale ones), batch by batch.

    Returns (patients re-read, readings written). `progress(done, total)` is
    called after each batch with a count of patients.
    """
    total = Patient.objects.count()
    done = reread = written = 0
    for ids in patient_batches(batch_size):
        chosen = stale_patients(ids) if stale_only else ids
        if chosen:
            written += len(store_for_patients(chosen).readings)
            reread += len(chosen)
        done += len(ids)
        if progress:
            progress(done, total)
    return reread, written
