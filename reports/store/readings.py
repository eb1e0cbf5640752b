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
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from blocks.models import Episode, Patient, Procedure, suggestion_fingerprint
from blocks.rules import (
    ENGINE_VERSION,
    PROFILES,
    diary,
    interpret_block,
    screen,
    suggest_next_steps,
    vocab,
)
from blocks.rules.followup import TREATMENT_CODE
from blocks.rules.pathways import is_diagnostic_block, target_of
from blocks.rules.types import Block, Suggestion
from reports.models import BlockReading, EpisodeSuggestions, SuggestionReading, TreatmentReading
from reports.store.bulk import insert_rows
from reports.store.engine_input import Loaded, load_for_patients, without_findings
from reports.store.treatments import POINTS, Treated, read_treatments

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
# The only profile whose RFA rule reads comparative blocks (CLINICAL_RULES.md section 4), and
# the verdict each of its comparative rules stands for: the reports read these suggestions
# under that profile whatever profile they are asked for.
COMPARATIVE_PROFILE = "sis-controlled"
COMPARATIVE_RULES = {
    "mbb.rfa.comparative-concordant": "concordant",
    "mbb.comparative.discordant": "discordant",
    "mbb.comparative.undecided": "undecided",
}

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
TREATMENT_COLUMNS = (
    "procedure_id",
    "episode_id",
    "profile",
    "engine_version",
    "kind",
    "selection_group",
    "based_on",
    "pre_pain",
    *(f"relief_{point}" for point in POINTS),
    "pgic_90",
    "benefit_days",
    "benefit_censored",
    "procedure_version",
    "follow_up_points",
    "computed_at",
)


@dataclass
class Computed:
    """Rows for BlockReading, EpisodeSuggestions and SuggestionReading, as dicts."""

    readings: list[dict] = field(default_factory=list)
    suggestion_sets: list[dict] = field(default_factory=list)
    suggestions: list[dict] = field(default_factory=list)
    treatments: list[dict] = field(default_factory=list)
    # Procedure id -> whether its diary is complete, for the blocks whose stored state changes.
    diary_complete: dict[int, bool] = field(default_factory=dict)


def compute(
    procedures: Iterable[Loaded],
    episode_ids: Iterable[int],
    profiles: Iterable[str] = (),
    *,
    reading_ids: set[int] | None = None,
) -> Computed:
    """Read procedures and episodes under each profile, without touching the database.

    `procedures` must hold every standing procedure of the patients concerned
    (they are each other's history, as in blocks.selectors.procedure_interpretations),
    with their findings for every procedure of the episodes in `episode_ids` and every one in
    `reading_ids` (the procedures whose readings are made; all of them when None).
    """
    profiles = [PROFILES[name] for name in (profiles or PROFILES)]
    procedures = sorted(procedures, key=lambda p: (p.block.performed_at, p.block.id))
    history: dict[int, list[Block]] = defaultdict(list)
    by_episode: dict[int, list[Block]] = defaultdict(list)
    stamps: dict[int, tuple[int, int]] = {}  # procedure -> (version, follow-ups)
    for loaded in procedures:
        history[loaded.patient_id].append(without_findings(loaded.block))
        by_episode[loaded.episode_id].append(loaded.block)
        stamps[loaded.block.id] = (loaded.version, len(loaded.block.follow_ups))
    now = timezone.now()
    computed = Computed()
    # A diary is complete under the clinic's own profile (its thresholds decide the duration).
    clinic_profile = PROFILES[settings.TRACKER_GUIDELINE_PROFILE]
    for loaded in procedures:
        block = loaded.block
        if reading_ids is not None and block.id not in reading_ids:
            continue
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
        if diary.has_diary(block.kind, block.intent, block.anesthetic):
            complete = diary.is_complete(block, clinic_profile)
            if complete != loaded.diary_complete:
                computed.diary_complete[block.id] = complete
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
        blocks = by_episode.get(episode_id, [])
        computed.treatments += [
            treatment_row(episode_id, profile.name, item, stamps[item.id], now)
            for profile, item in read_treatments(blocks, profiles)
        ]
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


