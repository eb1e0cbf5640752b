"""The patient and the episode of care (one complaint) that procedures belong to."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.models import HistoricalRecords

from blocks.models.base import (
    EnteredInError,
    EnteredInErrorQuerySet,
    code_field,
    implausible_birth_date,
    implausible_moment,
    in_vocabulary,
    not_negative,
)
from blocks.rules import vocab

MRN_TAKEN = "A patient with this MRN already exists."
# ASCII only: no look-alike letters, right-to-left overrides or zero-width characters, and
# a first character that no spreadsheet reads as the start of a formula.
mrn_format = RegexValidator(
    r"\A[A-Za-z0-9][A-Za-z0-9._/-]{0,31}\Z",
    "An MRN is 1 to 32 characters: ASCII letters, digits and - . _ /, "
    "starting with a letter or a digit.",
    code="invalid_mrn",
)


class PatientQuerySet(EnteredInErrorQuerySet):
    def with_mrn(self, mrn: str):
        """Patients whose MRN is this one, whatever the case (demo-005 finds DEMO-005)."""
        return self.alias(mrn_lower=Lower("mrn")).filter(mrn_lower=mrn.lower())


class Patient(EnteredInError):
    mrn = models.CharField(
        "MRN",
        max_length=32,
        unique=True,
        validators=[mrn_format],
        help_text="Medical record number, unique in the clinic without regard to case: "
        "1 to 32 ASCII letters, digits and - . _ /, starting with a letter or a digit.",
        error_messages={"unique": MRN_TAKEN},
    )
    birth_date = models.DateField(help_text="Not before 1900-01-01 and not in the future.")
    sex = code_field(vocab.SEXES)
    # Identified (API_CONTRACT v1.1): shown to staff and physicians so that a list of MRNs
    # reads as people; never part of a de-identified export (reports/, REDCap).
    given_name = models.CharField("Given name", max_length=100, blank=True)
    family_name = models.CharField("Family name", max_length=100, blank=True)
    # Where the follow-up invitations go (identified: staff and physicians see them, no
    # de-identified export carries them).
    phone = models.CharField(
        max_length=32, blank=True, help_text="For follow-up invitations by text message."
    )
    email = models.EmailField(blank=True, help_text="For follow-up invitations by e-mail.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()
    objects = PatientQuerySet.as_manager()

    class Meta(EnteredInError.Meta):
        ordering = ["mrn"]
        indexes = [
            # The patient list's "Recent patients" page and its count, from the index alone.
            models.Index(
                fields=["-created_at", "-id"],
                condition=models.Q(entered_in_error=False),
                name="patient_standing_recent",
            ),
            # The few patients entered in error: what the worklist's counts leave out,
            # found without reading every patient (reports.store.worklist).
            models.Index(
                fields=["id"], condition=models.Q(entered_in_error=True), name="patient_in_error"
            ),
        ]
        constraints = [
            *EnteredInError.Meta.constraints,
            in_vocabulary("sex", vocab.SEXES, "patient"),
            models.CheckConstraint(
                condition=~models.Q(mrn=""),
                name="patient_mrn_not_blank",
                violation_error_message="The MRN must not be blank.",
            ),
            models.UniqueConstraint(
                Lower("mrn"),
                name="patient_mrn_unique_ignoring_case",
                violation_error_message=MRN_TAKEN,
            ),
        ]

    def __str__(self) -> str:
        return self.mrn

    @property
    def name(self) -> str:
        """The patient's name as the clinic says it ("Ada Lovelace"), or "" when not recorded."""
        return " ".join(part for part in (self.given_name, self.family_name) if part)

    def clean(self) -> None:
        errors = {}
        if problem := implausible_birth_date(self.birth_date):
            errors["birth_date"] = problem
        if self.mrn and Patient.objects.with_mrn(self.mrn).exclude(pk=self.pk).exists():
            # Named here, on the field; the constraint behind it is the backstop for races.
            errors["mrn"] = MRN_TAKEN
        if errors:
            raise ValidationError(errors)


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
    opened_at = models.DateTimeField(
        default=timezone.now,
        help_text="Not before 1990-01-01 and not more than 24 hours in the future.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="episodes_created"
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()
    objects = EpisodeQuerySet.as_manager()

    class Meta(EnteredInError.Meta):
        ordering = ["-opened_at", "-id"]
        indexes = [
            # The few episodes entered in error (see patient_in_error).
            models.Index(
                fields=["id"], condition=models.Q(entered_in_error=True), name="episode_in_error"
            ),
        ]
        constraints = [
            *EnteredInError.Meta.constraints,
            in_vocabulary("region", vocab.REGIONS, "episode"),
            in_vocabulary("side", vocab.SIDES, "episode"),
            in_vocabulary("pain_pattern", vocab.PAIN_PATTERNS, "episode"),
            not_negative("conservative_care_weeks", "episode"),
        ]

    def __str__(self) -> str:
        return f"{self.patient_id}: {self.region} {self.side} {self.pain_pattern}"

    def clean(self) -> None:
        if problem := implausible_moment(self.opened_at, "The episode's opening time"):
            raise ValidationError({"opened_at": problem})
