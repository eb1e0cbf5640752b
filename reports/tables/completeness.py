"""Data completeness: diaries, and technique fields left unrecorded."""

from __future__ import annotations

import pandas as pd

from blocks.rules import vocab
from reports.tables.common import equal, is_diagnostic, percent

MAX_POINTS_LISTED = 12


def _readable(blocks: pd.DataFrame) -> pd.Series:
    """Diagnostic blocks read from a diary (discography has none), as a mask."""
    return is_diagnostic(blocks) & ~equal(blocks["kind"], vocab.DISCOGRAPHY)


def completeness(blocks: pd.DataFrame) -> pd.DataFrame:
    """Each gap in the record: how many blocks have it, out of how many it applies to."""
    readable = _readable(blocks)
    anesthetic = ~equal(blocks["anesthetic"], "none")
    steroid = ~equal(blocks["steroid"], "none")
    contrast = blocks["contrast_used"]
    measures = [
        ("diagnostic_blocks_without_diary", readable & (blocks["diary_count"] == 0), readable),
        ("diagnostic_blocks_without_pre_pain", readable & blocks["pre_pain"].isna(), readable),
        ("procedures_without_image_guidance", equal(blocks["guidance"], "none"), None),
        ("procedures_without_contrast", ~contrast, None),
        ("contrast_flow_not_confirmed", contrast & ~blocks["contrast_flow_confirmed"], contrast),
        (
            "anesthetic_volume_missing",
            anesthetic & blocks["anesthetic_volume_ml"].isna(),
            anesthetic,
        ),
        ("steroid_dose_missing", steroid & blocks["steroid_dose_mg"].isna(), steroid),
    ]
    frame = pd.DataFrame(
        [
            (name, int(gap.sum()), len(blocks) if of is None else int(of.sum()))
            for name, gap, of in measures
        ],
        columns=["measure", "blocks", "of_blocks"],
    )
    frame["percent"] = percent(frame["blocks"], frame["of_blocks"])
    return frame.astype({"measure": "str"})


def diary_points_per_block(blocks: pd.DataFrame) -> pd.DataFrame:
    """Diagnostic blocks by number of diary points (0 to 12, then "13+")."""
    points = blocks.loc[_readable(blocks), "diary_count"]
    # Counted as numbers, then each number labelled once (not a label made per block).
    counted = points.clip(upper=MAX_POINTS_LISTED + 1).value_counts()
    found = {
        f"{MAX_POINTS_LISTED + 1}+" if n > MAX_POINTS_LISTED else str(n): count
        for n, count in counted.items()
    }
    order = [str(n) for n in range(MAX_POINTS_LISTED + 1)] + [f"{MAX_POINTS_LISTED + 1}+"]
    frame = pd.DataFrame({"diary_points": order, "blocks": [int(found.get(o, 0)) for o in order]})
    frame["percent"] = percent(frame["blocks"], len(points))
    return frame.astype({"diary_points": "str"})


def diary_points_summary(blocks: pd.DataFrame) -> pd.DataFrame:
    points = blocks.loc[_readable(blocks), "diary_count"]
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
