"""Pathways and decisions on hand-built frames: conversion, concordance, negative blocks."""

import numpy as np
import pandas as pd

from reports.tables import decided, pathways
from tests.reports.frames import blocks, decisions, suggestions

RIGHT, LEFT = "facet|right|L4-L5", "facet|left|L4-L5"


def pathway_blocks():
    return blocks(
        # Episode 1: two positive medial branch blocks, then an RFA of the same target.
        {"episode_id": 1, "performed_at": "2025-01-01T09:00:00Z"},
        {"episode_id": 1, "performed_at": "2025-01-21T09:00:00Z", "anesthetic": "bupivacaine"},
        {
            "episode_id": 1,
            "performed_at": "2025-03-01T09:00:00Z",
            "kind": "radiofrequency_ablation",
            "intent": "therapeutic",
            "diagnostic": False,
        },
        # Episode 2: one positive block, nothing after it.
        {"episode_id": 2, "performed_at": "2025-02-01T09:00:00Z"},
        # Episode 3: negative facet block, then a positive nerve root block: source found.
        {"episode_id": 3, "response": "negative", "target": LEFT, "relief_percent": 20.0},
        {
            "episode_id": 3,
            "performed_at": "2025-04-01T09:00:00Z",
            "kind": "transforaminal_epidural",
            "target": "nerve_root|left|L5",
        },
        # Episode 4: a negative block and nothing else.
        {"episode_id": 4, "response": "negative", "target": LEFT, "relief_percent": 10.0},
        # Episode 5: negative, then relief after saline on another target: not a source.
        {"episode_id": 5, "response": "negative", "target": LEFT, "relief_percent": 10.0},
        {
            "episode_id": 5,
            "performed_at": "2025-05-01T09:00:00Z",
            "anesthetic": "saline",
            "target": "facet|right|L4-L5",
        },
    )


def test_conversion_counts_episodes_at_each_step():
    made = suggestions(
        {"episode_id": 1, "code": "radiofrequency_ablation", "rule": "mbb.rfa.dual-block"},
        {"episode_id": 2, "code": "confirmatory_block", "rule": "mbb.confirmatory-block"},
        # Another target of episode 2: not this pathway's RFA.
        {"episode_id": 2, "code": "radiofrequency_ablation", "rule": "x", "side": "left"},
    )
    table = pathways.mbb_rfa_conversion(pathway_blocks(), made, "cms-2021")
    assert table[["step", "episodes", "percent_of_first"]].values.tolist() == [
        ["first_positive_block", 2, 100.0],
        ["confirmatory_block", 1, 50.0],
        ["rfa_suggested", 1, 50.0],
        ["rfa_done", 1, 50.0],
    ]


def test_a_repeat_rfa_suggestion_is_not_a_conversion():
    made = suggestions({"episode_id": 2, "code": "radiofrequency_ablation", "rule": "rfa.repeat"})
    table = pathways.mbb_rfa_conversion(pathway_blocks(), made, "cms-2021").set_index("step")
    assert table.loc["rfa_suggested", "episodes"] == 0


def test_concordance_rate_counts_each_target_once():
    made = suggestions(
        {
            "episode_id": 1,
            "code": "radiofrequency_ablation",
            "rule": "mbb.rfa.comparative-concordant",
        },
        {
            "episode_id": 1,
            "code": "radiofrequency_ablation",
            "rule": "mbb.rfa.comparative-concordant",
        },
        {"episode_id": 2, "code": "physician_review", "rule": "mbb.comparative.discordant"},
        {
            "episode_id": 6,
            "code": "radiofrequency_ablation",
            "rule": "mbb.rfa.comparative-concordant",
        },
        {"episode_id": 7, "code": "physician_review", "rule": "mbb.comparative.undecided"},
        {"episode_id": 8, "code": "radiofrequency_ablation", "rule": "mbb.rfa.dual-block"},
    )
    made["profile"] = "sis-controlled"
    row = pathways.comparative_concordance(made, "sis-controlled").iloc[0]
    assert row["targets_compared"] == 4
    assert (row["concordant"], row["discordant"], row["undecided"]) == (2, 1, 1)
    assert row["concordance_percent"] == 66.7


def test_negative_blocks_followed_by_a_positive_elsewhere():
    table = pathways.negative_blocks_outcome(pathway_blocks()).set_index("kind")
    assert table.loc["medial_branch_block", "negative_blocks"] == 3
    assert table.loc["medial_branch_block", "other_source_found"] == 1
    assert table.loc["medial_branch_block", "percent"] == 33.3
    assert table.loc["all", "negative_blocks"] == 3


