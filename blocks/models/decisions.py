"""A physician's decision on a next-step suggestion: accepted, or declined with a reason."""

import hashlib
import json
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from blocks.models.base import code_field, in_vocabulary
from blocks.models.patients import Episode
from blocks.rules import vocab

ACCEPTED = "accepted"
DECLINED = "declined"
DECISION_STATUSES = (ACCEPTED, DECLINED)


def suggestion_fingerprint(*, code: str, side: str, levels: Iterable[str], based_on) -> str:
    """A stable hash of what a suggestion advises and the procedures it rests on.

    A new block that changes the advice changes `based_on` (or the code), so the
    fingerprint changes and the episode needs a new decision.
    """
    payload = json.dumps(
        {
            "code": code,
            "side": side,
            "levels": sorted(levels),
            "based_on": sorted(int(pk) for pk in based_on),
        },
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:40]


class DecisionQuerySet(models.QuerySet):
    def for_episodes(self, episode_ids):
        return self.filter(episode_id__in=episode_ids)


class Decision(models.Model):
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="decisions")
    code = code_field(vocab.NEXT_STEP_CODES)
    side = code_field(vocab.SIDES)
    levels = models.JSONField(default=list)
    rule = models.CharField(max_length=80)
    based_on = models.JSONField(
        default=list, help_text="Ids of the procedures the suggestion rested on."
    )
    fingerprint = models.CharField(max_length=64)
    status = code_field(DECISION_STATUSES)
    reason = models.TextField(blank=True)
    profile = models.CharField(max_length=32, help_text="Guideline profile of the suggestion.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="decisions"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()
    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "fingerprint"],
                name="decision_one_per_suggestion",
                violation_error_message="This suggestion has already been decided.",
            ),
            in_vocabulary("code", vocab.NEXT_STEP_CODES, "decision"),
            in_vocabulary("side", vocab.SIDES, "decision"),
            in_vocabulary("status", DECISION_STATUSES, "decision"),
            models.CheckConstraint(
                condition=~Q(status=DECLINED) | ~Q(reason=""),
                name="decision_declined_has_reason",
                violation_error_message="A declined suggestion needs a reason.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.status} on episode {self.episode_id}"

    def clean(self) -> None:
        self.reason = (self.reason or "").strip()
        if self.status == DECLINED and not self.reason:
            raise ValidationError({"reason": "Give a reason for declining the suggestion."})
