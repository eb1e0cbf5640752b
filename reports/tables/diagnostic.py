"""Diagnostic yield: responses per kind, relief, non-diagnostic reasons, diaries.

Every response, validity and relief figure here is the clinical engine's
(stored in BlockReading); these functions only count and summarise.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from blocks.rules import vocab
from blocks.rules.catalogue import NON_DIAGNOSTIC_MESSAGES
from blocks.rules.interpretation import relief_percent
from reports.frames import DIARY_MARKS, explode_codes
from reports.tables.common import DIAGNOSTIC_KINDS, diagnostic, equal, percent, rounded

ALL = "all"
RELIEF_BANDS = [-np.inf, 0, 10, 20, 30, 40, 50, 60, 70, 80, 90, np.inf]
RELIEF_BAND_LABELS = [
    "below 0",
    "0-9",
    "10-19",
    "20-29",
    "30-39",
    "40-49",
    "50-59",
    "60-69",
    "70-79",
    "80-89",
    "90-100",
]


def diagnostic_yield(blocks: pd.DataFrame) -> pd.DataFrame:
    """Per kind: counts and percents of each response, and relief of the valid blocks."""
    rows = diagnostic(blocks, ["kind", "response", "validity", "relief_percent"])
    grouped = {kind: rows[equal(rows["kind"], kind)] for kind in DIAGNOSTIC_KINDS}
    grouped[ALL] = rows
    return pd.DataFrame([_yield_row(kind, group) for kind, group in grouped.items()])


def _yield_row(kind: str, group: pd.DataFrame) -> dict:
    total = len(group)
    row: dict = {"kind": kind, "blocks": total}
    responses = group["response"].value_counts()
    for response in vocab.RESPONSES:
        row[response] = int(responses.get(response, 0))
    for response in vocab.RESPONSES:
        row[f"{response}_percent"] = percent(row[response], total)
    relief = group.loc[equal(group["validity"], "valid"), "relief_percent"].dropna()
    row["relief_blocks"] = len(relief)
    quartiles = relief.quantile([0.25, 0.5, 0.75]) if len(relief) else pd.Series([np.nan] * 3)
    row["relief_mean"] = round(relief.mean(), 1) if len(relief) else np.nan
    row["relief_q1"], row["relief_median"], row["relief_q3"] = (
        round(float(q), 1) for q in quartiles
    )
    return row


def non_diagnostic_reasons(blocks: pd.DataFrame) -> pd.DataFrame:
    """Non-diagnostic blocks per reason code (a block may give more than one reason)."""
    rows = diagnostic(blocks, ["procedure_id", "response", "non_diagnostic_reasons"])
    rows = rows.loc[
        equal(rows["response"], "non_diagnostic"), ["procedure_id", "non_diagnostic_reasons"]
    ]
    reasons = explode_codes(rows, "non_diagnostic_reasons", "code")
    found = reasons["code"].value_counts()
    codes = [
        *NON_DIAGNOSTIC_MESSAGES,
        *(c for c in found.index if c not in NON_DIAGNOSTIC_MESSAGES),
    ]
    frame = pd.DataFrame({"code": codes})
    frame["meaning"] = frame["code"].map(NON_DIAGNOSTIC_MESSAGES).fillna("")
    frame["blocks"] = frame["code"].map(found).fillna(0).astype("int64")
    frame["percent_of_non_diagnostic"] = percent(frame["blocks"], len(rows))
    return frame.astype({"code": "str", "meaning": "str"})


def positive_rate_by_month(blocks: pd.DataFrame) -> pd.DataFrame:
    """Per month and kind: diagnostic blocks, positive ones, and the positive percent."""
    rows = diagnostic(blocks, ["month", "kind", "response"])
    grouped = (
        rows.assign(positive=equal(rows["response"], "positive"))
        .groupby(["month", "kind"], observed=True)["positive"]
        .agg(blocks="size", positive="sum")
        .reset_index()
    )
    grouped["positive"] = grouped["positive"].astype("int64")
    grouped["positive_percent"] = percent(grouped["positive"], grouped["blocks"])
    return grouped.astype({"month": "str", "kind": "str", "blocks": "int64"})


def relief_distribution(blocks: pd.DataFrame) -> pd.DataFrame:
    """Valid diagnostic blocks per kind and band of percent relief."""
    rows = diagnostic(blocks, ["kind", "validity", "relief_percent"])
    rows = rows[equal(rows["validity"], "valid") & rows["relief_percent"].notna()]
    bands = pd.cut(
        rows["relief_percent"], RELIEF_BANDS, right=False, labels=RELIEF_BAND_LABELS
    ).astype("str")
    bands = bands.where(rows["relief_percent"] < 100, "90-100")
    counted = (
        pd.crosstab(rows["kind"], bands)
        .reindex(columns=RELIEF_BAND_LABELS, fill_value=0)
        .stack()
        .rename("blocks")
        .reset_index()
    )
    counted.columns = ["kind", "relief_band", "blocks"]
    return counted.astype({"kind": "str", "relief_band": "str", "blocks": "int64"})


def diary_curve(
    blocks: pd.DataFrame, diary: pd.DataFrame | None, counted: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Median (and quartiles of) relief at each diary mark, per anaesthetic.

    Only valid diagnostic blocks with a relief reading; relief of each point is
    the engine's relief_percent(pre_pain, score). From every score (`diary`), or from
    the points already counted in SQL (`counted`, reports.data): the same points either way.
    """
    if counted is not None:
        return _counted_curve(counted)
    rows = diagnostic(blocks, ["procedure_id", "anesthetic", "pre_pain", "validity"])
    rows = rows.loc[
        equal(rows["validity"], "valid") & (rows["pre_pain"] > 0),
        ["procedure_id", "anesthetic", "pre_pain"],
    ]
    points = diary[["procedure_id", "minutes_after", "score"]].merge(rows, on="procedure_id")
    marks = pd.cut(
        points["minutes_after"], [-1, *DIARY_MARKS[1:], np.inf], labels=[*DIARY_MARKS[1:], "later"]
    ).astype("str")
    points["minutes"] = marks
    points = points[points["minutes"] != "later"]
    return _curve(points)


