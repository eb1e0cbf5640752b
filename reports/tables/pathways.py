"""Pathways: medial branch blocks to RFA, comparative blocks, negative blocks.

Responses, targets and suggestions are the engine's (stored readings and
stored next steps); here they are only followed through each episode.
"""

from __future__ import annotations

import pandas as pd

from blocks.rules import vocab
from reports.store.readings import COMPARATIVE_RULES
from reports.tables.common import diagnostic, equal, is_diagnostic, percent

CONVERSION_STEPS = {
    "first_positive_block": "Episodes with a positive diagnostic medial branch block (not saline).",
    "confirmatory_block": "... and a later medial branch block on the same target.",
    "rfa_suggested": "... and a radiofrequency ablation suggested by the engine for the episode.",
    "rfa_done": "... and an RFA of the same target performed after the first positive block.",
}
REPEAT_RFA_RULE = "rfa.repeat"


def mbb_rfa_conversion(blocks: pd.DataFrame, suggestions: pd.DataFrame, profile: str):
    """Episodes at each step from a first positive medial branch block to an RFA done."""
    columns = ["procedure_id", "episode_id", "performed_at", "kind", "response", "anesthetic"]
    # One selection of the rows (diagnostic medial branch blocks), not two.
    mbb = blocks.loc[
        is_diagnostic(blocks) & equal(blocks["kind"], vocab.MEDIAL_BRANCH), [*columns, "target"]
    ]
    first = (
        mbb[equal(mbb["response"], "positive") & ~equal(mbb["anesthetic"], vocab.SALINE)]
        .sort_values(["performed_at", "procedure_id"])
        .drop_duplicates("episode_id")[["episode_id", "procedure_id", "performed_at", "target"]]
    )
    later_mbb = mbb.merge(first, on=["episode_id", "target"], suffixes=("", "_first"))
    confirmed = later_mbb.loc[
        later_mbb["performed_at"] > later_mbb["performed_at_first"], "episode_id"
    ].unique()
    suggested = suggestions[
        equal(suggestions["profile"], profile)
        & equal(suggestions["code"], "radiofrequency_ablation")
        & ~equal(suggestions["rule"], REPEAT_RFA_RULE)
    ]
    suggested = suggested.assign(target=suggestion_targets(suggested, "facet")).merge(
        first, on=["episode_id", "target"]
    )
    rfa_suggested = suggested["episode_id"].unique()
    rfa = blocks.loc[
        equal(blocks["kind"], vocab.RFA), ["episode_id", "performed_at", "target"]
    ].merge(first, on=["episode_id", "target"], suffixes=("", "_first"))
    rfa_done = rfa.loc[rfa["performed_at"] > rfa["performed_at_first"], "episode_id"].unique()
    episodes = set(first["episode_id"])
    reached = {
        "first_positive_block": len(episodes),
        "confirmatory_block": len(episodes & set(confirmed)),
        "rfa_suggested": len(episodes & set(rfa_suggested)),
        "rfa_done": len(episodes & set(rfa_done)),
    }
    frame = pd.DataFrame(
        {
            "step": list(CONVERSION_STEPS),
            "meaning": list(CONVERSION_STEPS.values()),
            "episodes": list(reached.values()),
        }
    )
    frame["percent_of_first"] = percent(frame["episodes"], len(episodes))
    return frame.astype({"step": "str", "meaning": "str", "episodes": "int64"})


def suggestion_targets(suggestions: pd.DataFrame, family: str) -> pd.Series:
    """The engine's target key (family|side|levels) of each suggestion."""
    return family + "|" + suggestions["side"] + "|" + suggestions["levels"].str.replace(";", ",")


def comparative_concordance(suggestions: pd.DataFrame, profile: str) -> pd.DataFrame:
    """Targets whose comparative blocks the engine read as concordant, discordant or undecided."""
    rows = suggestions[
        equal(suggestions["profile"], profile) & suggestions["rule"].isin(list(COMPARATIVE_RULES))
    ]
    verdicts = (
        rows.assign(verdict=rows["rule"].map(COMPARATIVE_RULES))
        .drop_duplicates(["episode_id", "side", "levels", "verdict"])["verdict"]
        .value_counts()
    )
    concordant = int(verdicts.get("concordant", 0))
    discordant = int(verdicts.get("discordant", 0))
    return pd.DataFrame(
        [
            {
                "profile": profile,
                "targets_compared": int(verdicts.sum()),
                "concordant": concordant,
                "discordant": discordant,
                "undecided": int(verdicts.get("undecided", 0)),
                "concordance_percent": percent(concordant, concordant + discordant),
            }
        ]
    )


def negative_blocks_outcome(blocks: pd.DataFrame) -> pd.DataFrame:
    """Valid negative blocks, and how many were followed by a source found elsewhere.

    "Found elsewhere": a later positive block (not saline) in the same episode on
    a different target.
    """
    columns = ["procedure_id", "episode_id", "kind", "performed_at", "target", "response"]
    rows = diagnostic(blocks, [*columns, "validity", "anesthetic"])
    valid = rows[equal(rows["validity"], "valid")]
    negatives = valid.loc[
        equal(valid["response"], "negative"),
        ["procedure_id", "episode_id", "kind", "performed_at", "target"],
    ]
    positives = valid.loc[
        equal(valid["response"], "positive") & ~equal(valid["anesthetic"], vocab.SALINE),
        ["episode_id", "performed_at", "target"],
    ]
    pairs = negatives.merge(positives, on="episode_id", suffixes=("", "_positive"))
    found = pairs.loc[
        (pairs["performed_at_positive"] > pairs["performed_at"])
        & (pairs["target_positive"].to_numpy() != pairs["target"].to_numpy()),
        "procedure_id",
    ].unique()
    negatives = negatives.assign(found=negatives["procedure_id"].isin(found))
    table = []
    present = set(negatives["kind"].unique())  # once, not once per kind
    for kind in [*(k for k in vocab.KINDS if k in present), "all"]:
        group = negatives if kind == "all" else negatives[equal(negatives["kind"], kind)]
        table.append(
            {
                "kind": kind,
                "negative_blocks": len(group),
                "other_source_found": int(group["found"].sum()),
                "percent": percent(int(group["found"].sum()), len(group)),
            }
        )
    return pd.DataFrame(table)
