"""Follow-up after a treatment (CLINICAL_RULES section 10) and the patient's follow-up link.

A follow-up is the index pain, the PGIC and the medication change some days after an RFA or
a therapeutic injection, entered by staff (often by phone) or by the patient through a link.
Like a diary score it is corrected in place with its version (the history keeps every value)
or marked entered in error, never deleted. The link works as the diary's does: only the
token's SHA-256 is stored, and a new link revokes the old one.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from blocks.models.base import EnteredInError, EnteredInErrorQuerySet, between, in_vocabulary
from blocks.models.diary import DiaryLinkQuerySet
from blocks.models.findings import PATIENT, SOURCES, STAFF
from blocks.models.procedures import Procedure
from blocks.rules import followup as rules

MEDICATION_CHOICES = [(code, code.capitalize()) for code in rules.MEDICATION_CHANGES]
PGIC_CHOICES = sorted(rules.PGIC_WORDS.items())


class FollowUp(EnteredInError):
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="follow_ups")
    days_after = models.PositiveSmallIntegerField(help_text="Days after the treatment, 1-730.")
    pain = models.PositiveSmallIntegerField(help_text="Index pain 0-10 (LOINC 72514-3).")
    pgic = models.PositiveSmallIntegerField(
        "PGIC",
        null=True,
        blank=True,
        choices=PGIC_CHOICES,
        help_text="Patient Global Impression of Change, 1 very much worse - 7 very much improved.",
    )
    medication_change = models.CharField(
        max_length=8, blank=True, choices=MEDICATION_CHOICES, help_text="less, same or more."
    )
    source = models.CharField(max_length=8, choices=SOURCES, default=STAFF)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    follow_up_link = models.ForeignKey(
        "blocks.FollowUpLink",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="answers",
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()
    objects = EnteredInErrorQuerySet.as_manager()

    class Meta(EnteredInError.Meta):
        ordering = ["days_after"]
        constraints = [
            *EnteredInError.Meta.constraints,
            models.UniqueConstraint(
                fields=["procedure", "days_after"],
                condition=Q(entered_in_error=False),
                name="followup_one_standing_per_day",
                violation_error_message="This treatment already has a follow-up on that day.",
            ),
            in_vocabulary("source", (STAFF, PATIENT), "followup"),
            models.CheckConstraint(
                condition=Q(source=STAFF, recorded_by__isnull=False)
                | Q(source=PATIENT, follow_up_link__isnull=False),
                name="followup_source_names_who",
                violation_error_message=(
                    "A staff follow-up names the staff member, a patient's the follow-up link."
                ),
            ),
            between("days_after", rules.FIRST_DAY, rules.LAST_DAY, "followup"),
            between("pain", 0, 10, "followup"),
            between("pgic", 1, 7, "followup", nullable=True),
            models.CheckConstraint(
                condition=Q(medication_change__in=["", *rules.MEDICATION_CHANGES]),
                name="followup_medication_change_in_vocabulary",
                violation_error_message="Unknown medication_change.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pain}/10 at {self.days_after} days"

    @property
    def pgic_words(self) -> str:
        return rules.PGIC_WORDS.get(self.pgic, "") if self.pgic else ""


class FollowUpLink(models.Model):
    """The patient's link for the follow-up points due: made by staff or by the invitation
    job (`created_by` empty), valid until 14 days after the latest of its points."""

    procedure = models.ForeignKey(
        Procedure, on_delete=models.PROTECT, related_name="follow_up_links"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    points = models.JSONField(default=list, help_text="The scheduled days the link answers.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The invitation that carried it: when and how it was sent, and whether it is the re-send.
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.CharField(max_length=16, blank=True, help_text="email, sms or both.")
    resend = models.BooleanField(default=False)

    objects = DiaryLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure"],
                condition=Q(revoked_at__isnull=True),
                name="followuplink_one_standing_link_per_treatment",
            ),
        ]

    def __str__(self) -> str:
        return f"follow-up link {self.pk} for procedure {self.procedure_id}"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and now < self.expires_at
