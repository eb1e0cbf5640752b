"""Volume: blocks per month, kind, region and physician."""

from __future__ import annotations

import pandas as pd

from blocks.rules import vocab
from reports.tables.common import counts


def volume_by_month(blocks: pd.DataFrame) -> pd.DataFrame:
    """Procedures per month, every month between the first and the last listed."""
    if blocks.empty:
        return pd.DataFrame({"month": pd.Series(dtype="str"), "procedures": []}).astype(
            {"procedures": "int64"}
        )
    per_month = blocks["month"].value_counts()
    months = pd.period_range(min(per_month.index), max(per_month.index), freq="M")
    labels = [str(m) for m in months]
    frame = per_month.reindex(labels, fill_value=0).rename_axis("month")
    return frame.reset_index(name="procedures").astype({"procedures": "int64", "month": "str"})


def volume_by_kind(blocks: pd.DataFrame) -> pd.DataFrame:
    return counts(blocks["kind"], vocab.KINDS, "procedures", "kind")


def volume_by_region(blocks: pd.DataFrame) -> pd.DataFrame:
    return counts(blocks["region"], vocab.REGIONS, "procedures", "region")


def volume_by_physician(blocks: pd.DataFrame) -> pd.DataFrame:
    frame = counts(blocks["physician"], (), "procedures", "physician")
    return frame.sort_values(["procedures", "physician"], ascending=[False, True]).reset_index(
        drop=True
    )
