"""One patient's record as a FHIR R4 Bundle (API_CONTRACT.md v1.1 "Sharing the record").

Built with `fhir.resources.R4B`: fhir.resources 8 ships R5 by default and R4B as a
sub-package, and has no plain R4 any more. R4B changed nothing in Patient, Procedure,
Observation or Bundle that this bundle uses, so an R4 server reads it as R4 (README).
Every resource is validated by its pydantic model as it is built: a malformed bundle fails
here, in the tracker, not in the EHR.

One function per resource kind, each taking what the bundle knows (`Record`) and returning
its entries; `SECTIONS` lists them in bundle order (a new kind is one more function).

Entered in error: records marked entered in error are left out, with everything under them
(a procedure of a marked episode, a score of a marked procedure). The EHR never had them,
so there is nothing for it to retract; a patient marked entered in error is not shared at
all (the view answers 404).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from fhir.resources.R4B.bundle import Bundle, BundleEntry
from fhir.resources.R4B.fhirresourcemodel import FHIRResourceModel
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient as FHIRPatient
from fhir.resources.R4B.procedure import Procedure as FHIRProcedure

from blocks import selectors
from blocks.adapters import standing_follow_ups, standing_scores
from blocks.forms.labels import label
from blocks.models import Patient, Procedure
from blocks.rules import Interpretation, Profile, vocab
from blocks.rules import followup as followup_rules
from blocks.sharing import codes

FHIR_CONTENT_TYPE = "application/fhir+json"
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, codes.LOCAL_BASE)
SURVEY = {
    "system": "http://terminology.hl7.org/CodeSystem/observation-category",
    "code": "survey",
    "display": "Survey",
}


@dataclass(frozen=True)
class Record:
    """What one patient's bundle is built from, loaded in a fixed number of queries."""

    patient: Patient
    procedures: list[Procedure]
    readings: dict[int, Interpretation]
    profile: Profile


def load_record(patient: Patient, *, profile: Profile) -> Record:
    procedures = list(
        selectors.procedure_list()
        .filter(episode__patient=patient, episode__entered_in_error=False)
        .order_by("performed_at", "id")
    )
    readings = selectors.procedure_interpretations(procedures, profile=profile)
    return Record(patient=patient, procedures=procedures, readings=readings, profile=profile)


def resource_id(kind: str, pk: int | str) -> str:
    """A stable id: the same record gets the same id in every bundle, from any server copy."""
    return str(uuid.uuid5(_NAMESPACE, f"{kind}:{pk}"))


def reference(kind: str, pk: int | str) -> dict:
    return {"reference": f"urn:uuid:{resource_id(kind, pk)}"}


def instant(moment: datetime) -> str:
    """FHIR dateTime in UTC, to the second."""
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _entry(kind: str, pk: int | str, resource: FHIRResourceModel) -> BundleEntry:
    return BundleEntry(fullUrl=f"urn:uuid:{resource_id(kind, pk)}", resource=resource)


# --- one function per resource kind ---------------------------------------------------------


def patient_entries(record: Record) -> list[BundleEntry]:
    patient = record.patient
    resource = FHIRPatient.model_validate(
        {
            "id": resource_id("patient", patient.pk),
            "identifier": [
                {"use": "usual", "system": codes.MRN_SYSTEM, "value": patient.mrn},
            ],
            "gender": patient.sex,  # female | male | other | unknown: FHIR's own codes
            "birthDate": patient.birth_date.isoformat(),
        }
    )
    return [_entry("patient", patient.pk, resource)]


def procedure_code(procedure: Procedure) -> dict:
    """The CPT code where one fits (section 8), and the tracker's own kind code always."""
    codings = []
    if cpt := codes.cpt_code(procedure.kind, procedure.episode.region):
        codings.append({"system": codes.CPT_SYSTEM, "code": cpt[0]})
    codings.append(
        {
            "system": codes.PROCEDURE_KIND_SYSTEM,
            "code": procedure.kind,
            "display": label(procedure.kind),
        }
    )
    return {"coding": codings, "text": label(procedure.kind)}


