"""The report tables as the /reports/ page shows them: a count and its percent in one cell.

A table such as the diagnostic yield has each response twice, as a count and as a percent
of the blocks; side by side that is seventeen columns, wider than a 1280 px screen. On the
page each count carries its percent, "17 (70.8 %)", under the count's header; the files
(CSV, xlsx, JSON) keep both columns, numbers as numbers.
"""

from __future__ import annotations

import math

import pandas as pd

PERCENT_SUFFIX = "_percent"


def _with_percent(count, share) -> str:
    if count is None or count is pd.NA or (isinstance(count, float) and math.isnan(count)):
        return "–"
    if share is None or share is pd.NA or (isinstance(share, float) and math.isnan(share)):
        return f"{count}"
    return f"{count} ({share:.1f} %)"


def paired_columns(frame: pd.DataFrame) -> dict[str, str]:
    """{count column: its percent column} for every integer count with an `X_percent`."""
    return {
        column: f"{column}{PERCENT_SUFFIX}"
        for column in frame.columns
        if f"{column}{PERCENT_SUFFIX}" in frame.columns
        and pd.api.types.is_integer_dtype(frame[column])
    }


def page_frame(frame: pd.DataFrame) -> tuple[pd.DataFrame, set[str]]:
    """The frame with each count and its percent merged, and the columns that are numbers
    (right-aligned on the page)."""
    numbers = {
        column
        for column in frame.columns
        if pd.api.types.is_numeric_dtype(frame[column])
        and not pd.api.types.is_bool_dtype(frame[column])
    }
    pairs = paired_columns(frame)
    if not pairs:
        return frame, numbers
    shown = frame.drop(columns=list(pairs.values()))
    for count, share in pairs.items():
        shown[count] = [
            _with_percent(c, s) for c, s in zip(frame[count], frame[share], strict=True)
        ]
    return shown, numbers
