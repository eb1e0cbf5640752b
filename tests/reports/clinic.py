"""A small clinic with known identifiers, and helpers to store its readings.

Every identifier here is distinctive, so a test can search an export's bytes
for it: the MRN, the birth date, the override reason and the complication note.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from blocks.models import Patient
from reports.store.readings import store_for_patients
from tests.factories import (
    ComplicationFactory,
    EpisodeFactory,
    PainScoreFactory,
    PatientFactory,
    ProcedureFactory,
    ScreeningFactory,
)

MRN = "ZZ-MRN-771234"
BIRTH_DATE = dt.date(1931, 7, 19)
OVERRIDE_REASON = "Xylophone override reason 5512"
COMPLICATION_NOTE = "Quokka note 9931 about the bleed"
GIVEN_NAME = "Zebulon"
FAMILY_NAME = "Quartermaine"
T0 = dt.datetime(2025, 3, 10, 9, 30, tzinfo=dt.UTC)


def diary(procedure, points):
    for minutes, score in points:
        PainScoreFactory(procedure=procedure, minutes_after=minutes, score=score)


def block(episode, physician, *, days=0, points=((30, 1), (60, 1), (120, 2)), **fields):
    procedure = ProcedureFactory(
        episode=episode, performed_by=physician, performed_at=T0 + dt.timedelta(days=days), **fields
    )
    diary(procedure, points)
    return procedure


def small_clinic(physician) -> dict:
    """Two patients: a medial branch pathway to RFA, and a serious complication with an override.

    Under cms-2021: three positive and one negative diagnostic blocks, one RFA.
    """
    patient = PatientFactory(
        mrn=MRN,
        birth_date=BIRTH_DATE,
        sex="female",
        given_name=GIVEN_NAME,
        family_name=FAMILY_NAME,
    )
    episode = EpisodeFactory(patient=patient, created_by=physician, side="right")
    first = block(episode, physician, days=0)
    second = block(
        episode,
        physician,
        days=20,
        anesthetic="bupivacaine",
        points=((30, 1), (120, 1), (240, 1), (360, 2), (600, 6)),
    )
    rfa = block(
        episode,
        physician,
        days=60,
        kind="radiofrequency_ablation",
        intent="therapeutic",
        anesthetic="none",
        anesthetic_volume_ml=None,
        points=((1440, 3),),
    )
    other = PatientFactory(mrn="ZZ-OTHER-1", birth_date=dt.date(1980, 1, 1), sex="male")
    root_episode = EpisodeFactory(
        patient=other, created_by=physician, region="lumbar", side="left", pain_pattern="radicular"
    )
    negative = block(
        root_episode,
        physician,
        days=5,
        side="left",
        points=((30, 6), (60, 6), (120, 7)),
    )
    positive_root = ProcedureFactory(
        episode=root_episode,
        performed_by=physician,
        performed_at=T0 + dt.timedelta(days=30),
        kind="transforaminal_epidural",
        side="left",
        levels=["L5"],
        anesthetic_volume_ml=Decimal("1.5"),
        screening=None,
    )
    ScreeningFactory(
        procedure=positive_root,
        contraindications=["anticoagulant_not_held"],
        override_reason=OVERRIDE_REASON,
        overridden_by=physician,
        overridden_at=T0,
    )
    diary(positive_root, ((30, 1), (60, 1)))
    ComplicationFactory(
        procedure=positive_root,
        code="nerve_injury",
        severity="moderate",
        onset_days=2,
        notes=COMPLICATION_NOTE,
        recorded_by=physician,
    )
    store_for_patients(Patient.objects.values_list("pk", flat=True))
    return {
        "patients": (patient, other),
        "procedures": (first, second, rfa, negative, positive_root),
        "episodes": (episode, root_episode),
    }
