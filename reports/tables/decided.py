"""Decisions: what physicians did with the engine's suggestions.

Decline reasons are free text; reports never show them. Each is sorted into
a theme by a few key words, and only the theme and its count are reported.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from blocks.rules import vocab
from reports.frames import parse_json
from reports.tables.common import equal, percent

# First match wins, in this order.
DECLINE_THEMES: dict[str, tuple[str, ...]] = {
    "cost_or_coverage": ("insur", "cost", "cover", "payer", "authori", "fund"),
    "contraindication": ("contraindic", "anticoag", "allerg", "infect", "bleed", "pregnan"),
    "patient_preference": ("patient", "prefer", "wish", "refus", "declin", "want"),
    "clinical_judgement": ("improv", "resolv", "not indicated", "judg", "symptom", "better"),
    "timing": ("later", "wait", "schedul", "defer", "postpon", "travel"),
}
OTHER_THEME = "other"
# What became of a suggestion: its decision, or (without one) what its status says.
FATES = ("accepted", "declined", "undecided", "settled_without_decision")
UNDECIDED_FATE = {"open": "undecided", "settled": "settled_without_decision"}


def decline_theme(reason) -> str:
    text = str(reason or "").lower()
    for theme, words in DECLINE_THEMES.items():
        if any(word in text for word in words):
            return theme
    return OTHER_THEME


def decisions_by_code(
    suggestions: pd.DataFrame, decisions: pd.DataFrame, blocks: pd.DataFrame, profile: str
) -> pd.DataFrame:
    """Per suggestion code, what became of each suggestion made, so the row adds up:
    suggestions = accepted + declined + undecided + settled_without_decision.

    A suggestion is accepted or declined when a decision carries its fingerprint;
    undecided when it is still open with none; settled without a decision when a later
    treatment answered it before anyone decided (an RFA done after the RFA suggestion).
    A decision whose suggestion a later block replaced is not one of today's suggestions:
    it is counted apart, in decisions_on_replaced_suggestions. The percent and the median
    days read every decision of the code.
    """
    made = suggestions.loc[
        equal(suggestions["profile"], profile), ["episode_id", "fingerprint", "status", "code"]
    ]
    # Plain lists and one pass of counting: 50,000 suggestions at 100,000 blocks, where a
    # crosstab and a comparison of the whole code column per code took 0.1 s.
    decision_keys = list(
        zip(decisions["episode_id"].tolist(), decisions["fingerprint"].tolist(), strict=True)
    )
    verdict = dict(zip(decision_keys, decisions["decision"].tolist(), strict=True))
    # The suggestions' keys only matter when there are decisions to match them with.
    keys = (
        list(zip(made["episode_id"].tolist(), made["fingerprint"].tolist(), strict=True))
        if decision_keys
        else []
    )
    fate = pd.Series(
        [verdict.get(key, "") for key in keys] if verdict else [""] * len(made),
        index=made.index,
        dtype="object",
    ).where(lambda f: f != "", made["status"].map(UNDECIDED_FATE))
    codes = made["code"].tolist()
    # (code, fate) -> suggestions; a fate that is missing (NaN) is never looked up.
    per_code = Counter(zip(codes, fate.tolist(), strict=True))
    made_per_code = Counter(codes)
    current = set(keys)
    replaced = np.array([key not in current for key in decision_keys], dtype=bool)
    days = days_to_decision(decisions, blocks)
    accepted = decisions["decision"] == "accepted"
    declined = decisions["decision"] == "declined"
    rows = []
    for code in vocab.NEXT_STEP_CODES:
        ours = decisions["code"] == code
        taken_accepted = int((ours & accepted).sum())
        taken_declined = int((ours & declined).sum())
        median = days[ours].median()
        rows.append(
            {
                "code": code,
                "suggestions": made_per_code[code],
                **{column: per_code[(code, column)] for column in FATES},
                "decisions_on_replaced_suggestions": int((ours & replaced).sum()),
                "accepted_percent": percent(taken_accepted, taken_accepted + taken_declined),
                "median_days_to_decision": round(float(median), 1),
            }
        )
    return pd.DataFrame(rows)


def days_to_decision(decisions: pd.DataFrame, blocks: pd.DataFrame) -> pd.Series:
    """Days from the latest procedure a decided suggestion rested on to the decision.

    NaN when none of those procedures is among the report's blocks.
    """
    if decisions.empty:
        return pd.Series(dtype="float64", index=decisions.index)
    performed = dict(zip(blocks["procedure_id"], blocks["performed_at"], strict=True))
    suggested_at = [
        max((performed[i] for i in ids if i in performed), default=pd.NaT)
        for ids in parse_json(decisions["based_on"])
    ]
    delta = decisions["decided_at"] - pd.to_datetime(
        pd.Series(suggested_at, index=decisions.index), utc=True
    )
    return delta.dt.total_seconds() / 86400


def decline_themes(decisions: pd.DataFrame) -> pd.DataFrame:
    """Declined suggestions per theme of the reason (the reason itself is never shown)."""
    declined = decisions.loc[decisions["decision"] == "declined", "reason"]
    themes = declined.map(decline_theme).value_counts()
    order = [*DECLINE_THEMES, OTHER_THEME]
    frame = pd.DataFrame({"theme": order, "declines": [int(themes.get(t, 0)) for t in order]})
    frame["percent"] = percent(frame["declines"], frame["declines"].sum())
    return frame.astype({"theme": "str"})
