"""The clinic's words for the engine's codes, shown on the pages instead of the codes."""

import re

from blocks.rules import vocab

SPECIAL = {
    # Procedure kinds.
    vocab.TRANSFORAMINAL: "Transforaminal epidural (nerve root block)",
    vocab.INTERLAMINAR: "Interlaminar epidural",
    vocab.FACET_IA: "Facet intra-articular",
    vocab.MEDIAL_BRANCH: "Medial branch block",
    vocab.SI_JOINT: "Sacroiliac (SI) joint",
    vocab.DISCOGRAPHY: "Provocation discography",
    vocab.RFA: "Radiofrequency ablation (RFA)",
    # Next steps.
    "record_post_block_scores": "Record post-block scores",
    "repeat_block": "Repeat the block",
    "evaluate_other_source": "Evaluate another pain source",
    "physician_review": "Physician review",
    "confirmatory_block": "Confirmatory block",
    "therapeutic_facet_injection": "Therapeutic facet injection",
    "therapeutic_epidural_injection": "Therapeutic epidural injection",
    "therapeutic_si_injection": "Therapeutic SI joint injection",
    "surgical_evaluation": "Surgical evaluation",
    # Readings.
    "non_diagnostic": "Non-diagnostic",
    "ct": "CT",
    "none": "None",
    "anticoagulant_not_held": "Anticoagulant not held",
    "anesthetic_allergy": "Anaesthetic allergy",
    "skin_infection_at_site": "Skin infection at the puncture site",
    "particulate_steroid_cervical_transforaminal": "Particulate steroid, cervical transforaminal",
    "duration_inconsistent_with_agent": "Duration too short for the agent",
    "steroid_raises_blood_sugar": "Steroid may raise blood sugar",
    "steroid_in_diagnostic_block": "Steroid in a diagnostic block",
    "frequency_limit": "Frequency limit passed",
    "clinic_staff": "Clinic staff",
}


def label(code) -> str:
    """'medial_branch_block' -> 'Medial branch block'; unknown codes are tidied the same way."""
    if code is None:
        return ""
    code = str(code)
    return SPECIAL.get(code) or code.replace("_", " ").capitalize()


def choices(codes, *, blank: str | None = None) -> list[tuple[str, str]]:
    options = [(code, label(code)) for code in codes]
    return [("", blank), *options] if blank is not None else options


_CODES = sorted(
    {
        code
        for codes in (
            vocab.KINDS,
            vocab.ANESTHETICS,
            vocab.STEROIDS,
            vocab.CONTRAINDICATIONS,
            vocab.COMPLICATIONS,
            vocab.NEXT_STEP_CODES,
            vocab.WARNING_CODES,
            vocab.RESPONSES,
        )
        for code in codes
        if "_" in code
    },
    key=len,
    reverse=True,
)
_CODE_PATTERN = re.compile(r"'?\b(" + "|".join(map(re.escape, _CODES)) + r")\b'?")


def _in_sentence(words: str) -> str:
    return words if words[:2].isupper() else words[:1].lower() + words[1:]


def plain(message: str) -> str:
    """A service message with the codes in it replaced by their words."""
    return _CODE_PATTERN.sub(lambda match: _in_sentence(label(match.group(1))), str(message))
