"""Data dictionary entries of the row-level exports (one row per block, one per diary score)."""

from blocks.models.measured import MEASURED
from blocks.rules import PROFILES, vocab
from blocks.rules.catalogue import NON_DIAGNOSTIC_MESSAGES

PSEUDONYM = "Stable pseudonym (keyed HMAC-SHA256); not reversible without the clinic's key."
YES_NO = "true, false"


def codes(values) -> str:
    """A vocabulary as the dictionary's "allowed values" text."""
    return ", ".join(values)


BLOCK_COLUMNS: dict[str, tuple[str, str, str]] = {
    "block_ref": ("The block, as a pseudonym.", "", PSEUDONYM),
    "patient": ("The patient, as a pseudonym.", "", PSEUDONYM),
    "episode_ref": ("The episode (one complaint), as a pseudonym.", "", PSEUDONYM),
    "procedure_id": ("Procedure id (identified export only).", "", "id"),
    "patient_id": ("Patient id (identified export only).", "", "id"),
    "mrn": ("Medical record number (identified export only).", "", "text"),
    "birth_date": ("Birth date (identified export only).", "YYYY-MM-DD", ""),
    "episode_id": ("Episode id (identified export only).", "", "id"),
    "month": ("Month performed, clinic time zone.", "YYYY-MM", ""),
    "age_years": ("Age at the procedure in whole years; over 89 as 90+.", "years", "0-89, 90+"),
    "sex": ("Sex recorded for the patient.", "", codes(vocab.SEXES)),
    "region": ("Spinal region of the episode.", "", codes(vocab.REGIONS)),
    "pain_pattern": ("Pain pattern of the episode.", "", codes(vocab.PAIN_PATTERNS)),
    "surgery_considered": ("Surgery was being considered.", "", YES_NO),
    # What was done and measured, from the one declaration of the procedure's fields.
    **{field.name: (field.meaning, field.unit, field.allowed) for field in MEASURED},
    "physician": ("Who performed it, as a pseudonym (username when identified).", "", PSEUDONYM),
    "profile": ("Guideline profile of the reading.", "", codes(PROFILES)),
    "engine_version": ("Version of the clinical engine that read the block.", "", "x.y.z"),
    "response": ("Response read by the engine.", "", codes(vocab.RESPONSES)),
    "validity": ("Validity read by the engine.", "", codes(vocab.VALIDITIES)),
    "diagnostic": ("The engine counts it as a diagnostic block.", "", YES_NO),
    "relief_percent": ("Percent relief read by the engine, one decimal.", "percent", "<= 100"),
    "duration_minutes": ("Minutes of relief at or above the positive threshold.", "minutes", ""),
    "duration_censored": ("Relief still present at the last diary point.", "", YES_NO),
    "counts_towards_treatment": ("May count towards RFA or a therapeutic injection.", "", YES_NO),
    "warnings": ("Warning codes, ';'-separated.", "", codes(vocab.WARNING_CODES)),
    "non_diagnostic_reasons": (
        "Non-diagnostic reason codes, ';'-separated.",
        "",
        codes(NON_DIAGNOSTIC_MESSAGES),
    ),
    "hard_stops_overridden": (
        "Hard stops a physician overrode, ';'-separated (the reason text is not exported).",
        "",
        codes([*vocab.HARD_STOPS, *vocab.CONDITIONAL_HARD_STOPS]),
    ),
    "diary_points": ("Diary scores recorded.", "count", ">= 0"),
    "complications": ("Complication codes, ';'-separated.", "", codes(vocab.COMPLICATIONS)),
    "override_reason": ("Override reason (identified export only).", "", "free text"),
}
DIARY_COLUMNS: dict[str, tuple[str, str, str]] = {
    "block_ref": BLOCK_COLUMNS["block_ref"],
    "procedure_id": BLOCK_COLUMNS["procedure_id"],
    "minutes_after": ("Minutes after the block.", "minutes", ">= 0"),
    "score": ("Pain score (NRS, LOINC 72514-3).", "0-10", "0-10"),
    "patient_reported_relief_percent": (
        "Relief the patient reported (local code; not derived from the scores).",
        "percent",
        "0-100, empty",
    ),
}
