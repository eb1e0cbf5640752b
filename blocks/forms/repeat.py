""" "Repeat this block": a confirmatory block's form, filled from the block it repeats.

What is carried over is what a second block of the same target shares with the first: kind,
side, levels, volume and guidance (intent stays diagnostic). The agent is the suggestion's
(a confirmatory medial branch block uses the other duration class, CLINICAL_RULES 4); without
a suggestion naming one, the agent is left for the user. The date is never carried: it
starts empty, with the suggestion's earliest date shown beside it. Each carried value is
marked "carried over" on the page; saving the form is the user's confirmation of them.
"""

from dataclasses import dataclass, field
from datetime import date

from blocks.formats import clinic_format
from blocks.rules import vocab
from blocks.rules.types import Suggestion

CARRIED = ("kind", "intent", "side", "levels", "anesthetic_volume_ml", "guidance")
REPEAT_CODES = ("confirmatory_block", "repeat_block")


@dataclass
class Repeat:
    source: object  # the Procedure repeated
    initial: dict = field(default_factory=dict)
    carried: dict = field(default_factory=dict)  # field name -> the words beside it
    earliest_date: date | None = None
    suggestion: Suggestion | None = None

    @property
    def source_words(self) -> str:
        return f"the block of {clinic_format(self.source.performed_at, with_time=False)}"


def the_suggestion(source, suggestions) -> Suggestion | None:
    """The next step that repeats this block: a confirmatory or repeat block based on it."""
    for code in REPEAT_CODES:
        for suggestion in suggestions:
            if suggestion.code == code and source.pk in suggestion.based_on:
                return suggestion
    return None


def repeat_of(source, suggestions) -> Repeat:
    suggestion = the_suggestion(source, suggestions)
    initial = {
        "kind": source.kind,
        "intent": "diagnostic",
        "side": source.side,
        "levels": list(source.levels or ()),
        "guidance": source.guidance,
    }
    if source.anesthetic_volume_ml is not None:
        initial["anesthetic_volume_ml"] = f"{source.anesthetic_volume_ml.normalize():f}"
    repeat = Repeat(source=source, suggestion=suggestion)
    words = f"carried over from {repeat.source_words}"
    repeat.carried = {name: words for name in initial}
    if suggestion is not None and suggestion.anesthetic in vocab.ANESTHETICS:
        initial["anesthetic"] = suggestion.anesthetic
        repeat.carried["anesthetic"] = "carried over from the suggestion (the other agent)"
    repeat.initial = initial
    repeat.earliest_date = suggestion.earliest_date if suggestion is not None else None
    return repeat
