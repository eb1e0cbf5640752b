"""The reports page, cached by its filters, the engine version and the store's last change.

Every clinical write leaves a history row (django-simple-history), so the highest history id
of each model the report reads moves on with any new, edited or entered-in-error record; the
stored readings' highest id covers a re-read (a re-read outside a write, by
`refresh_readings` or the worklist, deletes a patient's readings and inserts them anew; the
write path's in-place replacement comes with its write's history row). A cached page is
therefore never older than the store; the TTL (env TRACKER_REPORTS_CACHE_SECONDS, default 300)
only bounds memory. Each MAX reads one end of a primary key: the mark costs the same at
100,000 procedures as at 1,000 (the readings' latest computed_at, unindexed, read all 300,000).

Each chart is also kept by the content of the table it draws (`chart`): a write moves the
store's mark, so the page's report is built again, but a chart whose table came out the same
(a diary score that moves no band, rate or median) is not drawn again. Drawing the seven
charts is a third of a cold page at 100,000 blocks, and under a clinic's steady writes the
page is cold at almost every view (benchmarks/load.sh).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from pathlib import Path

import matplotlib
import pandas as pd
from django.core.cache import cache
from django.db.models import Max

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
from reports.models import BlockReading

WATCHED = (Patient, Episode, Procedure, PainScore, Complication, Screening, Decision, FollowUp)


def timeout() -> int:
    return int(os.environ.get("TRACKER_REPORTS_CACHE_SECONDS", "300"))


def store_mark() -> list:
    """The store's last change: one cheap MAX per watched table (each on its primary key)."""
    mark = [
        model.history.model.objects.aggregate(last=Max("history_id"))["last"] for model in WATCHED
    ]
    return [*mark, BlockReading.objects.aggregate(last=Max("pk"))["last"]]


def key(filters: dict) -> str:
    text = json.dumps([filters, ENGINE_VERSION, store_mark()], sort_keys=True, default=str)
    return "reports-page:" + hashlib.sha256(text.encode()).hexdigest()


def cached(filters: dict, build):
    """The page's report parts for these filters: from the cache, or built and stored."""
    name = key(filters)
    found = cache.get(name)
    if found is None:
        found = build()
        cache.set(name, found, timeout())
    return found


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


def chart(name: str, table: pd.DataFrame, draw: Callable[[], str]) -> str:
    """A chart as drawn by `draw()` from this table: from the cache when the same chart was
    drawn from a table of the same content, else drawn and stored."""
    text = json.dumps([name, CHART_CODE, table_content(table)])
    entry = "reports-chart:" + hashlib.sha256(text.encode()).hexdigest()
    found = cache.get(entry)
    if found is None:
        found = draw()
        cache.set(entry, found, timeout())
    return found


def completeness(compute) -> dict:
    """The completeness figures, counted at most once a minute per store state.

    They move with the clock (a diary turns overdue as time passes), so they are not part of
    the page's cache; but counting them scans every procedure (0.8 s at 100,000), so a quality
    team reloading the page reads the figures of the same minute.
    """
    minute = int(time.time() // 60)
    name = (
        "reports-completeness:"
        + hashlib.sha256(json.dumps([minute, store_mark()], default=str).encode()).hexdigest()
    )
    found = cache.get(name)
    if found is None:
        found = compute()
        cache.set(name, found, 120)
    return found
