"""Hand-built report frames for the pure pandas tests (no database)."""

from __future__ import annotations

import json

import pandas as pd

DEFAULTS = {
    "episode_id": 1,
    "patient_id": 1,
    "performed_at": "2025-03-10T09:30:00Z",
    "kind": "medial_branch_block",
    "intent": "diagnostic",
    "side": "right",
    "region": "lumbar",
    "anesthetic": "lidocaine",
    "anesthetic_volume_ml": 0.5,
    "steroid": "none",
    "steroid_dose_mg": None,
    "guidance": "fluoroscopy",
    "contrast_used": True,
    "contrast_flow_confirmed": True,
    "sedation": "none",
    "pre_pain": 8.0,
    "physician": "D-1",
    "overridden": False,
    "response": "positive",
    "validity": "valid",
    "relief_percent": 90.0,
    "diagnostic": True,
    "non_diagnostic_reasons": [],
    "hard_stops": [],
    "target": "facet|right|L4-L5",
    "diary_count": 4,
}


def blocks(*rows: dict) -> pd.DataFrame:
    records = []
    for number, row in enumerate(rows, start=1):
        record = {"procedure_id": number, **DEFAULTS, **row}
        for name in ("non_diagnostic_reasons", "hard_stops"):
            record[name] = json.dumps(record[name])
        records.append(record)
    frame = pd.DataFrame.from_records(records)
    frame["performed_at"] = pd.to_datetime(frame["performed_at"], utc=True)
    frame["month"] = frame["performed_at"].dt.strftime("%Y-%m")
    frame["diagnostic"] = frame["diagnostic"].astype("boolean")
    frame["relief_percent"] = frame["relief_percent"].astype("float64")
    frame["pre_pain"] = frame["pre_pain"].astype("float64")
    frame["anesthetic_volume_ml"] = frame["anesthetic_volume_ml"].astype("float64")
    frame["steroid_dose_mg"] = frame["steroid_dose_mg"].astype("float64")
    return frame


def complications(*rows: tuple) -> pd.DataFrame:
    """(procedure_id, code, severity) rows."""
    frame = pd.DataFrame(rows, columns=["procedure_id", "code", "severity"])
    frame["onset_days"] = pd.array([1] * len(frame), dtype="Int64")
    return frame


def suggestions(*rows: dict) -> pd.DataFrame:
    """Stored suggestions; the fingerprint defaults to "<episode>-<code>"."""
    columns = [
        "episode_id",
        "profile",
        "code",
        "rule",
        "side",
        "levels",
        "based_on",
        "status",
        "fingerprint",
    ]
    base = {"profile": "cms-2021", "side": "right", "levels": "L4-L5", "based_on": ""}
    base["status"] = "open"
    records = [{**base, **row} for row in rows]
    for record in records:
        record.setdefault("fingerprint", f"{record['episode_id']}-{record['code']}")
    return pd.DataFrame(records, columns=columns)


def decisions(*rows: tuple) -> pd.DataFrame:
    """(episode_id, code, decision, reason, based_on ids, decided_at) rows."""
    records = [
        {
            "episode_id": episode,
            "code": code,
            "fingerprint": f"{episode}-{code}",
            "decision": decision,
            "reason": reason,
            "based_on": json.dumps(list(based_on)),
            "decided_at": pd.Timestamp(decided_at),
        }
        for episode, code, decision, reason, based_on, decided_at in rows
    ]
    return pd.DataFrame(records)
