"""Opening a patient's record and an episode of care."""

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from blocks.models import Episode, Patient
from blocks.models.checks import clean_record
from blocks.services.readings import refresh_new_episode
from blocks.services.records import ensure_standing


@transaction.atomic
def patient_create(
    *,
    mrn: str,
    birth_date: date,
    sex: str,
    created_by,
    given_name: str = "",
    family_name: str = "",
    phone: str = "",
    email: str = "",
) -> Patient:
    patient = Patient(
        mrn=mrn,
        birth_date=birth_date,
        sex=sex,
        given_name=given_name,
        family_name=family_name,
        phone=phone,
        email=email,
    )
    clean_record(patient)
    patient._history_user = created_by
    patient.save()
    return patient


@transaction.atomic
def episode_create(
    *,
    patient: Patient,
    region: str,
    side: str,
    pain_pattern: str,
    surgery_considered: bool = False,
    conservative_care_weeks: int | None = None,
    opened_at: datetime | None = None,
    created_by,
) -> Episode:
    ensure_standing(patient)
    episode = Episode(
        patient=patient,
        region=region,
        side=side,
        pain_pattern=pain_pattern,
        surgery_considered=surgery_considered,
        conservative_care_weeks=conservative_care_weeks,
        opened_at=opened_at or timezone.now(),
        created_by=created_by,
    )
    clean_record(episode, held=["patient", "created_by"])
    episode._history_user = created_by
    episode.save()
    refresh_new_episode(episode)
    return episode
