"""Column helpers for frames built from raw database rows (SQLite and PostgreSQL alike)."""

from __future__ import annotations

import json
import sys

import numpy as np
import pandas as pd

# Diary points are grouped at these minutes (each point goes to the first mark at or after it);
# here, below both the data edge (which counts them in SQL) and the tables.
DIARY_MARKS = [0, 15, 30, 60, 90, 120, 180, 240, 360, 480, 720, 1440, 2880, 10080]


def numeric_column(series: pd.Series) -> pd.Series:
    """Numbers as float64; SQLite gives ints and floats, PostgreSQL Decimals; None is NaN."""
    if series.dtype == object:
        # Decimals, None, NaN and pd.NA (from a nullable column made object) alike.
        return series.map(lambda v: np.nan if v is None or pd.isna(v) else float(v)).astype(
            "float64"
        )
    return pd.to_numeric(series, errors="coerce").astype("float64")


def shared_text(series: pd.Series) -> pd.Series:
    """The same texts, each distinct one as a single (interned) string object.

    A driver returns a new string object per row: 100,000 blocks give 100,000 copies of
    "medial_branch_block" scattered in memory, and every comparison, value_counts, groupby
    or merge on the column then reads them all. With one object per distinct text those
    run 3-4 times faster, and the equal values (and the dtype) are unchanged.
    """
    codes, uniques = pd.factorize(series.to_numpy(dtype=object))
    if not len(uniques):
        return series
    shared = np.array(
        [sys.intern(text) if type(text) is str else text for text in uniques], dtype=object
    )
    values = shared.take(codes)
    if (codes < 0).any():
        values[codes < 0] = None
    return pd.Series(values, index=series.index, dtype=series.dtype, name=series.name)


def bool_column(series: pd.Series, *, nullable: bool = False) -> pd.Series:
    """Booleans from 0/1 (SQLite) or True/False (PostgreSQL); nullable ones keep <NA>."""
    if nullable:
        return series.astype("boolean")
    return series.fillna(False).astype(bool)


def json_text(value) -> str:
    """A JSON list as the text the database returns for a JSONField."""
    return value if isinstance(value, str) else json.dumps(list(value or []))


def parse_json(series: pd.Series) -> pd.Series:
    """JSON text to Python objects, parsing each distinct text once."""
    texts = series.map(json_text, na_action="ignore")
    parsed = {text: json.loads(text) for text in pd.unique(texts.dropna())}
    return texts.map(parsed)


def joined_codes(series: pd.Series, sep: str = ";") -> pd.Series:
    """JSON lists of codes as one text per row, e.g. "no_contrast;high_volume"."""
    texts = series.map(json_text, na_action="ignore")
    joined = {text: sep.join(map(str, json.loads(text))) for text in pd.unique(texts.dropna())}
    return texts.map(joined).fillna("").astype("str")


def explode_codes(frame: pd.DataFrame, column: str, name: str = "code") -> pd.DataFrame:
    """One row per code of a JSON list column (rows with an empty list drop out)."""
    if frame.empty:
        return frame.assign(**{name: pd.Series(dtype="str")}).drop(columns=[column])
    exploded = frame.assign(**{name: parse_json(frame[column])}).drop(columns=[column])
    exploded = exploded.explode(name)
    return exploded[exploded[name].notna()].astype({name: "str"})
