"""What is recorded around one procedure: diary scores, discs, screening, complications."""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from blocks.models.base import (
    EnteredInError,
    EnteredInErrorQuerySet,
    between,
    code_field,
    implausible_moment,
    in_vocabulary,
    not_negative,
)
from blocks.models.procedures import Procedure
from blocks.rules import diary, vocab
from blocks.rules.screening import screen
from blocks.rules.types import Screening as ScreeningResult

STAFF, PATIENT = "staff", "patient"
MAX_MINUTES = 60 * 24 * 366  # beyond any diary; keeps the clock arithmetic finite


def _has(instance, relation: str) -> bool:
    return instance._state.fields_cache.get(relation) is not None


SOURCES = ((STAFF, "Staff"), (PATIENT, "Patient"))


class PainScore(EnteredInError):
    """One diary point: the 0-10 numeric rating some minutes after the block.

    A score is corrected in place (its `version` guards against lost edits, its history keeps
    every value) or marked entered in error; a marked score is read by nothing, so another can
    take its minute.
    """

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="pain_scores")
    minutes_after = models.PositiveIntegerField()
    score = models.PositiveSmallIntegerField(help_text="0-10 numeric rating (LOINC 72514-3).")
    patient_reported_relief_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    # Who entered it: a staff member (recorded_by) or the patient through a diary link.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    diary_link = models.ForeignKey(
        "blocks.DiaryLink", on_delete=models.PROTECT, null=True, blank=True, related_name="scores"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    source = models.CharField(max_length=8, choices=SOURCES, default=STAFF)
    late = models.BooleanField(
        default=False,
        editable=False,
        help_text="A patient's score entered after the next time point was already due.",
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()
    objects = EnteredInErrorQuerySet.as_manager()

    class Meta(EnteredInError.Meta):
        ordering = ["minutes_after"]
        constraints = [
            *EnteredInError.Meta.constraints,
            models.UniqueConstraint(
                fields=["procedure", "minutes_after"],
                condition=Q(entered_in_error=False),
                name="painscore_one_standing_score_per_minute",
                violation_error_message="This procedure already has a score at that minute.",
            ),
            in_vocabulary("source", (STAFF, PATIENT), "painscore"),
            models.CheckConstraint(
                condition=Q(source=STAFF, recorded_by__isnull=False)
                | Q(source=PATIENT, diary_link__isnull=False),
                name="painscore_source_names_who",
                violation_error_message=(
                    "A staff score names the staff member, a patient's the diary link."
                ),
            ),
            not_negative("minutes_after", "painscore"),
            between("score", 0, 10, "painscore"),
            between("patient_reported_relief_percent", 0, 100, "painscore", nullable=True),
        ]

    def __str__(self) -> str:
        return f"{self.score}/10 at {self.minutes_after} min"

    def clean(self) -> None:
        # No time point is answered more than 5 minutes before it is due (section 9).
        procedure = self.procedure if self.procedure_id or _has(self, "procedure") else None
        when = getattr(procedure, "performed_at", None)
        if not isinstance(when, datetime) or not isinstance(self.minutes_after, int):
            return
        if implausible_moment(when, "performed_at"):
            return  # the procedure's own time is refused; its diary is read against no clock
        if self.minutes_after < 0 or self.minutes_after > MAX_MINUTES:
            return  # the constraints name it
        due = diary.due_at(when, self.minutes_after)
        if due - diary.EARLY_LIMIT > timezone.now():
            raise ValidationError(
                {
                    "minutes_after": (
                        f"This time point is not due yet: {self.minutes_after} minutes after "
                        "the block has not come. A score is entered when it is taken."
                    )
                }
            )


# What is measured at each disc of a discography (the service, the API and the engine's input
# name these).
DISC_FIELDS = (
    "level",
    "opening_pressure_psi",
    "provocation_pressure_psi",
    "pain_score",
    "concordance",
    "annular_grade",
)


class DiscInjection(models.Model):
    """One disc pressurised during a provocation discography."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="discs")
    level = models.CharField(max_length=8, choices=[(level, level) for level in vocab.SEGMENTS])
    opening_pressure_psi = models.DecimalField(
        max_digits=6, decimal_places=2, null=True, blank=True
    )
    provocation_pressure_psi = models.DecimalField(
        max_digits=6, decimal_places=2, null=True, blank=True
    )
    pain_score = models.PositiveSmallIntegerField(null=True, blank=True)
    concordance = code_field(vocab.CONCORDANCE)
    annular_grade = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Modified Dallas grade 0-5 on post-discography CT."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["level"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "level"],
                name="discinjection_one_row_per_disc",
                violation_error_message="This disc is already recorded for the procedure.",
            ),
            in_vocabulary("level", vocab.SEGMENTS, "discinjection"),
            in_vocabulary("concordance", vocab.CONCORDANCE, "discinjection"),
            not_negative("opening_pressure_psi", "discinjection"),
            not_negative("provocation_pressure_psi", "discinjection"),
            between("pain_score", 0, 10, "discinjection", nullable=True),
            between("annular_grade", 0, 5, "discinjection", nullable=True),
        ]

    def __str__(self) -> str:
        return f"{self.level} {self.concordance}"


class Screening(models.Model):
    """The contraindication screening done before the needle (CLINICAL_RULES.md section 5)."""

    procedure = models.OneToOneField(Procedure, on_delete=models.CASCADE, related_name="screening")
    contraindications = models.JSONField(default=list, blank=True)
    override_reason = models.TextField(blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    overridden_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(overridden_by__isnull=True, overridden_at__isnull=True)
                | Q(overridden_by__isnull=False, overridden_at__isnull=False),
                name="screening_override_has_author_and_time",
                violation_error_message="An override records who made it and when.",
            ),
            models.CheckConstraint(
                condition=Q(overridden_by__isnull=True) | ~Q(override_reason=""),
                name="screening_override_has_reason",
                violation_error_message="An override needs a reason.",
            ),
        ]

    def __str__(self) -> str:
        return ", ".join(self.contraindications) or "no contraindication"

    def clean(self) -> None:
        codes = self.contraindications
        if not isinstance(codes, list) or any(
            not isinstance(code, str) or code not in vocab.CONTRAINDICATIONS for code in codes
        ):
            raise ValidationError(
                {"contraindications": "Give a list of known contraindication codes."}
            )

    def result(self) -> ScreeningResult:
        """Hard stops and warnings of this screening, for the procedure as performed."""
        return screen(
            self.contraindications,
            contrast_used=self.procedure.contrast_used,
            steroid=self.procedure.steroid,
        )

    @property
    def hard_stops(self) -> list[str]:
        return list(self.result().hard_stops)

    @property
    def warnings(self) -> list[str]:
        return list(self.result().warnings)


class Complication(EnteredInError):
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="complications")
    code = code_field(vocab.COMPLICATIONS)
    severity = code_field(vocab.SEVERITIES)
    onset_days = models.PositiveIntegerField(
        null=True, blank=True, help_text="Days after the procedure."
    )
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords()
    objects = EnteredInErrorQuerySet.as_manager()

    class Meta(EnteredInError.Meta):
        ordering = ["recorded_at", "id"]
        constraints = [
            *EnteredInError.Meta.constraints,
            in_vocabulary("code", vocab.COMPLICATIONS, "complication"),
            in_vocabulary("severity", vocab.SEVERITIES, "complication"),
            not_negative("onset_days", "complication"),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.severity})"

    @property
    def is_serious(self) -> bool:
        return self.code in vocab.ALWAYS_SERIOUS or (
            self.code in vocab.SERIOUS_WHEN_SEVERE and self.severity == "severe"
        )
