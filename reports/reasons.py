"""Codes for the engine's non-diagnostic reasons, so reports can count them.

The engine (blocks.rules.interpretation.technique_problems) states each reason
as a sentence for the physician and gives no code. Reports need codes, and
must not decide technique themselves, so this module only *names* the
sentence the engine wrote. tests/reports/test_reasons.py runs the engine on
each case: if its wording changes, that test fails instead of the report
silently counting "other".
"""

NON_DIAGNOSTIC_CODES: dict[str, str] = {
    "no_image_guidance": "Done without image guidance (fluoroscopy or CT required).",
    "guidance_not_accepted": "Ultrasound guidance not accepted for this block under the profile.",
    "contrast_flow_not_confirmed": "Contrast used but its flow not confirmed before medication.",
    "sedation_moderate": "Moderate sedation, which invalidates under the profile.",
    "sedation_deep": "Deep sedation.",
    "sedation_general": "General anaesthesia.",
    "other": "A reason this version of the reports does not recognise.",
}

_PREFIXES = (
    ("The block was done without image guidance", "no_image_guidance"),
    ("Ultrasound guidance is not accepted", "guidance_not_accepted"),
    ("Contrast was used but its flow was not confirmed", "contrast_flow_not_confirmed"),
    ("Moderate sedation blunts", "sedation_moderate"),
    ("Deep sedation blunts", "sedation_deep"),
    ("General sedation blunts", "sedation_general"),
)


def non_diagnostic_code(reason: str) -> str:
    for prefix, code in _PREFIXES:
        if reason.startswith(prefix):
            return code
    return "other"


def non_diagnostic_codes(reasons) -> list[str]:
    return [non_diagnostic_code(reason) for reason in reasons]
