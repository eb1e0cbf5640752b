"""The reports page, cached by its filters, the engine version and the store's last change.

Every clinical write leaves a history row (django-simple-history), so the highest history id
of each model the report reads moves on with any new, edited or entered-in-error record; the
stored readings' highest id covers a re-read (a re-read outside a write, by
`refresh_readings` or the worklist, deletes a patient's readings and inserts them anew; the
write path's in-place replacement comes with its write's history row). Each MAX reads one end
of a primary key: the mark costs the same at 100,000 procedures as at 1,000.

A clinic writes all day (a diary score every few seconds at 100,000 blocks), so the page's
exact state is rarely the one last counted, and counting it again takes seconds. Once counted,
a page is therefore shown for up to TRACKER_REPORTS_MAX_LAG_SECONDS (60) after the records
change, saying when it was counted and offering "Count again now"; after that the next view
counts it again, one request at a time (the others meanwhile see the last count). With the
setting at 0 a page is never older than the store. The completeness figures follow the same
rule, and also move on each minute, since diaries turn overdue as the clock runs. The cache's
TTL (TRACKER_REPORTS_CACHE_SECONDS, 300) only bounds memory.

Each chart is also kept by the content of the table it draws (`chart`): a page counted again
draws only the charts whose table came out different (a diary score that moves no band, rate
or median draws none).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import matplotlib
import pandas as pd
from django.conf import settings
from django.core.cache import cache
from django.db.models import Max
from django.utils import timezone

from blocks.models import (
    Complication,
    Decision,
    Episode,
    FollowUp,
    PainScore,
    Patient,
    Procedure,
    Screening,
)
from blocks.rules import ENGINE_VERSION
from blocks.selectors import last_changes
from reports.models import BlockReading

WATCHED = (Patient, Episode, Procedure, PainScore, Complication, Screening, Decision, FollowUp)


def timeout() -> int:
    return int(os.environ.get("TRACKER_REPORTS_CACHE_SECONDS", "300"))


def store_mark() -> list:
    """The store's last change: one cheap MAX per watched table (each on its primary key)."""
    return [*last_changes(WATCHED), BlockReading.objects.aggregate(last=Max("pk"))["last"]]


@dataclass(frozen=True)
class Counted:
    """A cached value, when it was counted, and whether the records have changed since (it is
    then at most TRACKER_REPORTS_MAX_LAG_SECONDS old, or being counted again right now)."""

    value: Any
    counted_at: datetime
    behind: bool = False


# A request counting a page again holds its "counting" mark this long at most (a crashed
# worker's mark runs out).
COUNTING_AT_MOST = 120


def _key(*parts) -> str:
    text = json.dumps(parts, sort_keys=True, default=str)
    return "reports-page:" + hashlib.sha256(text.encode()).hexdigest()


def _counted(name: list, state: list, build: Callable[[], Any], *, recount: bool) -> Counted:
    """`name`'s value in this store `state`: the one counted in that state; else the last one
    counted, while younger than the allowed lag or while another request counts it again;
    else counted now. `recount` counts now whatever is kept."""
    exact, last, counting = _key(*name, state), _key(*name, "last"), _key(*name, "counting")
    lag = settings.TRACKER_REPORTS_MAX_LAG_SECONDS
    holding = False
    if not recount:
        found = cache.get(exact)
        if found is not None:
            return found
        previous = cache.get(last) if lag else None
        if previous is not None:
            age = (timezone.now() - previous.counted_at).total_seconds()
            if age < lag:
                return replace(previous, behind=True)
            holding = cache.add(counting, True, COUNTING_AT_MOST)
            if not holding:  # another request is counting it: the last count meanwhile
                return replace(previous, behind=True)
    try:
        counted = Counted(build(), timezone.now())
        cache.set_many({exact: counted, last: counted}, timeout())
    finally:
        if holding:
            cache.delete(counting)
    return counted


def cached(filters: dict, build: Callable[[], dict], *, recount: bool = False) -> Counted:
    """The page's report parts for these filters (module docstring)."""
    return _counted(["page", filters, ENGINE_VERSION], store_mark(), build, recount=recount)


# What else a chart depends on: the code that draws it and the library that renders it.
CHART_CODE = hashlib.sha256(
    Path(__file__).with_name("charts.py").read_bytes() + matplotlib.__version__.encode()
).hexdigest()


def table_content(table: pd.DataFrame) -> str:
    """A table's columns, index, types and every value, as text (floats to 15 digits)."""
    values = table.to_json(
        orient="split", date_format="iso", double_precision=15, default_handler=str
    )
    return json.dumps([list(map(str, table.dtypes)), values])


def chart(name: str, table: pd.DataFrame, draw: Callable[[], str], *, profile: str = "") -> str:
    """A chart as drawn by `draw()` from this table under this profile (its thresholds may be
    drawn): from the cache when the same chart was drawn from a table of the same content,
    else drawn and stored."""
    text = json.dumps([name, CHART_CODE, profile, table_content(table)])
    entry = "reports-chart:" + hashlib.sha256(text.encode()).hexdigest()
    found = cache.get(entry)
    if found is None:
        found = draw()
        cache.set(entry, found, timeout())
    return found


def completeness(compute: Callable[[], dict], *, recount: bool = False) -> Counted:
    """The completeness figures: counted again as the page is, and each new minute, since
    they move with the clock (a diary turns overdue as time passes) as well as the store.
    Counting them scans every procedure (0.2-0.3 s at 100,000)."""
    minute = int(time.time() // 60)
    return _counted(["completeness"], [minute, *store_mark()], compute, recount=recount)
