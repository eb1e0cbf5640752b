"""The one rule for hard stops (CLINICAL_RULES.md section 5), as every write path applies it.

A hard stop stands unless a physician records why the procedure went ahead; the services of
a new procedure and of an edit both ask here, so the wording and the rule are the same.
"""

from collections.abc import Sequence

from blocks.policy import is_physician
from blocks.rules import screen
from blocks.rules.catalogue import RULE_OF_CODE
from blocks.rules.screening import MESSAGES

Errors = dict[str, list[str]]


def hard_stops_of(contraindications: Sequence[str], *, contrast_used: bool, steroid: str):
    """The hard stops among the contraindications, for the procedure as performed."""
    return screen(contraindications, contrast_used=contrast_used, steroid=steroid).hard_stops


def hard_stop_errors(hard_stops: Sequence[str], *, user, override_reason: str) -> Errors:
    """Nothing when there is no hard stop or a physician gives a reason; else why not."""
    physician = is_physician(user)
    if not hard_stops or (physician and override_reason):
        return {}
    errors = {
        "contraindications": [
            f"{hard_stop_sentence(code, with_code=True)} "
            f"A physician must record an override reason. Rule {_rule_id(code)}."
            for code in hard_stops
        ]
    }
    if override_reason and not physician:
        errors["override_reason"] = ["Only a physician may override a hard stop."]
    return errors


def hard_stop_sentence(code: str, *, with_code: bool = False) -> str:
    """ "Hard stop: <why>", the words every refusal of a hard stop begins with."""
    why = MESSAGES.get(code, code)
    return f"Hard stop: {code} — {why}" if with_code else f"Hard stop: {why}"


def _rule_id(code: str) -> str:
    rule = RULE_OF_CODE.get(("hard_stop", code))
    return rule.id if rule else "screening"