def body_site_text(procedure: Procedure) -> str:
    """'L4-L5, L5-S1, right': the levels and the side, as text (no SNOMED site is claimed)."""
    return f"{', '.join(procedure.levels)}, {label(procedure.side).lower()}"


def procedure_entries(record: Record) -> list[BundleEntry]:
    entries = []
    for procedure in record.procedures:
        resource = FHIRProcedure.model_validate(
            {
                "id": resource_id("procedure", procedure.pk),
                "status": "completed",
                "code": procedure_code(procedure),
                "subject": reference("patient", record.patient.pk),
                "performedDateTime": instant(procedure.performed_at),
                "bodySite": [{"text": body_site_text(procedure)}],
                "note": [{"text": f"{label(procedure.intent)} {label(procedure.kind).lower()}"}],
            }
        )
        entries.append(_entry("procedure", procedure.pk, resource))
    return entries


def _pain_observation(
    procedure: Procedure, *, key: str, minutes: int, score: int, text: str, amended: bool = False
):
    return Observation.model_validate(
        {
            "id": resource_id("pain", key),
            "status": "amended" if amended else "final",
            "category": [{"coding": [SURVEY]}],
            "code": {
                "coding": [
                    {
                        "system": codes.LOINC_SYSTEM,
                        "code": codes.PAIN_SCORE_LOINC,
                        "display": codes.PAIN_SCORE_DISPLAY,
                    }
                ],
                "text": text,
            },
            "subject": reference("patient", procedure.episode.patient_id),
            "partOf": [reference("procedure", procedure.pk)],
            "effectiveDateTime": instant(procedure.performed_at + timedelta(minutes=minutes)),
            "valueInteger": score,
        }
    )


def pain_score_entries(record: Record) -> list[BundleEntry]:
    """The pain just before the block (at its time), then each standing diary score."""
    entries = []
    for procedure in record.procedures:
        if procedure.pre_pain is not None:
            key = f"{procedure.pk}:pre"
            resource = _pain_observation(
                procedure,
                key=key,
                minutes=0,
                score=procedure.pre_pain,
                text="Index pain just before the block",
            )
            entries.append(_entry("pain", key, resource))
        for score in standing_scores(procedure):
            resource = _pain_observation(
                procedure,
                key=str(score.pk),
                minutes=score.minutes_after,
                score=score.score,
                text=f"Index pain {score.minutes_after} min after the block",
                amended=score.version > 1,
            )
            entries.append(_entry("pain", score.pk, resource))
    return entries


def _relief_observation(
    procedure: Procedure,
    *,
    key: str,
    code: str,
    display: str,
    percent: float,
    minutes: int,
    extra: dict,
):
    return Observation.model_validate(
        {
            "id": resource_id("relief", key),
            "status": "final",
            "category": [{"coding": [SURVEY]}],
            "code": {
                "coding": [{"system": codes.RELIEF_SYSTEM, "code": code, "display": display}],
                "text": display,
            },
            "subject": reference("patient", procedure.episode.patient_id),
            "partOf": [reference("procedure", procedure.pk)],
            "effectiveDateTime": instant(procedure.performed_at + timedelta(minutes=minutes)),
            "valueQuantity": {
                "value": percent,
                "unit": "%",
                "system": codes.UCUM_SYSTEM,
                "code": "%",
            },
            **extra,
        }
    )


def relief_entries(record: Record) -> list[BundleEntry]:
    """The engine's relief reading of each block, then the relief patients reported."""
    entries = []
    for procedure in record.procedures:
        reading = record.readings[procedure.pk]
        if procedure.kind != vocab.DISCOGRAPHY and reading.relief_percent is not None:
            key = f"{procedure.pk}:{record.profile.name}"
            resource = _relief_observation(
                procedure,
                key=key,
                code=codes.BLOCK_RELIEF,
                display=codes.BLOCK_RELIEF_DISPLAY,
                percent=round(reading.relief_percent, 1),
                minutes=reading.peak_minutes or 0,
                extra={
                    "interpretation": [{"text": label(reading.response)}],
                    "method": {"text": f"Guideline profile {record.profile.name}"},
                    "derivedFrom": [
                        *(
                            [reference("pain", f"{procedure.pk}:pre")]
                            if procedure.pre_pain is not None
                            else []
                        ),
                        *(reference("pain", s.pk) for s in standing_scores(procedure)),
                    ],
                },
            )
            entries.append(_entry("relief", key, resource))
        for score in standing_scores(procedure):
            if score.patient_reported_relief_percent is None:
                continue
            key = f"{score.pk}:reported"
            resource = _relief_observation(
                procedure,
                key=key,
                code=codes.REPORTED_RELIEF,
                display=codes.REPORTED_RELIEF_DISPLAY,
                percent=score.patient_reported_relief_percent,
                minutes=score.minutes_after,
                extra={},
            )
            entries.append(_entry("relief", key, resource))
    return entries