QUARTILES = (0.25, 0.5, 0.75)
QUARTILE_COLUMNS = ["relief_q1", "relief_median", "relief_q3"]


def _counted_curve(counted: pd.DataFrame) -> pd.DataFrame:
    """The curve from the points counted in SQL, without making one row per point again.

    Each group's quartiles are read off its distinct reliefs and their cumulative counts, as
    pandas' groupby quantile (linear interpolation) reads them off the sorted points: the
    value at position q x (n - 1), plus the fraction of the way to the next one. At 100,000
    blocks that is 700 rows instead of 480,000 points (90 -> 5 ms); the same numbers
    exactly (tests/reports/test_fast_path.py compares it with the per-score path).
    """
    points = counted.loc[counted["anesthetic"].notna() & (counted["points"] > 0)]
    points = points.assign(
        minutes=points["minutes"].astype("int64"),
        relief_percent=relief_percent(points["pre_pain"], points["score"]),
    )
    points = points[points["relief_percent"].notna()]
    if points.empty:
        return _curve(pd.DataFrame(columns=["anesthetic", "minutes", "pre_pain", "score"]))
    weights = points.groupby(["anesthetic", "minutes", "relief_percent"])["points"].sum()
    rows = []
    for (anesthetic, minutes), group in weights.groupby(level=[0, 1], sort=True):
        reliefs = group.index.get_level_values(2).to_numpy(dtype="float64")
        ends = np.cumsum(group.to_numpy(dtype="int64"))  # the sorted points' last positions
        size = int(ends[-1])
        quartiles = []
        for q in QUARTILES:
            at = q * (size - 1)
            index = int(at)
            value = reliefs[np.searchsorted(ends, index, side="right")]
            fraction = at % 1
            if fraction != 0.0:
                following = reliefs[np.searchsorted(ends, index + 1, side="right")]
                value = value + (following - value) * fraction
            quartiles.append(value)
        rows.append((anesthetic, minutes, size, *quartiles))
    frame = pd.DataFrame(rows, columns=["anesthetic", "minutes", "points", *QUARTILE_COLUMNS])
    frame = frame.astype({"minutes": "int64", "points": "int64"})
    for name in QUARTILE_COLUMNS:
        frame[name] = rounded(frame[name])
    return frame.sort_values(["anesthetic", "minutes"]).reset_index(drop=True)


def _curve(points: pd.DataFrame) -> pd.DataFrame:
    """`points`: anesthetic, pre_pain, score and the diary mark (`minutes`, as text)."""
    if points.empty:
        columns = ["anesthetic", "minutes", "points", "relief_q1", "relief_median", "relief_q3"]
        return pd.DataFrame(columns=columns).astype({"minutes": "int64", "points": "int64"})
    points = points.assign(relief_percent=relief_percent(points["pre_pain"], points["score"]))
    grouped = points.groupby(["anesthetic", "minutes"])["relief_percent"]
    quartiles = grouped.quantile([0.25, 0.5, 0.75]).unstack()
    quartiles.columns = ["relief_q1", "relief_median", "relief_q3"]
    frame = pd.concat([grouped.size().rename("points"), quartiles], axis=1).reset_index()
    frame["minutes"] = frame["minutes"].astype("int64")
    for name in ("relief_q1", "relief_median", "relief_q3"):
        frame[name] = rounded(frame[name])
    return frame.sort_values(["anesthetic", "minutes"]).reset_index(drop=True)