def test_decisions_by_code_and_days_to_decide():
    made = suggestions(
        {"episode_id": 1, "code": "radiofrequency_ablation", "rule": "r", "status": "settled"},
        {"episode_id": 2, "code": "confirmatory_block", "rule": "r"},
        {"episode_id": 3, "code": "evaluate_other_source", "rule": "r"},
        {"episode_id": 4, "code": "evaluate_other_source", "rule": "r"},
    )
    # Block 2 was performed on 21 January; the RFA was accepted ten days later.
    taken = decisions(
        (1, "radiofrequency_ablation", "accepted", "", (1, 2), "2025-01-31T09:00:00Z"),
        (2, "confirmatory_block", "declined", "Patient prefers to wait", (4,), "2025-02-03T09:00Z"),
        (3, "evaluate_other_source", "declined", "Zebra", (5,), "2025-01-02T09:00:00Z"),
    )
    table = decided.decisions_by_code(made, taken, pathway_blocks(), "cms-2021")
    table = table.set_index("code")
    rfa = table.loc["radiofrequency_ablation"]
    assert (rfa["suggestions"], rfa["accepted"], rfa["declined"], rfa["undecided"]) == (1, 1, 0, 0)
    assert rfa["accepted_percent"] == 100.0
    assert rfa["median_days_to_decision"] == 10.0
    assert table.loc["confirmatory_block", "median_days_to_decision"] == 2.0
    other = table.loc["evaluate_other_source"]
    assert (other["suggestions"], other["declined"], other["undecided"]) == (2, 1, 1)
    assert table.loc["confirmatory_block", "accepted_percent"] == 0.0
    assert table.loc["surgical_evaluation", "suggestions"] == 0
    themes = decided.decline_themes(taken).set_index("theme")["declines"]
    assert themes["patient_preference"] == 1
    assert themes["other"] == 1
    assert themes.sum() == 2


def test_without_any_decision_the_tables_are_empty_not_broken():
    from reports.decisions import empty

    made = suggestions({"episode_id": 1, "code": "repeat_block", "rule": "r", "based_on": "1"})
    table = decided.decisions_by_code(made, empty(), pathway_blocks(), "cms-2021")
    row = table.set_index("code").loc["repeat_block"]
    assert (row["suggestions"], row["accepted"], row["declined"], row["undecided"]) == (1, 0, 0, 1)
    assert np.isnan(row["median_days_to_decision"])
    assert decided.decline_themes(empty())["declines"].sum() == 0


def test_decline_themes_never_carry_the_reason_text():
    decisions = pd.DataFrame(
        {"decision": ["declined"], "reason": ["Insurance refused: Mrs Smith"], "code": ["x"]}
    )
    table = decided.decline_themes(decisions)
    assert "Smith" not in table.to_csv()
    assert table.set_index("theme").loc["patient_preference", "declines"] == 0
    assert table.set_index("theme").loc["cost_or_coverage", "declines"] == 1


def test_each_decisions_row_adds_up_to_its_suggestions():
    """4 RFA suggestions: 1 accepted, 0 declined, 2 undecided and 1 settled by the RFA done
    before anyone decided; a decision on advice a later block replaced is counted apart."""
    rfa = "radiofrequency_ablation"
    made = suggestions(
        {"episode_id": 1, "code": rfa, "rule": "r", "status": "settled"},
        {"episode_id": 2, "code": rfa, "rule": "r", "status": "settled"},
        {"episode_id": 3, "code": rfa, "rule": "r"},
        {"episode_id": 4, "code": rfa, "rule": "r"},
    )
    taken = decisions(
        (1, rfa, "accepted", "", (1, 2), "2025-01-31T09:00:00Z"),
        (5, rfa, "declined", "Insurance refused", (9,), "2025-02-03T09:00:00Z"),
    )
    table = decided.decisions_by_code(made, taken, pathway_blocks(), "cms-2021")
    row = table.set_index("code").loc[rfa]
    parts = ["accepted", "declined", "undecided", "settled_without_decision"]
    assert row["suggestions"] == 4
    assert row[parts].tolist() == [1, 0, 2, 1]
    assert row["decisions_on_replaced_suggestions"] == 1
    assert row["accepted_percent"] == 50.0
    assert (table["suggestions"] == table[parts].sum(axis=1)).all()
