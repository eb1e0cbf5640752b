"""Safety and completeness on hand-built frames, with exact expected values."""

import numpy as np

from reports.tables import completeness, safety, volume
from tests.reports.frames import blocks, complications

TF = "transforaminal_epidural"


def safety_blocks():
    return blocks(
        {},
        {
            "kind": TF,
            "steroid": "dexamethasone",
            "steroid_dose_mg": 10.0,
            "overridden": True,
            "hard_stops": ["anticoagulant_not_held"],
            "patient_id": 7,
        },
        {
            "kind": TF,
            "steroid": "triamcinolone",
            "steroid_dose_mg": None,
            "overridden": True,
            "hard_stops": ["bleeding_disorder", "contrast_allergy"],
            "patient_id": 8,
        },
        {
            "kind": "sacroiliac_joint",
            "guidance": "none",
            "contrast_used": False,
            "contrast_flow_confirmed": False,
            "diary_count": 0,
        },
    )


def safety_events():
    return complications(
        (1, "vasovagal", "mild"),
        (2, "nerve_injury", "moderate"),
        (2, "facial_flushing", "mild"),
        (3, "infection", "severe"),
        (3, "infection", "mild"),
        (4, "bleeding", "moderate"),
    )


def test_complications_per_100_procedures_by_code_and_severity():
    table = safety.complications_by_code(safety_blocks(), safety_events())
    rows = table[["code", "severity", "events", "serious", "per_100_procedures"]].values.tolist()
    assert rows == [
        ["bleeding", "moderate", 1, False, 25.0],
        ["infection", "mild", 1, False, 25.0],
        ["infection", "severe", 1, True, 25.0],
        ["nerve_injury", "moderate", 1, True, 25.0],
        ["vasovagal", "mild", 1, False, 25.0],
        ["facial_flushing", "mild", 1, False, 25.0],
    ]


def test_complication_rate_per_kind():
    table = safety.complication_rate_by_kind(safety_blocks(), safety_events()).set_index("kind")
    assert table.loc[TF].tolist() == [2, 4, 2, 200.0]
    assert table.loc["medial_branch_block"].tolist() == [1, 1, 1, 100.0]
    assert table.loc["sacroiliac_joint"].tolist() == [1, 1, 1, 100.0]


def test_serious_events_are_listed_one_by_one_under_the_label_given():
    table = safety.serious_events(
        safety_blocks(), safety_events(), label=lambda rows: "P-" + rows["patient_id"].astype(str)
    )
    assert table[["patient", "code", "severity", "kind"]].values.tolist() == [
        ["P-8", "infection", "severe", TF],
        ["P-7", "nerve_injury", "moderate", TF],
    ]
    assert "notes" not in table.columns


def test_hard_stop_overrides_are_codes_and_counts():
    table = safety.hard_stop_overrides(safety_blocks()).set_index("code")
    assert table.loc["anticoagulant_not_held", "overrides"] == 1
    assert table.loc["bleeding_disorder", "overrides"] == 1
    assert table.loc["contrast_allergy", "overrides"] == 1
    assert table.loc["systemic_infection", "overrides"] == 0
    assert table.loc["contrast_allergy", "per_100_procedures"] == 25.0
    assert list(table.columns) == ["overrides", "per_100_procedures"]


def test_steroid_side_effects_per_100_procedures_given_that_steroid():
    table = safety.steroid_side_effects(safety_blocks(), safety_events())
    assert table.values.tolist() == [["dexamethasone", "facial_flushing", 1, 1, 100.0]]


def test_completeness_counts_each_gap_against_what_it_applies_to():
    table = completeness.completeness(safety_blocks()).set_index("measure")
    assert table.loc["diagnostic_blocks_without_diary"].tolist() == [1, 4, 25.0]
    assert table.loc["procedures_without_image_guidance"].tolist() == [1, 4, 25.0]
    assert table.loc["procedures_without_contrast"].tolist() == [1, 4, 25.0]
    assert table.loc["contrast_flow_not_confirmed"].tolist() == [0, 3, 0.0]
    assert table.loc["steroid_dose_missing"].tolist() == [1, 2, 50.0]


def test_diary_points_per_block():
    frame = blocks({"diary_count": 0}, {"diary_count": 4}, {"diary_count": 4}, {"diary_count": 14})
    table = completeness.diary_points_per_block(frame).set_index("diary_points")
    assert table.loc["0", "blocks"] == 1
    assert table.loc["4", "blocks"] == 2
    assert table.loc["13+", "blocks"] == 1
    assert table.loc["4", "percent"] == 50.0
    summary = completeness.diary_points_summary(frame).iloc[0]
    assert (summary["mean"], summary["median"], summary["maximum"]) == (5.5, 4.0, 14)


def test_volume_lists_every_month_between_the_first_and_the_last():
    frame = blocks(
        {"performed_at": "2025-01-05T10:00:00Z"},
        {"performed_at": "2025-03-05T10:00:00Z", "region": "cervical"},
        {"performed_at": "2025-03-06T10:00:00Z", "physician": "D-2"},
    )
    assert volume.volume_by_month(frame).values.tolist() == [
        ["2025-01", 1],
        ["2025-02", 0],
        ["2025-03", 2],
    ]
    regions = volume.volume_by_region(frame).set_index("region")
    assert regions.loc["lumbar"].tolist() == [2, 66.7]
    assert regions.loc["thoracic", "procedures"] == 0
    assert volume.volume_by_physician(frame).values.tolist() == [
        ["D-1", 2, 66.7],
        ["D-2", 1, 33.3],
    ]


def test_safety_tables_cope_with_no_complications():
    none = complications()
    assert safety.complications_by_code(safety_blocks(), none).empty
    assert safety.steroid_side_effects(safety_blocks(), none).empty
    rates = safety.complication_rate_by_kind(safety_blocks(), none)
    assert rates["events"].sum() == 0
    assert not np.isnan(rates["per_100_procedures"]).any()
