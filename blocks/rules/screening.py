"""Before the needle: contraindication screening (CLINICAL_RULES.md section 5)."""

from __future__ import annotations

from collections.abc import Iterable

from blocks.rules import vocab
from blocks.rules.catalogue import HARD_STOP_MESSAGES
from blocks.rules.types import Screening

# Hard-stop messages by code; their rules and sources are in blocks.rules.catalogue.
MESSAGES = HARD_STOP_MESSAGES


def screen(contraindications: Iterable[str], *, contrast_used: bool, steroid: str) -> Screening:
    """Split screened codes into hard stops and warnings for one procedure."""
    codes = list(dict.fromkeys(contraindications))
    hard_stops = [code for code in codes if code in vocab.HARD_STOPS]
    if "contrast_allergy" in codes and contrast_used:
        hard_stops.append("contrast_allergy")
    if "steroid_allergy" in codes and steroid != "none":
        hard_stops.append("steroid_allergy")
    warnings = [code for code in codes if code in vocab.SCREENING_WARNINGS]
    if "uncontrolled_diabetes" in codes and steroid != "none":
        warnings.append("steroid_raises_blood_sugar")
    return Screening(hard_stops=tuple(hard_stops), warnings=tuple(warnings))
