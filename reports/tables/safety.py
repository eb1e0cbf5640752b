"""Safety: complications per 100 procedures, serious events, overrides, steroid side effects.

Which events are serious, and which are steroid side effects, comes from the
engine's vocabulary (blocks.rules.vocab), the same sets the Complication model uses.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from blocks.rules import vocab
from reports.frames import explode_codes, joined_codes
from reports.tables.common import equal, percent

PER = 100


def per_100(events, procedures):
    """Events per 100 procedures, to three decimals: rare events must not round to 0."""
    return percent(events, procedures, decimals=3)


def is_serious(complications: pd.DataFrame) -> pd.Series:
    return complications["code"].isin(list(vocab.ALWAYS_SERIOUS)) | (
        complications["code"].isin(list(vocab.SERIOUS_WHEN_SEVERE))
        & (complications["severity"] == "severe")
    )


def complications_by_code(blocks: pd.DataFrame, complications: pd.DataFrame) -> pd.DataFrame:
    """Events per code and severity, per 100 procedures of the report."""
    table = complications.groupby(["code", "severity"]).size().rename("events").reset_index()
    order = {code: i for i, code in enumerate(vocab.COMPLICATIONS)}
    severity = {s: i for i, s in enumerate(vocab.SEVERITIES)}
    table = table.sort_values(
        ["code", "severity"], key=lambda c: c.map(order if c.name == "code" else severity)
    ).reset_index(drop=True)
    table["serious"] = is_serious(table)
    table["per_100_procedures"] = per_100(table["events"], len(blocks))
    return table.astype({"code": "str", "severity": "str", "events": "int64"})


def complication_rate_by_kind(blocks: pd.DataFrame, complications: pd.DataFrame) -> pd.DataFrame:
    kind_of = blocks.set_index("procedure_id")["kind"]
    events = complications["procedure_id"].map(kind_of).value_counts()
    with_any = (
        complications.drop_duplicates("procedure_id")["procedure_id"].map(kind_of).value_counts()
    )
    procedures = blocks["kind"].value_counts()
    kinds = [k for k in vocab.KINDS if k in procedures.index]
    frame = pd.DataFrame({"kind": kinds})
    frame["procedures"] = frame["kind"].map(procedures).astype("int64")
    frame["events"] = frame["kind"].map(events).fillna(0).astype("int64")
    frame["procedures_with_complication"] = frame["kind"].map(with_any).fillna(0).astype("int64")
    frame["per_100_procedures"] = per_100(frame["events"], frame["procedures"])
    return frame.astype({"kind": "str"})


def serious_events(
    blocks: pd.DataFrame, complications: pd.DataFrame, *, label: Callable
) -> pd.DataFrame:
    """Serious events one by one; `label(rows)` names the patient (pseudonym, or MRN)."""
    events = complications[is_serious(complications)]
    columns = ["procedure_id", "patient_id", "month", "kind", "region", "side"]
    if "mrn" in blocks:
        columns.append("mrn")
    frame = events.merge(blocks[columns], on="procedure_id")
    frame["patient"] = label(frame) if len(frame) else pd.Series(dtype="str")
    keep = ["patient", "month", "kind", "region", "side", "code", "severity", "onset_days"]
    if "notes" in frame:  # identified exports only
        keep += ["procedure_id", "notes"]
    return frame.sort_values(["month", "code"])[keep].reset_index(drop=True)


def hard_stop_overrides(blocks: pd.DataFrame) -> pd.DataFrame:
    """Procedures done despite a hard stop, per hard-stop code (reasons are free text: not here)."""
    overridden = blocks.loc[blocks["overridden"], ["procedure_id", "hard_stops"]]
    codes = explode_codes(overridden, "hard_stops")["code"].value_counts()
    order = [c for c in (*vocab.HARD_STOPS, *vocab.CONDITIONAL_HARD_STOPS)]
    frame = pd.DataFrame({"code": order, "overrides": [int(codes.get(c, 0)) for c in order]})
    frame["per_100_procedures"] = per_100(frame["overrides"], len(blocks))
    return frame.astype({"code": "str"})


def override_reasons(blocks: pd.DataFrame, *, label: Callable) -> pd.DataFrame:
    """Identified exports only: each override with its free-text reason."""
    rows = blocks[blocks["overridden"]]
    return pd.DataFrame(
        {
            "patient": label(rows) if len(rows) else pd.Series(dtype="str"),
            "procedure_id": rows["procedure_id"],
            "performed_at": rows["performed_at"].dt.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "kind": rows["kind"],
            "hard_stops": joined_codes(rows["hard_stops"]),
            "reason": rows["override_reason"],
        }
    ).reset_index(drop=True)


def steroid_side_effects(blocks: pd.DataFrame, complications: pd.DataFrame) -> pd.DataFrame:
    """Steroid side effects per steroid and code, per 100 procedures with that steroid."""
    given = blocks.loc[~equal(blocks["steroid"], "none"), ["procedure_id", "steroid"]]
    steroid_of = given.set_index("procedure_id")["steroid"]
    effects = complications[complications["code"].isin(list(vocab.STEROID_SIDE_EFFECTS))]
    effects = effects.assign(steroid=effects["procedure_id"].map(steroid_of).fillna("none"))
    table = effects.groupby(["steroid", "code"]).size().rename("events").reset_index()
    exposed = blocks["steroid"].value_counts()
    table["steroid_procedures"] = table["steroid"].map(exposed).fillna(0).astype("int64")
    table["per_100_steroid_procedures"] = per_100(table["events"], table["steroid_procedures"])
    return table.astype({"steroid": "str", "code": "str", "events": "int64"})