def _follow_up_observation(procedure: Procedure, follow_up, *, key: str, code: dict, value: dict):
    return Observation.model_validate(
        {
            "id": resource_id("follow-up", key),
            "status": "amended" if follow_up.version > 1 else "final",
            "category": [{"coding": [SURVEY]}],
            "code": code,
            "subject": reference("patient", procedure.episode.patient_id),
            "partOf": [reference("procedure", procedure.pk)],
            "effectiveDateTime": instant(
                procedure.performed_at + timedelta(days=follow_up.days_after)
            ),
            **value,
        }
    )


def _local(code: str, display: str) -> dict:
    return {
        "coding": [{"system": codes.FOLLOW_UP_SYSTEM, "code": code, "display": display}],
        "text": display,
    }


def follow_up_entries(record: Record) -> list[BundleEntry]:
    """Each standing follow-up of a treatment (section 10): the index pain on its day, the
    relief against the pre-treatment pain (when that was 3 or more), the PGIC and the change in
    pain medication when recorded."""
    entries = []
    for procedure in record.procedures:
        for follow_up in standing_follow_ups(procedure):
            days = follow_up.days_after
            pain = {
                "coding": [
                    {
                        "system": codes.LOINC_SYSTEM,
                        "code": codes.PAIN_SCORE_LOINC,
                        "display": codes.PAIN_SCORE_DISPLAY,
                    }
                ],
                "text": f"Index pain {days} days after the treatment",
            }
            found = [("pain", pain, {"valueInteger": follow_up.pain})]
            relief = followup_rules.relief_percent(procedure.pre_pain, follow_up.pain)
            if relief is not None:
                quantity = {"value": relief, "unit": "%", "system": codes.UCUM_SYSTEM, "code": "%"}
                found.append(
                    (
                        "relief",
                        _local(codes.TREATMENT_RELIEF, codes.TREATMENT_RELIEF_DISPLAY),
                        {"valueQuantity": quantity},
                    )
                )
            if follow_up.pgic is not None:
                found.append(
                    (
                        "pgic",
                        _local(codes.PGIC, codes.PGIC_DISPLAY),
                        {"valueInteger": follow_up.pgic},
                    )
                )
            if follow_up.medication_change:
                found.append(
                    (
                        "medication",
                        _local(codes.MEDICATION_CHANGE, codes.MEDICATION_CHANGE_DISPLAY),
                        {"valueString": follow_up.medication_change},
                    )
                )
            for part, code, value in found:
                key = f"{follow_up.pk}:{part}"
                resource = _follow_up_observation(
                    procedure, follow_up, key=key, code=code, value=value
                )
                entries.append(_entry("follow-up", key, resource))
    return entries


Section = Callable[[Record], Iterable[BundleEntry]]
SECTIONS: list[Section] = [
    patient_entries,
    procedure_entries,
    pain_score_entries,
    relief_entries,
    follow_up_entries,
]


def patient_bundle(record: Record, *, now: datetime) -> Bundle:
    entries = [entry for section in SECTIONS for entry in section(record)]
    return Bundle(
        id=resource_id("bundle", f"{record.patient.pk}:{instant(now)}"),
        type="collection",
        timestamp=instant(now),
        entry=entries,
    )


def bundle_json(bundle: Bundle) -> bytes:
    return bundle.model_dump_json(exclude_none=True).encode()
