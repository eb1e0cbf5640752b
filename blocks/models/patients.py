"""The patient and the episode of care (one complaint) that procedures belong to."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from blocks.models.base import (
    EnteredInError,
    EnteredInErrorQuerySet,
    code_field,
    in_vocabulary,
    not_negative,
)
from blocks.rules import vocab


class Patient(EnteredInError):
    mrn = models.CharField(
        "MRN",
        max_length=32,
        unique=True,
        help_text="Medical record number, unique in the clinic.",
        error_messages={"unique": "A patient with this MRN already exists."},
    )
    birth_date = models.DateField()
    sex = code_field(vocab.SEXES)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()
    objects = EnteredInErrorQuerySet.as_manager()

    class Meta(EnteredInError.Meta):
        ordering = ["mrn"]
        constraints = [
            *EnteredInError.Meta.constraints,
            in_vocabulary("sex", vocab.SEXES, "patient"),
            models.CheckConstraint(
                condition=~models.Q(mrn=""),
                name="patient_mrn_not_blank",
                violation_error_message="The MRN must not be blank.",
            ),
        ]

    def __str__(self) -> str:
        return self.mrn

    def clean(self) -> None:
        self.mrn = (self.mrn or "").strip()
        if self.birth_date and self.birth_date > timezone.localdate():
            raise ValidationError({"birth_date": "The birth date is in the future."})


class EpisodeQuerySet(EnteredInErrorQuerySet):
    def for_patient(self, patient):
        return self.filter(patient=patient)


class Episode(EnteredInError):
    """One patient, one complaint: region, side, and an axial or radicular pattern."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="episodes")
    region = code_field(vocab.REGIONS)
    side = code_field(vocab.SIDES)
    pain_pattern = code_field(vocab.PAIN_PATTERNS)
    surgery_considered = models.BooleanField(default=False)
    conservative_care_weeks = models.PositiveSmallIntegerField(null=True, blank=True)
    opened_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="episodes_created"
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()
    objects = EpisodeQuerySet.as_manager()

    class Meta(EnteredInError.Meta):
        ordering = ["-opened_at", "-id"]
        constraints = [
            *EnteredInError.Meta.constraints,
            in_vocabulary("region", vocab.REGIONS, "episode"),
            in_vocabulary("side", vocab.SIDES, "episode"),
            in_vocabulary("pain_pattern", vocab.PAIN_PATTERNS, "episode"),
            not_negative("conservative_care_weeks", "episode"),
        ]

    def __str__(self) -> str:
        return f"{self.patient_id}: {self.region} {self.side} {self.pain_pattern}"
