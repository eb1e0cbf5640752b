"""Decisions: what physicians did with the engine's suggestions.

Decline reasons are free text; reports never show them. Each is sorted into
a theme by a few key words, and only the theme and its count are reported.
"""

from __future__ import annotations

import pandas as pd

from blocks.rules import vocab
from reports.tables.common import percent

# First match wins, in this order.
DECLINE_THEMES: dict[str, tuple[str, ...]] = {
    "cost_or_coverage": ("insur", "cost", "cover", "payer", "authori", "fund"),
    "contraindication": ("contraindic", "anticoag", "allerg", "infect", "bleed", "pregnan"),
    "patient_preference": ("patient", "prefer", "wish", "refus", "declin", "want"),
    "clinical_judgement": ("improv", "resolv", "not indicated", "judg", "symptom", "better"),
    "timing": ("later", "wait", "schedul", "defer", "postpon", "travel"),
}
OTHER_THEME = "other"


def decline_theme(reason) -> str:
    text = str(reason or "").lower()
    for theme, words in DECLINE_THEMES.items():
        if any(word in text for word in words):
            return theme
    return OTHER_THEME


def decisions_by_code(
    suggestions: pd.DataFrame, decisions: pd.DataFrame, blocks: pd.DataFrame, profile: str
) -> pd.DataFrame:
    """Per suggestion code: suggestions made, accepted, declined, and days to decide."""
    made = suggestions[suggestions["profile"] == profile]
    made = made.drop_duplicates(["episode_id", "code", "side", "levels"])
    decided = _with_suggestion_time(decisions, made, blocks)
    made_per_code = made["code"].value_counts()
    rows = []
    for code in vocab.NEXT_STEP_CODES:
        ours = decided[decided["code"] == code]
        accepted = int((ours["decision"] == "accepted").sum())
        declined = int((ours["decision"] == "declined").sum())
        count = int(made_per_code.get(code, 0))
        rows.append(
            {
                "code": code,
                "suggestions": count,
                "accepted": accepted,
                "declined": declined,
                "undecided": max(count - accepted - declined, 0),
                "accepted_percent": percent(accepted, accepted + declined),
                "median_days_to_decision": round(float(ours["days_to_decision"].median()), 1),
            }
        )
    return pd.DataFrame(rows)


def _with_suggestion_time(decisions, made, blocks) -> pd.DataFrame:
    """Each decision with the days since the latest block its suggestion rests on."""
    if decisions.empty:
        return decisions.assign(days_to_decision=pd.Series(dtype="float64"))
    performed = blocks.set_index("procedure_id")["performed_at"]
    suggested_at = made.assign(
        suggested_at=[
            max(
                (performed[int(i)] for i in ids.split() if int(i) in performed.index),
                default=pd.NaT,
            )
            for ids in made["based_on"]
        ]
    )
    keys = ["episode_id", "code"]
    merged = decisions.merge(
        suggested_at[[*keys, "suggested_at"]].drop_duplicates(keys), on=keys, how="left"
    )
    delta = pd.to_datetime(merged["decided_at"], utc=True) - pd.to_datetime(
        merged["suggested_at"], utc=True
    )
    return merged.assign(days_to_decision=delta.dt.total_seconds() / 86400)


def decline_themes(decisions: pd.DataFrame) -> pd.DataFrame:
    """Declined suggestions per theme of the reason (the reason itself is never shown)."""
    declined = decisions.loc[decisions["decision"] == "declined", "reason"]
    themes = declined.map(decline_theme).value_counts()
    order = [*DECLINE_THEMES, OTHER_THEME]
    frame = pd.DataFrame({"theme": order, "declines": [int(themes.get(t, 0)) for t in order]})
    frame["percent"] = percent(frame["declines"], frame["declines"].sum())
    return frame.astype({"theme": "str"})
