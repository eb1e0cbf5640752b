"""What each of the engine's non-diagnostic reason codes means, for the data dictionary.

The engine (blocks.rules.interpretation.technique_problems) gives each reason a code
beside its sentence; reports count the codes and never decide technique themselves.
"""

NON_DIAGNOSTIC_CODES: dict[str, str] = {
    "no_image_guidance": "Done without image guidance (fluoroscopy or CT required).",
    "guidance_not_accepted": "Ultrasound guidance not accepted for this block under the profile.",
    "contrast_flow_not_confirmed": "Contrast used but its flow not confirmed before medication.",
    "sedation_moderate": "Moderate sedation, which invalidates under the profile.",
    "sedation_deep": "Deep sedation.",
    "sedation_general": "General anaesthesia.",
}
