"""Diagnostic yield, reasons, relief bands and the diary curve, on hand-built frames."""

import numpy as np
import pandas as pd

from reports.tables import diagnostic
from tests.reports.frames import blocks

MBB_RELIEFS = [
    ("positive", "valid", 80.0),
    ("positive", "valid", 90.0),
    ("positive", "valid", 100.0),
    ("partial", "valid", 60.0),
    ("negative", "valid", 10.0),
    ("negative", "valid", 40.0),
    ("indeterminate", "indeterminate", np.nan),
    ("non_diagnostic", "non_diagnostic", 95.0),
]


def yield_frame():
    rows = [
        {"response": r, "validity": v, "relief_percent": relief} for r, v, relief in MBB_RELIEFS
    ]
    rows.append({"kind": "sacroiliac_joint", "relief_percent": 80.0})
    rows.append({"kind": "transforaminal_epidural", "intent": "therapeutic", "diagnostic": False})
    return blocks(*rows)


def row(table, kind):
    return table.set_index("kind").loc[kind]


def test_it_counts_each_response_per_kind_with_its_rate():
    table = diagnostic.diagnostic_yield(yield_frame())
    mbb = row(table, "medial_branch_block")
    assert mbb["blocks"] == 8
    assert (mbb["positive"], mbb["partial"], mbb["negative"]) == (3, 1, 2)
    assert (mbb["indeterminate"], mbb["non_diagnostic"]) == (1, 1)
    assert mbb["positive_percent"] == 37.5
    assert mbb["partial_percent"] == 12.5
    assert mbb["negative_percent"] == 25.0
    assert mbb["indeterminate_percent"] == 12.5
    assert mbb["non_diagnostic_percent"] == 12.5


def test_relief_statistics_use_valid_blocks_only():
    mbb = row(diagnostic.diagnostic_yield(yield_frame()), "medial_branch_block")
    # Valid reliefs 10, 40, 60, 80, 90, 100: the non-diagnostic 95 % is left out.
    assert mbb["relief_blocks"] == 6
    assert mbb["relief_mean"] == 63.3
    assert mbb["relief_median"] == 70.0
    assert mbb["relief_q1"] == 45.0
    assert mbb["relief_q3"] == 87.5


def test_therapeutic_procedures_are_not_in_the_yield_and_all_sums_the_kinds():
    table = diagnostic.diagnostic_yield(yield_frame())
    assert row(table, "transforaminal_epidural")["blocks"] == 0
    assert np.isnan(row(table, "transforaminal_epidural")["positive_percent"])
    assert row(table, "sacroiliac_joint")["positive_percent"] == 100.0
    everything = row(table, "all")
    assert (everything["blocks"], everything["positive"]) == (9, 4)
    assert "radiofrequency_ablation" not in set(table["kind"])


def test_non_diagnostic_reasons_are_counted_by_code():
    frame = blocks(
        {"response": "non_diagnostic", "non_diagnostic_reasons": ["no_image_guidance"]},
        {
            "response": "non_diagnostic",
            "non_diagnostic_reasons": ["no_image_guidance", "sedation_deep"],
        },
        {"response": "non_diagnostic", "non_diagnostic_reasons": ["contrast_flow_not_confirmed"]},
        {"response": "positive"},
    )
    table = diagnostic.non_diagnostic_reasons(frame).set_index("code")
    assert table.loc["no_image_guidance", "blocks"] == 2
    assert table.loc["sedation_deep", "blocks"] == 1
    assert table.loc["contrast_flow_not_confirmed", "blocks"] == 1
    assert table.loc["guidance_not_accepted", "blocks"] == 0
    assert table.loc["no_image_guidance", "percent_of_non_diagnostic"] == 66.7


def test_positive_rate_is_per_month_and_kind():
    frame = blocks(
        {"performed_at": "2025-01-05T10:00:00Z"},
        {"performed_at": "2025-01-20T10:00:00Z", "response": "negative"},
        {"performed_at": "2025-02-03T10:00:00Z"},
    )
    table = diagnostic.positive_rate_by_month(frame)
    assert table[["month", "blocks", "positive", "positive_percent"]].values.tolist() == [
        ["2025-01", 2, 1, 50.0],
        ["2025-02", 1, 1, 100.0],
    ]


