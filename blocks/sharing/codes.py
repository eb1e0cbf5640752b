"""Codes for what leaves the tracker (CLINICAL_RULES.md section 8).

CPT codes are marked [S] in the specification: they come from secondary sources and must be
checked against the AMA's CPT code set before anyone treats them as authoritative. Only the
code and a short paraphrase are kept here: CPT descriptors are copyrighted.
"""

from blocks.rules import vocab

CPT_SYSTEM = "http://www.ama-assn.org/go/cpt"
LOINC_SYSTEM = "http://loinc.org"
UCUM_SYSTEM = "http://unitsofmeasure.org"
PAIN_SCORE_LOINC = "72514-3"
PAIN_SCORE_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"

# The tracker's own code systems. No standard code exists for percent relief (section 8), so
# the tracker names its own; the URLs are identifiers that never change, whether or not a
# page is ever published at them (FHIR allows that for a local system).
LOCAL_BASE = "https://spinal-block-tracker.example.org/fhir"
RELIEF_SYSTEM = f"{LOCAL_BASE}/CodeSystem/relief"
BLOCK_RELIEF = "block-relief-percent"
BLOCK_RELIEF_DISPLAY = "Relief of the index pain after a diagnostic block, read by the engine"
REPORTED_RELIEF = "patient-reported-relief-percent"
REPORTED_RELIEF_DISPLAY = "Relief of the index pain as the patient reports it"
PROCEDURE_KIND_SYSTEM = f"{LOCAL_BASE}/CodeSystem/procedure-kind"
# Follow-up after a treatment (CLINICAL_RULES section 10): the index pain is LOINC 72514-3 as
# for the diary; the relief, the PGIC (1-7) and the medication change are the tracker's own.
FOLLOW_UP_SYSTEM = f"{LOCAL_BASE}/CodeSystem/follow-up"
TREATMENT_RELIEF = "treatment-relief-percent"
TREATMENT_RELIEF_DISPLAY = (
    "Relief of the index pain after a treatment, against its own pre-treatment pain"
)
PGIC = "pgic"
PGIC_DISPLAY = "Patient Global Impression of Change (1 very much worse - 7 very much improved)"
MEDICATION_CHANGE = "pain-medication-change"
MEDICATION_CHANGE_DISPLAY = "Change in pain medication since the treatment (less, same, more)"
MRN_SYSTEM = f"{LOCAL_BASE}/NamingSystem/mrn"

CERVICOTHORACIC = frozenset({"cervical", "thoracic"})

# (kind, cervical/thoracic?) -> (first-level CPT code, paraphrase). Add-on codes for further
# levels (64491/64492, 64494/64495, 64480, 64484, 64634, 64636) are billing detail: the FHIR
# Procedure names the procedure once, with its levels as body-site text.
_CPT = {
    (vocab.FACET_IA, True): ("64490", "Facet joint injection, cervical/thoracic, first level"),
    (vocab.FACET_IA, False): ("64493", "Facet joint injection, lumbar/sacral, first level"),
    (vocab.MEDIAL_BRANCH, True): (
        "64490",
        "Facet joint nerve (medial branch) injection, cervical/thoracic, first level",
    ),
    (vocab.MEDIAL_BRANCH, False): (
        "64493",
        "Facet joint nerve (medial branch) injection, lumbar/sacral, first level",
    ),
    (vocab.RFA, True): ("64633", "Facet joint nerve radiofrequency ablation, cervical/thoracic"),
    (vocab.RFA, False): ("64635", "Facet joint nerve radiofrequency ablation, lumbar/sacral"),
    (vocab.TRANSFORAMINAL, True): (
        "64479",
        "Transforaminal epidural injection, cervical/thoracic, single level",
    ),
    (vocab.TRANSFORAMINAL, False): (
        "64483",
        "Transforaminal epidural injection, lumbar/sacral, single level",
    ),
    (vocab.INTERLAMINAR, True): (
        "62321",
        "Interlaminar epidural injection with imaging, cervical/thoracic",
    ),
    (vocab.INTERLAMINAR, False): (
        "62323",
        "Interlaminar epidural injection with imaging, lumbar/sacral",
    ),
    (vocab.SI_JOINT, False): ("27096", "Sacroiliac joint injection with imaging"),
    (vocab.DISCOGRAPHY, True): ("62291", "Discography injection, cervical/thoracic"),
    (vocab.DISCOGRAPHY, False): ("62290", "Discography injection, lumbar"),
}


def cpt_code(kind: str, region: str) -> tuple[str, str] | None:
    """(CPT code, paraphrase) of a procedure kind in an episode region, or None when none fits.

    An SI joint injection is 27096 wherever it is recorded; the others split at the spine's
    cervical/thoracic and lumbar/sacral families.
    """
    upper = region in CERVICOTHORACIC and kind != vocab.SI_JOINT
    return _CPT.get((kind, upper))
