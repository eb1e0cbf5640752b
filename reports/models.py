"""What the reports keep: the engine's readings of each block and episode, and an audit log.

The readings are a store of the clinical engine's output, never a second
opinion: `reports.store.readings` fills them by calling `blocks.rules` and nothing
else writes them. Each row carries the engine version that produced it, so a
new engine makes old rows stale (`manage.py refresh_readings --stale`).
"""

from django.conf import settings
from django.db import models

from blocks.models import Episode, Procedure


class BlockReading(models.Model):
    """One procedure interpreted under one guideline profile by the clinical engine."""

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="report_readings"
    )
    profile = models.CharField(max_length=32)
    engine_version = models.CharField(max_length=32)
    response = models.CharField(max_length=16)
    validity = models.CharField(max_length=16)
    relief_percent = models.FloatField(null=True, blank=True)
    duration_minutes = models.PositiveIntegerField(null=True, blank=True)
    duration_censored = models.BooleanField(default=False)
    counts_towards_treatment = models.BooleanField(default=False)
    diagnostic = models.BooleanField(
        default=True, help_text="The engine's is_diagnostic_block(): counts in diagnostic yield."
    )
    warnings = models.JSONField(default=list, blank=True, help_text="Warning codes.")
    non_diagnostic_reasons = models.JSONField(
        default=list, blank=True, help_text="Codes of reasons.py NON_DIAGNOSTIC_CODES."
    )
    hard_stops = models.JSONField(
        default=list, blank=True, help_text="Hard-stop codes of the screening (engine's screen())."
    )
    target = models.CharField(
        max_length=255, help_text="The engine's target: family|side|levels, e.g. facet|right|L4-L5."
    )
    # What the reading was computed from, so a read can tell a stale row cheaply.
    procedure_version = models.PositiveIntegerField()
    diary_points = models.PositiveIntegerField()
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "profile"], name="blockreading_one_per_profile"
            ),
        ]
        indexes = [models.Index(fields=["engine_version"], name="blockreading_engine_version")]

    def __str__(self) -> str:
        return f"{self.procedure_id} {self.profile}: {self.response}"


class EpisodeSuggestions(models.Model):
    """That the engine's next steps for one episode under one profile were computed, and when.

    The suggestions themselves are SuggestionReading rows; this row marks the
    episode as read (an episode may rightly have no suggestion at all).
    """

    episode = models.ForeignKey(
        Episode, on_delete=models.CASCADE, related_name="report_suggestion_sets"
    )
    profile = models.CharField(max_length=32)
    engine_version = models.CharField(max_length=32)
    suggestion_count = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "episode suggestions"
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "profile"], name="episodesuggestions_one_per_profile"
            ),
        ]

    def __str__(self) -> str:
        return f"episode {self.episode_id} {self.profile}: {self.suggestion_count} suggestions"


class SuggestionReading(models.Model):
    """One next step the engine suggests for an episode under a profile.

    `status` is "open" for what suggest_next_steps() returns today, and
    "settled" for a suggestion the diagnostic blocks alone give but a later
    treatment has answered (an RFA done after the RFA suggestion), so that
    pathways can count both. Levels and based_on are kept as plain text
    ("L4-L5;L5-S1", "12 15") so reports read them without parsing JSON.
    """

    episode = models.ForeignKey(
        Episode, on_delete=models.CASCADE, related_name="report_suggestions"
    )
    profile = models.CharField(max_length=32)
    code = models.CharField(max_length=48)
    rule = models.CharField(max_length=64)
    side = models.CharField(max_length=16)
    levels = models.CharField(max_length=255, help_text="Level codes, ';'-separated.")
    based_on = models.CharField(max_length=255, help_text="Procedure ids, space-separated.")
    earliest_date = models.DateField(null=True, blank=True)
    anesthetic = models.CharField(max_length=16, blank=True)
    status = models.CharField(max_length=8, choices=[("open", "Open"), ("settled", "Settled")])
    fingerprint = models.CharField(
        max_length=64, help_text="blocks.models.suggestion_fingerprint: what Decision records."
    )

    class Meta:
        indexes = [
            models.Index(fields=["episode", "profile"], name="suggestionreading_episode"),
            # The worklist's filter, read from the index alone (reports.store.worklist).
            models.Index(
                fields=["profile", "status", "episode", "code", "fingerprint"],
                name="suggestionreading_worklist",
            ),
        ]

    def __str__(self) -> str:
        return f"episode {self.episode_id} {self.profile}: {self.code} ({self.status})"


class TreatmentReading(models.Model):
    """One treatment as the clinic's evidence reads it under one profile (section 10).

    Written beside the block readings by reports.store.readings, from blocks.rules alone:
    the selection group (from the episode's earlier blocks, so an episode's rows are
    replaced whenever anything in it changes), the relief at each scheduled follow-up point
    (the nearest follow-up within 14 days of it), the PGIC read at 90 days and the duration
    of benefit. The evidence report groups these rows instead of re-running the selection.
    """

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="treatment_readings"
    )
    episode = models.ForeignKey(
        Episode, on_delete=models.CASCADE, related_name="treatment_readings"
    )
    profile = models.CharField(max_length=32)
    engine_version = models.CharField(max_length=32)
    kind = models.CharField(max_length=48)
    selection_group = models.CharField(
        max_length=32, help_text="blocks.rules.followup.GROUPS, e.g. dual-80."
    )
    based_on = models.CharField(max_length=255, help_text="Procedure ids, space-separated.")
    pre_pain = models.PositiveSmallIntegerField(null=True, blank=True)
    relief_14 = models.FloatField(null=True, blank=True)
    relief_30 = models.FloatField(null=True, blank=True)
    relief_90 = models.FloatField(null=True, blank=True)
    relief_180 = models.FloatField(null=True, blank=True)
    relief_365 = models.FloatField(null=True, blank=True)
    pgic_90 = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="PGIC of the follow-up read at 90 days."
    )
    benefit_days = models.PositiveIntegerField(null=True, blank=True)
    benefit_censored = models.BooleanField(default=False)
    # What the row was computed from, so a read can tell a stale row cheaply.
    procedure_version = models.PositiveIntegerField()
    follow_up_points = models.PositiveIntegerField()
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "profile"], name="treatmentreading_one_per_profile"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.procedure_id} {self.profile}: {self.selection_group}"


class IdentifiedExport(models.Model):
    """Every identified export: who asked, when, for what, and through which door."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    table = models.CharField(max_length=32, help_text="outcomes, blocks or diary.")
    export_format = models.CharField(max_length=8)
    filters = models.JSONField(default=dict)
    channel = models.CharField(max_length=16, help_text="api or command.")
    os_user = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.requested_by_id} {self.table} {self.requested_at:%Y-%m-%d %H:%M}"
