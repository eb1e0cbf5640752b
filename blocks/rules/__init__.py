"""The clinical engine: pure Python, no Django.

Read next to ../shared/CLINICAL_RULES.md. Public entry points:

- ``interpret_block(block, profile)``: relief, validity, response, duration,
  warnings and reasons of one procedure (section 2, discography of section 4).
- ``suggest_next_steps(blocks, profile)``: the pathway rules of section 4 over
  all procedures of one episode.
- ``followup`` and ``selection``: a treatment's follow-up outcome (relief, success, PGIC,
  duration of benefit) and the diagnostic selection that led to it (section 10).
- ``screen(contraindications, contrast_used=..., steroid=...)``: section 5.

Every rule is catalogued in ``catalogue`` (rule id, message, source, [P]/[S]/[L]);
``findings`` gives a reading's or a screening's codes their rule and source on read.
``vocab.is_diagnostic(kind, intent)`` is the one definition of a diagnostic procedure.
"""

from blocks.rules.interpretation import interpret_block
from blocks.rules.pathways import suggest_next_steps
from blocks.rules.profiles import PROFILES, Profile, UnknownProfile, get_profile
from blocks.rules.screening import screen
from blocks.rules.types import (
    Block,
    DiaryScore,
    DiscInjection,
    FollowUpPoint,
    Interpretation,
    Suggestion,
)

ENGINE_VERSION = "1.4.0"

__all__ = [
    "ENGINE_VERSION",
    "PROFILES",
    "Block",
    "DiaryScore",
    "DiscInjection",
    "FollowUpPoint",
    "Interpretation",
    "Profile",
    "Suggestion",
    "UnknownProfile",
    "get_profile",
    "interpret_block",
    "screen",
    "suggest_next_steps",
]
