"""Physicians' decisions on suggestions (blocks.models.Decision), as a frame.

A decision records the fingerprint of the suggestion it answers
(blocks.models.suggestion_fingerprint); the stored suggestions carry the same
fingerprint, so the two are matched exactly. The decline reason is free text:
it is loaded only to sort it into a theme (reports.tables.decided) and never
leaves this process.
"""

from __future__ import annotations

import pandas as pd
from django.db.models import QuerySet

from blocks.models import Decision

COLUMNS = ["episode_id", "code", "fingerprint", "decision", "reason", "based_on", "decided_at"]


def empty() -> pd.DataFrame:
    frame = pd.DataFrame({name: pd.Series(dtype="object") for name in COLUMNS})
    frame["decided_at"] = pd.to_datetime(frame["decided_at"], utc=True)
    return frame


def query(episodes: QuerySet, profile: str) -> QuerySet:
    """Decisions taken under `profile` on the report's episodes (a values("episode_id") query)."""
    return (
        Decision.objects.filter(episode_id__in=episodes, profile=profile)
        .values("episode_id", "code", "fingerprint", "status", "reason", "based_on", "decided_at")
        .order_by()
    )


def typed(frame: pd.DataFrame) -> pd.DataFrame:
    if frame.empty:
        return empty()
    frame = frame.rename(columns={"status": "decision"})
    frame["decided_at"] = pd.to_datetime(frame["decided_at"], utc=True, format="ISO8601")
    return frame[COLUMNS]
