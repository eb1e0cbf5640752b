"""Small helpers shared by the summary tables (pure pandas, no Django)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from blocks.rules import vocab

DECIMALS = 1
DIAGNOSTIC_KINDS = tuple(kind for kind in vocab.KINDS if kind != vocab.RFA)


def percent(part, whole, decimals: int = DECIMALS) -> pd.Series | float:
    """part / whole x 100, rounded to one decimal; NaN where the whole is zero."""
    part = pd.Series(part, dtype="float64") if np.ndim(part) else float(part)
    whole = pd.Series(whole, dtype="float64") if np.ndim(whole) else float(whole)
    if np.ndim(whole):
        ratio = part / whole.where(whole != 0)
    else:
        ratio = part / whole if whole else np.nan
    return np.round(ratio * 100, decimals)


def rounded(series: pd.Series) -> pd.Series:
    return series.astype("float64").round(DECIMALS)


def equal(series: pd.Series, value) -> pd.Series:
    """The mask `series == value` (a missing value is unequal), compared object by object.

    Comparing a text column first makes a pass over it for missing values; on the column's
    objects the same mask takes a third of the time (about 1.5 ms for 100,000 blocks with
    reports.data's shared strings). `~equal(...)` is `series != value`.
    """
    return pd.Series(series.to_numpy() == value, index=series.index, name=series.name)


def is_diagnostic(blocks: pd.DataFrame) -> pd.Series:
    return blocks["diagnostic"].fillna(False).astype(bool)


def diagnostic(blocks: pd.DataFrame, columns: list[str] | None = None) -> pd.DataFrame:
    """Blocks the engine counts as diagnostic (discography included, RFA never).

    Name the `columns` needed: copying only those is much faster on a registry.
    """
    mask = is_diagnostic(blocks)
    return blocks.loc[mask, columns] if columns else blocks[mask]


def counts(series: pd.Series, categories, name: str, label: str) -> pd.DataFrame:
    """Counts per category, every category listed (zero when absent), with a percent."""
    found = series.value_counts()
    extra = [value for value in found.index if value not in set(categories)]
    table = found.reindex([*categories, *extra], fill_value=0).astype("int64")
    frame = table.rename_axis(label).reset_index(name=name)
    frame["percent"] = percent(frame[name], frame[name].sum())
    return frame