def treatment_row(
    episode_id: int, profile: str, item: Treated, stamp: tuple[int, int], now
) -> dict:
    """A TreatmentReading row; `stamp` is the treatment's (version, follow-up count)."""
    return {
        "procedure_id": item.id,
        "episode_id": episode_id,
        "profile": profile,
        "engine_version": ENGINE_VERSION,
        "kind": item.kind,
        "selection_group": item.group,
        "based_on": " ".join(map(str, item.based_on)),
        "pre_pain": item.pre_pain,
        **{f"relief_{point}": item.relief_at(point) for point in POINTS},
        "pgic_90": item.pgic_90,
        "benefit_days": item.benefit_days,
        "benefit_censored": item.benefit_censored,
        "procedure_version": stamp[0],
        "follow_up_points": stamp[1],
        "computed_at": now,
    }


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
    TreatmentReading.objects.filter(episode__patient_id__in=patient_ids).delete()
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
    _insert_treatments(computed)
    _store_diary_states(computed)
    return computed


def _insert_treatments(computed: Computed, *, replace: bool = False) -> None:
    insert_rows(
        TreatmentReading,
        TREATMENT_COLUMNS,
        ([row[name] for name in TREATMENT_COLUMNS] for row in computed.treatments),
        replace_on=("procedure", "profile") if replace else (),
    )


def _store_diary_states(computed: Computed) -> None:
    """Keep Procedure.diary_complete as the engine reads the diary (an UPDATE when it changes).

    A derived column on the procedure, so the lists of diaries compare states in SQL; it is
    left out of the procedure's history and version (blocks.models.procedures).
    """
    for complete in (True, False):
        ids = sorted(pk for pk, value in computed.diary_complete.items() if value is complete)
        if ids:
            Procedure.objects.filter(pk__in=ids).update(diary_complete=complete)


@dataclass(frozen=True)
class Scope:
    """What one write can change: the readings of some procedures, the suggestions of some
    episodes, of one patient. `procedures=None` means every standing procedure (and every
    episode) of the patient; `window` adds the procedures of `region` performed within 365 days
    of any of the dates (the frequency limits read across episodes)."""

    patient_id: int
    procedures: frozenset[int] | None = None
    episodes: frozenset[int] = frozenset()
    region: str | None = None
    kind: str | None = None
    window: tuple = ()


# The longest rolling period of any profile's frequency limits (blocks.rules.frequency).
FREQUENCY_WINDOW = timedelta(
    days=max(p.frequency_limits.rolling_days for p in PROFILES.values() if p.frequency_limits)
)


def _in_window(row: dict, scope: Scope) -> bool:
    """Whether the frequency limits may read the written procedure as this row's history, or
    this row as the written one's: near in time, same region (SI joint limits ignore it)."""
    if not any(abs(row["performed_at"] - when) <= FREQUENCY_WINDOW for when in scope.window):
        return False
    both_si = scope.kind == row["kind"] == vocab.SI_JOINT
    return both_si or (scope.region is not None and row["episode__region"] == scope.region)


