"""Physicians' decisions on suggestions (accepted, declined with a reason), as a frame.

The Decision model is being built in blocks (issue 3). Until
`blocks.models.Decision` exists this returns an empty frame with the columns
below, and the Decisions tables come out empty rather than failing. When it
lands, map its fields in FIELD_MAP (report column -> model field path); the
loader picks the first path that exists on the model.
"""

from __future__ import annotations

import pandas as pd
from django.core.exceptions import FieldDoesNotExist

COLUMNS = ["episode_id", "code", "levels", "side", "decision", "reason", "decided_at"]

# Candidate field names on blocks.models.Decision, first match wins.
FIELD_MAP: dict[str, tuple[str, ...]] = {
    "episode_id": ("episode_id", "episode"),
    "code": ("code", "suggestion_code"),
    "levels": ("levels",),
    "side": ("side",),
    "decision": ("decision", "status", "outcome", "verdict"),
    "reason": ("reason", "decline_reason"),
    "decided_at": ("decided_at", "created_at", "recorded_at"),
}


def decision_model():
    try:
        from blocks.models import Decision
    except ImportError:
        return None
    return Decision


def empty() -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype="object") for name in COLUMNS})


def _field(model, candidates: tuple[str, ...]) -> str | None:
    for name in candidates:
        try:
            model._meta.get_field(name.removesuffix("_id"))
        except FieldDoesNotExist:
            continue
        return name
    return None


def load(episodes) -> pd.DataFrame:
    """Decisions on the report's episodes (a values("episode_id") queryset), or an empty frame."""
    model = decision_model()
    if model is None:
        return empty()
    paths = {column: _field(model, names) for column, names in FIELD_MAP.items()}
    if paths["episode_id"] is None or paths["code"] is None or paths["decision"] is None:
        return empty()
    from reports.data import fetch

    manager = getattr(model.objects, "active", None)
    queryset = manager() if callable(manager) else model.objects.all()
    found = {column: path for column, path in paths.items() if path is not None}
    frame = fetch(
        queryset.filter(**{f"{found['episode_id']}__in": episodes})
        .values(*found.values())
        .order_by()
    )
    frame.columns = list(found)
    for column in COLUMNS:
        if column not in frame:
            frame[column] = None
    frame["decided_at"] = pd.to_datetime(frame["decided_at"], utc=True, format="ISO8601")
    frame["decision"] = frame["decision"].map(_decision_word)
    return frame[COLUMNS]


def _decision_word(value) -> str:
    if value is True:
        return "accepted"
    if value is False:
        return "declined"
    text = str(value).lower()
    return {"accept": "accepted", "decline": "declined"}.get(text, text)
