"""Data completeness: diaries, and technique fields left unrecorded."""

from __future__ import annotations

import pandas as pd

from blocks.rules import vocab
from reports.tables.common import diagnostic, percent

MAX_POINTS_LISTED = 12


def _readable(blocks: pd.DataFrame) -> pd.DataFrame:
    """Diagnostic blocks read from a diary (discography has none)."""
    rows = diagnostic(blocks)
    return rows[rows["kind"] != vocab.DISCOGRAPHY]


def completeness(blocks: pd.DataFrame) -> pd.DataFrame:
    """Each gap in the record: how many blocks have it, out of how many it applies to."""
    readable = _readable(blocks)
    with_anesthetic = blocks[blocks["anesthetic"] != "none"]
    with_steroid = blocks[blocks["steroid"] != "none"]
    with_contrast = blocks[blocks["contrast_used"]]
    measures = [
        (
            "diagnostic_blocks_without_diary",
            int((readable["diary_count"] == 0).sum()),
            len(readable),
        ),
        (
            "diagnostic_blocks_without_pre_pain",
            int(readable["pre_pain"].isna().sum()),
            len(readable),
        ),
        (
            "procedures_without_image_guidance",
            int((blocks["guidance"] == "none").sum()),
            len(blocks),
        ),
        ("procedures_without_contrast", int((~blocks["contrast_used"]).sum()), len(blocks)),
        (
            "contrast_flow_not_confirmed",
            int((~with_contrast["contrast_flow_confirmed"]).sum()),
            len(with_contrast),
        ),
        (
            "anesthetic_volume_missing",
            int(with_anesthetic["anesthetic_volume_ml"].isna().sum()),
            len(with_anesthetic),
        ),
        (
            "steroid_dose_missing",
            int(with_steroid["steroid_dose_mg"].isna().sum()),
            len(with_steroid),
        ),
    ]
    frame = pd.DataFrame(measures, columns=["measure", "blocks", "of_blocks"])
    frame["percent"] = percent(frame["blocks"], frame["of_blocks"])
    return frame.astype({"measure": "str"})


def diary_points_per_block(blocks: pd.DataFrame) -> pd.DataFrame:
    """Diagnostic blocks by number of diary points (0 to 12, then "13+")."""
    points = _readable(blocks)["diary_count"]
    labels = points.clip(upper=MAX_POINTS_LISTED + 1).map(
        lambda n: f"{MAX_POINTS_LISTED + 1}+" if n > MAX_POINTS_LISTED else str(n)
    )
    order = [str(n) for n in range(MAX_POINTS_LISTED + 1)] + [f"{MAX_POINTS_LISTED + 1}+"]
    found = labels.value_counts()
    frame = pd.DataFrame({"diary_points": order, "blocks": [int(found.get(o, 0)) for o in order]})
    frame["percent"] = percent(frame["blocks"], len(points))
    return frame.astype({"diary_points": "str"})


def diary_points_summary(blocks: pd.DataFrame) -> pd.DataFrame:
    points = _readable(blocks)["diary_count"]
    return pd.DataFrame(
        [
            {
                "blocks": len(points),
                "mean": round(float(points.mean()), 1) if len(points) else float("nan"),
                "median": float(points.median()) if len(points) else float("nan"),
                "minimum": int(points.min()) if len(points) else 0,
                "maximum": int(points.max()) if len(points) else 0,
            }
        ]
    )
