"""The patient's diary link: how a patient at home answers the diary's time points.

Only the token's SHA-256 is stored; the token itself is shown once, to the staff member who
made the link. A link is tied to one block, works while that block's diary is open, and is
revoked (never deleted) when a new one is made or staff withdraw it.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from blocks.models.procedures import Procedure

TOKEN_BYTES = 32  # 43 URL-safe characters


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class DiaryLinkQuerySet(models.QuerySet):
    def standing(self):
        """Links not revoked (they may still have expired)."""
        return self.filter(revoked_at__isnull=True)

    def for_token(self, token: str):
        return self.filter(token_hash=token_hash(token))


class DiaryLink(models.Model):
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="diary_links")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(help_text="When the block's diary stops being open.")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = DiaryLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure"],
                condition=Q(revoked_at__isnull=True),
                name="diarylink_one_standing_link_per_block",
            ),
        ]

    def __str__(self) -> str:
        return f"diary link {self.pk} for procedure {self.procedure_id}"

    def is_usable(self, now=None) -> bool:
        """Not revoked, not past its expiry, and the block's diary still open."""
        now = now or timezone.now()
        return (
            self.revoked_at is None
            and now < self.expires_at
            and self.procedure.diary_state(now) == "open"
        )
