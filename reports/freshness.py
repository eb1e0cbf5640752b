"""Stored readings that are missing or stale, computed on the fly so a report is never wrong.

A stored reading is stale when the engine version changed, the procedure was
edited (its version moved on) or its diary has more or fewer points than when
it was read. An episode's suggestions are stale when its marker is missing or
from another engine version, or when one of its blocks is stale. Fresh rows
come from the same code that stores them (reports.store.readings), for the
patients concerned only; nothing is written here.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pandas as pd

from blocks.rules import ENGINE_VERSION
from reports.frames import bool_column, json_text, numeric_column
from reports.store.readings import (
    COMPARATIVE_PROFILE,
    COMPARATIVE_RULES,
    compute_for_patients,
)
from reports.store.readings import (
    READING_COLUMNS as STORED_READING_COLUMNS,
)
from reports.store.readings import (
    SUGGESTION_COLUMNS as STORED_SUGGESTION_COLUMNS,
)

logger = logging.getLogger(__name__)

# The stored reading's columns the summary reads (the warnings only the row-level export).
READING_FIELDS = tuple(
    name
    for name in STORED_READING_COLUMNS
    if name not in ("procedure_id", "profile", "warnings", "computed_at")
)
JSON_FIELDS = ("warnings", "non_diagnostic_reasons", "hard_stops")
# The stored suggestion columns the reports read (not the next step's date or agent).
SUGGESTION_COLUMNS = [
    name for name in STORED_SUGGESTION_COLUMNS if name not in ("earliest_date", "anesthetic")
]


@dataclass
class Fresh:
    blocks: pd.DataFrame
    suggestions: pd.DataFrame
    recomputed: int


def typed_readings(blocks: pd.DataFrame) -> pd.DataFrame:
    blocks["relief_percent"] = numeric_column(blocks["relief_percent"])
    blocks["duration_minutes"] = numeric_column(blocks["duration_minutes"]).astype("Int64")
    for name in ("duration_censored", "counts_towards_treatment", "diagnostic"):
        blocks[name] = bool_column(blocks[name], nullable=True)
    return blocks


def stale_mask(blocks: pd.DataFrame) -> pd.Series:
    engine = blocks["engine_version"]
    return (
        engine.isna()
        # On the column's objects: a text comparison would look for missing values again.
        | (engine.to_numpy() != ENGINE_VERSION)
        | (numeric_column(blocks["procedure_version"]) != blocks["version"])
        | (numeric_column(blocks["diary_points"]) != blocks["diary_count"])
    )


def refreshed(
    blocks: pd.DataFrame, unread_episodes: set[int], suggestions: pd.DataFrame, profile: str
) -> Fresh:
    """`unread_episodes`: episodes with no current suggestions under a profile of the report."""
    stale = stale_mask(blocks)
    stale_episodes = set(blocks.loc[stale, "episode_id"]) | unread_episodes
    if not stale_episodes:
        return Fresh(blocks, suggestions, 0)
    patients = set(blocks.loc[blocks["episode_id"].isin(stale_episodes), "patient_id"])
    logger.warning(
        "%d stored readings and %d episodes' suggestions are missing or stale: computing "
        "them now for %d patients; run `manage.py refresh_readings --stale`.",
        int(stale.sum()),
        len(stale_episodes),
        len(patients),
    )
    computed = compute_for_patients(patients)
    if stale.any():
        blocks = _replace_readings(blocks, stale, computed.readings, profile)
    fresh = pd.DataFrame.from_records(
        [
            [row[name] for name in SUGGESTION_COLUMNS]
            for row in computed.suggestions
            if row["episode_id"] in stale_episodes
        ],
        columns=SUGGESTION_COLUMNS,
    )
    # The same rows the suggestions query selects: the report's profile, and the
    # comparative verdicts of sis-controlled.
    fresh = fresh[
        (fresh["profile"] == profile)
        | ((fresh["profile"] == COMPARATIVE_PROFILE) & fresh["rule"].isin(list(COMPARATIVE_RULES)))
    ]
    kept = suggestions[~suggestions["episode_id"].isin(stale_episodes)]
    return Fresh(blocks, pd.concat([kept, fresh], ignore_index=True), int(stale.sum()))


def _replace_readings(blocks, stale, readings: list[dict], profile: str) -> pd.DataFrame:
    fresh = {r["procedure_id"]: r for r in readings if r["profile"] == profile}
    blocks = blocks.copy()
    rows = blocks.index[stale]
    ids = blocks.loc[rows, "procedure_id"]
    for name in [*READING_FIELDS, *(f for f in JSON_FIELDS if f in blocks)]:
        values = [fresh.get(pid, {}).get(name) for pid in ids]
        if name in JSON_FIELDS:
            values = [json_text(v) for v in values]
        column = blocks[name].astype(object)
        column.loc[rows] = values
        blocks[name] = column
    return typed_readings(blocks)
