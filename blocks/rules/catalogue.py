"""Rule ids, their sources and the plain-language wording shown to clinicians.

Every decision the engine makes names one of these rule ids, so that a
physician can trace a suggestion to the line of CLINICAL_RULES.md behind it.
Tags: [P] primary source, [S] secondary summary, [L] local policy.
"""

SEED = "Patient handout on diagnostic spinal injections (seed) [P]"
MEDICARE_FACET = (
    "Medicare LCD Facet Joint Interventions for Pain Management, effective 25 Apr 2021 "
    "(L38773, L34892, L38801/L38803) [P]; second block at least 2 weeks later [S]"
)
ASRA_FACET = "Cohen et al., Reg Anesth Pain Med 2020; Hurley et al. 2021/22 [P]"
COMPARATIVE = "Lord, Barnsley, Bogduk 1995; Barnsley et al. 1993: comparative blocks [P]"
ASRA_TECHNIQUE = "ASRA multisociety guidelines 2020/2021; Medicare LCDs: image guidance [P]"
SI_SOURCE = "SIS appropriate-use criteria 2017; Medicare SI joint LCDs 2023 [S]"
DISCOGRAPHY = "SIS/IASP provocation discography criteria [S]; seed handout [P]"
LOCAL = "Local policy of this project [L], configurable in the guideline profile"
FDA_2014 = "FDA drug safety communication on epidural steroids, 2014 [P]"
MEDICARE_FREQUENCY = "Medicare facet, epidural and SI joint LCDs: frequency limits [S]"
REPEAT_RFA = {
    "cms-2021": "Medicare facet LCDs 2021: repeat RFA after at least 50 % relief for 6 months [S]",
    "asra-2020": "Cohen et al. 2020: repeat RFA after more than 30 % relief for 3 months [P]",
    "sis-controlled": "Medicare facet LCDs 2021: repeat RFA after at least 50 % relief "
    "for 6 months [S]",
}

RFA_SOURCE_BY_PROFILE = {
    "cms-2021": MEDICARE_FACET,
    "asra-2020": ASRA_FACET,
    "sis-controlled": COMPARATIVE,
}

WARNING_MESSAGES = {
    "increased_pain": "Pain after the block was higher than before it.",
    "no_contrast": "No contrast was used, so the spread of the injectate was not confirmed "
    "(acceptable with a contrast allergy).",
    "high_volume": "The injected volume was high enough to spread beyond the target, which "
    "makes the block less specific.",
    "steroid_in_diagnostic_block": "A steroid was given in a diagnostic block; its effect "
    "lasts weeks and blurs the reading.",
    "moderate_sedation": "Moderate sedation was used, which can blur the patient's report "
    "of relief.",
    "particulate_steroid_cervical_transforaminal": "A particulate steroid was used in a "
    "cervical transforaminal injection; dexamethasone is preferred (FDA 2014).",
    "duration_inconsistent_with_agent": "Relief did not last as long as the anaesthetic is "
    "expected to act, so this block does not count towards treatment.",
    "surgery_not_considered": "Discography was done although surgery is not being considered.",
    "uncontrolled_hypertension": "Screened with uncontrolled high blood pressure.",
    "uncontrolled_diabetes": "Screened with uncontrolled diabetes.",
    "pregnancy": "Screened as pregnant.",
    "steroid_raises_blood_sugar": "A steroid was given to a patient with uncontrolled "
    "diabetes: blood sugar may rise.",
    "frequency_limit": "A Medicare frequency limit is passed.",
}