def test_relief_bands_hold_each_valid_block_once():
    frame = blocks(
        {"relief_percent": -20.0, "response": "negative"},
        {"relief_percent": 0.0, "response": "negative"},
        {"relief_percent": 79.9, "response": "partial"},
        {"relief_percent": 80.0},
        {"relief_percent": 100.0},
        {"relief_percent": 95.0, "validity": "non_diagnostic", "response": "non_diagnostic"},
    )
    table = diagnostic.relief_distribution(frame)
    counts = dict(zip(table["relief_band"], table["blocks"], strict=True))
    assert counts["below 0"] == 1
    assert counts["0-9"] == 1
    assert counts["70-79"] == 1
    assert counts["80-89"] == 1
    assert counts["90-100"] == 1
    assert table["blocks"].sum() == 5


def test_diary_curve_is_the_median_relief_at_each_mark():
    frame = blocks(
        {"pre_pain": 10.0},
        {"pre_pain": 8.0},
        {"pre_pain": 8.0, "anesthetic": "bupivacaine"},
        {"pre_pain": 8.0, "validity": "non_diagnostic", "response": "non_diagnostic"},
    )
    diary = pd.DataFrame(
        [
            (1, 30, 1),  # 90 %
            (2, 30, 2),  # 75 %
            (1, 60, 5),  # 50 %
            (2, 45, 4),  # 50 %, grouped at the 60-minute mark
            (3, 240, 2),  # 75 %
            (4, 30, 0),  # not valid: left out
        ],
        columns=["procedure_id", "minutes_after", "score"],
    )
    table = diagnostic.diary_curve(frame, diary)
    assert table[["anesthetic", "minutes", "points", "relief_median"]].values.tolist() == [
        ["bupivacaine", 240, 1, 75.0],
        ["lidocaine", 30, 2, 82.5],
        ["lidocaine", 60, 2, 50.0],
    ]


def test_every_table_copes_with_no_blocks():
    empty = blocks({}).iloc[0:0]
    assert diagnostic.diagnostic_yield(empty)["blocks"].sum() == 0
    assert diagnostic.non_diagnostic_reasons(empty)["blocks"].sum() == 0
    assert diagnostic.positive_rate_by_month(empty).empty
    assert diagnostic.relief_distribution(empty)["blocks"].sum() == 0
    diary = pd.DataFrame(columns=["procedure_id", "minutes_after", "score"])
    assert diagnostic.diary_curve(empty, diary).empty


def test_the_curve_from_counted_points_equals_the_one_from_every_point(monkeypatch):
    # The summary reads the quartiles off counted points (reports.data._diary_points); they
    # must be pandas' own quantiles of the points one by one, unrounded too.
    monkeypatch.setattr(diagnostic, "rounded", lambda series: series.astype("float64"))
    rng = np.random.default_rng(7)
    for trial in range(300):
        n = int(rng.integers(1, 30))
        counted = pd.DataFrame(
            {
                "minutes": rng.choice([15, 30, 60, 120], n),
                "score": rng.integers(0, 11, n),
                "anesthetic": pd.Series(rng.choice(["lidocaine", "bupivacaine"], n), dtype=object),
                "pre_pain": rng.integers(1, 11, n).astype(float),
                "points": rng.integers(1, 40 if trial % 2 else 3, n),
            }
        ).drop_duplicates(["minutes", "score", "anesthetic", "pre_pain"])
        repeats = counted["points"].to_numpy()
        points = pd.DataFrame(
            {
                name: np.repeat(counted[name].to_numpy(), repeats)
                for name in ("anesthetic", "pre_pain", "score")
            }
        ).assign(minutes=np.repeat(counted["minutes"].astype("str").to_numpy(), repeats))
        expected = diagnostic._curve(points)

        result = diagnostic.diary_curve(pd.DataFrame(), None, counted)

        pd.testing.assert_frame_equal(result, expected, check_exact=True)