def store_scope(scope: Scope) -> Computed:
    """Refresh the stored readings and suggestions that a write within `scope` can change,
    and nothing more, in the caller's transaction (which holds the patient's lock)."""
    if scope.procedures is None:
        episode_ids = set(
            Episode.objects.active()
            .filter(patient_id=scope.patient_id)
            .values_list("id", flat=True)
        )
        loaded = load_for_patients([scope.patient_id])
        readings = {item.block.id for item in loaded}
        stale_readings = BlockReading.objects.filter(
            procedure__episode__patient_id=scope.patient_id
        )
    else:
        targets = set(scope.procedures)
        episode_ids = set(scope.episodes)

        def findings_for(rows: list[dict]) -> set[int]:
            """The targets (named, or in the window) and every procedure of their episodes."""
            for row in rows:
                if row["id"] in targets or _in_window(row, scope):
                    targets.add(row["id"])
                    episode_ids.add(row["episode_id"])
            return {row["id"] for row in rows if row["episode_id"] in episode_ids} | targets

        loaded = load_for_patients([scope.patient_id], findings_for=findings_for)
        readings = targets
        stale_readings = BlockReading.objects.filter(procedure_id__in=sorted(targets))
    computed = compute(loaded, sorted(episode_ids), reading_ids=readings)
    if scope.procedures is None:  # also the records marked entered in error lose theirs
        stale_readings.delete()
        EpisodeSuggestions.objects.filter(episode__patient_id=scope.patient_id).delete()
        SuggestionReading.objects.filter(episode__patient_id=scope.patient_id).delete()
        TreatmentReading.objects.filter(episode__patient_id=scope.patient_id).delete()
        _insert(computed)
        return computed
    gone = targets - {row["procedure_id"] for row in computed.readings}
    if gone:  # marked entered in error: read by nothing
        BlockReading.objects.filter(procedure_id__in=sorted(gone)).delete()
    if scope.window or gone:
        # A procedure written: marked, or its kind or intent changed, it may be a treatment no
        # more. Otherwise (a finding) the episode's treatments stay what they are, and their
        # rows are replaced in place below: an episode without one costs no query.
        kept = sorted({row["procedure_id"] for row in computed.treatments})
        TreatmentReading.objects.filter(episode_id__in=sorted(episode_ids)).exclude(
            procedure_id__in=kept
        ).delete()
    SuggestionReading.objects.filter(episode_id__in=sorted(episode_ids)).delete()
    _insert(computed, replace=True)
    return computed


def _insert(computed: Computed, *, replace: bool = False) -> None:
    """Write the rows; `replace` overwrites a procedure's or episode's stored ones in place."""
    insert_rows(
        BlockReading,
        READING_COLUMNS,
        ([row[name] for name in READING_COLUMNS] for row in computed.readings),
        replace_on=("procedure", "profile") if replace else (),
    )
    insert_rows(
        EpisodeSuggestions,
        SET_COLUMNS,
        ([row[name] for name in SET_COLUMNS] for row in computed.suggestion_sets),
        replace_on=("episode", "profile") if replace else (),
    )
    insert_rows(
        SuggestionReading,
        SUGGESTION_COLUMNS,
        ([row[name] for name in SUGGESTION_COLUMNS] for row in computed.suggestions),
    )
    _insert_treatments(computed, replace=replace)
    _store_diary_states(computed)


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
        .annotate(points=Count("pain_scores", filter=Q(pain_scores__entered_in_error=False)))
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
    return stale | _stale_treatments(patient_ids)


def _stale_treatments(patient_ids: list[int]) -> set[int]:
    """Patients with a treatment whose evidence reading is missing or out of date."""
    expected = {
        (row["pk"], name): (row["patient"], row["version"], row["points"])
        for row in Procedure.objects.active()
        .therapeutic()
        .filter(
            episode__patient_id__in=patient_ids,
            episode__entered_in_error=False,
            kind__in=sorted(TREATMENT_CODE),
        )
        .annotate(
            patient=F("episode__patient_id"),
            points=Count("follow_ups", filter=Q(follow_ups__entered_in_error=False)),
        )
        .values("pk", "patient", "version", "points")
        for name in PROFILES
    }
    found = {
        (procedure, profile): (version, points)
        for procedure, profile, version, points in TreatmentReading.objects.filter(
            episode__patient_id__in=patient_ids, engine_version=ENGINE_VERSION
        ).values_list("procedure_id", "profile", "procedure_version", "follow_up_points")
    }
    return {
        patient
        for key, (patient, version, points) in expected.items()
        if found.get(key) != (version, points)
    }


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
