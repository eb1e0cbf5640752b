"""One procedure (a block, an RFA or a discography) as it was performed."""

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
from blocks.models.measured import MEASURED_FIELDS  # noqa: F401  (re-exported)
from blocks.models.patients import Episode
from blocks.rules import diary, vocab

_LEVEL_FAMILIES = (
    (vocab.ROOT_KINDS, "a nerve root (such as L5)"),
    (vocab.SEGMENT_KINDS, "a segment: a facet joint or disc (such as L4-L5)"),
    (vocab.SI_KINDS, "the SI joint"),
)


def level_errors(levels, *, kind: str, region: str | None) -> list[str]:
    """Why a list of level codes does not fit a procedure kind in an episode region."""
    if not isinstance(levels, list) or not levels:
        return ["Name at least one level, as a list of level codes."]
    errors = []
    seen = set()
    for level in levels:
        if not isinstance(level, str) or level not in vocab.LEVELS:
            errors.append(f"{level!r} is not a level code.")
        elif level in seen:
            errors.append(f"{level} is named more than once.")
        seen.add(level if isinstance(level, str) else repr(level))
    if errors or kind not in vocab.KINDS or region not in vocab.REGIONS:
        return errors
    allowed = vocab.allowed_levels(kind, region)
    if not allowed:
        return [f"A {kind} is not recorded in a {region} episode."]
    family = next(name for kinds, name in _LEVEL_FAMILIES if kind in kinds)
    wrong = [level for level in levels if level not in allowed]
    if not wrong:
        return []
    return [
        f"{', '.join(wrong)} {'does' if len(wrong) == 1 else 'do'} not fit a "
        f"{kind.replace('_', ' ')} in a {region} episode: it names {family}, one of "
        f"{', '.join(allowed)}."
    ]


# The measured fields are declared once, in blocks/models/measured.py.


def agent_and_pain_errors(values) -> dict[str, str]:
    """The procedure's rules across its measured fields, in the clinic's words.

    One place for them: the model's clean() (so every service, the API and the pages) and the
    procedure form (to show them beside the fields in the same answer as the rest) ask here.
    `values` maps measured field names to values; a name left out is not judged.
    """
    kind = values.get("kind")
    errors = {}
    if kind and kind != vocab.DISCOGRAPHY and "pre_pain" in values and values["pre_pain"] is None:
        errors["pre_pain"] = (
            "Enter the pain score just before the block (0–10); only a provocation "
            "discography may leave it empty."
        )
    if kind == vocab.DISCOGRAPHY and values.get("intent") not in (None, "diagnostic"):
        errors["intent"] = "A provocation discography is diagnostic only, never therapeutic."
    if values.get("anesthetic") == "none" and values.get("anesthetic_volume_ml") is not None:
        errors["anesthetic_volume_ml"] = "Leave the volume empty when no anaesthetic was given."
    if values.get("steroid") == "none" and values.get("steroid_dose_mg") is not None:
        errors["steroid_dose_mg"] = "Leave the dose empty when no steroid was given."
    if values.get("contrast_flow_confirmed") and values.get("contrast_used") is False:
        # A flow flag without contrast would assert a check that never happened.
        errors["contrast_flow_confirmed"] = (
            "Contrast flow cannot be confirmed when no contrast was used: answer No "
            "(contrast_flow_confirmed false) or leave it out."
        )
    return errors


# vocab.is_diagnostic() as a query: the engine's definition, built from its vocabulary.
DIAGNOSTIC = Q(kind__in=sorted(vocab.ALWAYS_DIAGNOSTIC_KINDS)) | (
    Q(intent="diagnostic") & ~Q(kind__in=sorted(vocab.NEVER_DIAGNOSTIC_KINDS))
)


class ProcedureQuerySet(EnteredInErrorQuerySet):
    def active(self):
        """Procedures that count: not entered in error, and not awaiting a physician's
        override of a hard stop (issue 11). Every reading, report, diary list and next step
        reads procedures through here, so a procedure saved as awaiting override is stored
        but read by nothing until a physician records the reason."""
        return self.filter(entered_in_error=False, awaiting_override=False)

    def counted(self):
        """The same as active(), by the name that says why: what the rules and reports read."""
        return self.active()

    def awaiting_override(self):
        """Standing procedures saved by staff with a hard stop, waiting for a physician."""
        return self.filter(entered_in_error=False, awaiting_override=True)

    def diagnostic(self):
        """Procedures the engine reads as diagnostic (discography always, an RFA never)."""
        return self.filter(DIAGNOSTIC)

    def therapeutic(self):
        """Everything the engine does not read as diagnostic: treatments, RFA included."""
        return self.exclude(DIAGNOSTIC)

    def of_kind(self, kind: str):
        return self.filter(kind=kind)

    def for_patients(self, patient_ids):
        return self.filter(episode__patient_id__in=patient_ids)

    def keeping_a_diary(self):
        """Blocks that keep a post-block diary (their closing time is set on save)."""
        return self.filter(diary_closes_at__isnull=False)

    def diary_in_state(self, state: str, now):
        """complete, open or overdue, compared with the clock in SQL (CLINICAL_RULES 9)."""
        kept = self.keeping_a_diary()
        if state == diary.COMPLETE:
            return kept.filter(diary_complete=True)
        if state == diary.OPEN:
            return kept.filter(diary_complete=False, diary_closes_at__gt=now)
        if state == diary.OVERDUE:
            return kept.filter(diary_complete=False, diary_closes_at__lte=now)
        raise ValueError(f"Unknown diary state {state!r}.")

    def awaiting_scores(self):
        """Diagnostic blocks with no diary score yet (discography has no relief reading)."""
        return (
            self.diagnostic()
            .exclude(kind=vocab.DISCOGRAPHY)
            # A NOT EXISTS on the scores: no row is repeated, so no DISTINCT (which would
            # compare every column of 100,000 rows to count them).
            .exclude(pain_scores__entered_in_error=False)
        )


class Procedure(EnteredInError):
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="procedures")
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="procedures_performed"
    )
    performed_at = models.DateTimeField(
        help_text="Not before 1990-01-01 and not more than 24 hours in the future."
    )
    kind = code_field(vocab.KINDS)
    intent = code_field(vocab.INTENTS)
    side = code_field(vocab.SIDES)
    levels = models.JSONField(default=list, help_text='Level codes, e.g. ["L4-L5", "L5-S1"].')
    anesthetic = code_field(vocab.ANESTHETICS)
    anesthetic_volume_ml = models.DecimalField(
        max_digits=6, decimal_places=3, null=True, blank=True, help_text="Per injection site."
    )
    steroid = code_field(vocab.STEROIDS, default="none")
    steroid_dose_mg = models.DecimalField(max_digits=7, decimal_places=3, null=True, blank=True)
    guidance = code_field(vocab.GUIDANCE)
    contrast_used = models.BooleanField()
    contrast_flow_confirmed = models.BooleanField(default=False)
    sedation = code_field(vocab.SEDATION, default="none")
    pre_pain = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Index pain (0-10) just before the block."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    # The diary's state, kept so that lists compare it with the clock in SQL (section 9).
    # Derived, never entered: the closing time from the block's time and agent on every save,
    # completeness by the readings refresh inside each write. Not part of the history.
    diary_closes_at = models.DateTimeField(null=True, blank=True, editable=False)
    diary_complete = models.BooleanField(default=False, editable=False)
    # A hard stop found by staff for a procedure already done (API_CONTRACT v1.1): stored,
    # read by nothing (ProcedureQuerySet.active), listed to physicians until one records the
    # override reason on the screening; then it counts. Kept in the history.
    awaiting_override = models.BooleanField(default=False, editable=False)

    history = HistoricalRecords(excluded_fields=["diary_closes_at", "diary_complete"])
    objects = ProcedureQuerySet.as_manager()

    class Meta(EnteredInError.Meta):
        ordering = ["-performed_at", "-id"]
        indexes = [
            models.Index(fields=["performed_at"]),
            models.Index(fields=["kind", "intent"]),
            models.Index(
                fields=["diary_complete", "diary_closes_at"], name="procedure_diary_state"
            ),
            # The standing procedures in the lists' order: the API's count and a late page's
            # ids read this index alone instead of checking 100,000 rows for the two flags.
            models.Index(
                fields=["-performed_at", "-id"],
                condition=Q(entered_in_error=False, awaiting_override=False),
                name="procedure_standing_order",
            ),
            # The worklist (reports.store.worklist): an episode's standing procedures latest
            # last (is this one its latest?), whether a physician did one of them, and a
            # physician's episodes, each read from an index rather than the whole table.
            models.Index(
                fields=["episode", "performed_at", "id"],
                condition=Q(entered_in_error=False, awaiting_override=False),
                name="procedure_standing_episode",
            ),
            models.Index(
                fields=["episode", "performed_by"],
                condition=Q(entered_in_error=False, awaiting_override=False),
                name="procedure_standing_episode_by",
            ),
            models.Index(
                fields=["performed_by", "episode"],
                condition=Q(entered_in_error=False, awaiting_override=False),
                name="procedure_standing_by",
            ),
            # The few procedures awaiting an override, listed on every worklist, without
            # reading the 100,000 that do not.
            models.Index(
                fields=["performed_at", "id"],
                condition=Q(entered_in_error=False, awaiting_override=True),
                name="procedure_awaiting_override",
            ),
        ]
        constraints = [
            *EnteredInError.Meta.constraints,
            in_vocabulary("kind", vocab.KINDS, "procedure"),
            in_vocabulary("intent", vocab.INTENTS, "procedure"),
            in_vocabulary("side", vocab.SIDES, "procedure"),
            in_vocabulary("anesthetic", vocab.ANESTHETICS, "procedure"),
            in_vocabulary("steroid", vocab.STEROIDS, "procedure"),
            in_vocabulary("guidance", vocab.GUIDANCE, "procedure"),
            in_vocabulary("sedation", vocab.SEDATION, "procedure"),
            between("pre_pain", 0, 10, "procedure", nullable=True),
            models.CheckConstraint(
                condition=Q(pre_pain__isnull=False) | Q(kind=vocab.DISCOGRAPHY),
                name="procedure_pre_pain_required_unless_discography",
                violation_error_message="Pre-block pain is required except for discography.",
            ),
            models.CheckConstraint(
                condition=~Q(kind=vocab.DISCOGRAPHY) | Q(intent="diagnostic"),
                name="procedure_discography_is_diagnostic",
                violation_error_message="Provocation discography is diagnostic only.",
            ),
            not_negative("anesthetic_volume_ml", "procedure"),
            not_negative("steroid_dose_mg", "procedure"),
            models.CheckConstraint(
                condition=~Q(anesthetic="none") | Q(anesthetic_volume_ml__isnull=True),
                name="procedure_no_volume_without_anesthetic",
                violation_error_message="No anaesthetic volume without an anaesthetic.",
            ),
            models.CheckConstraint(
                condition=~Q(steroid="none") | Q(steroid_dose_mg__isnull=True),
                name="procedure_no_dose_without_steroid",
                violation_error_message="No steroid dose without a steroid.",
            ),
            models.CheckConstraint(
                condition=~Q(levels=[]),
                name="procedure_levels_not_empty",
                violation_error_message="Name at least one level.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {'/'.join(map(str, self.levels or []))} {self.side} #{self.pk}"

    def save(self, *args, **kwargs) -> None:
        self.diary_closes_at = self.diary_closing_time()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "diary_closes_at"}
        super().save(*args, **kwargs)

    def is_diagnostic_kind(self) -> bool:
        return vocab.is_diagnostic(self.kind, self.intent)

    def is_treatment(self) -> bool:
        """An RFA or a therapeutic injection: followed up after it (section 10)."""
        return not self.is_diagnostic_kind()

    def has_diary(self) -> bool:
        return diary.has_diary(self.kind, self.intent, self.anesthetic)

    def diary_closing_time(self):
        if not self.has_diary() or self.performed_at is None:
            return None
        performed_at = self._meta.get_field("performed_at").to_python(self.performed_at)
        if timezone.is_naive(performed_at):
            return None  # refused by clean(); a naive time is never compared with the clock
        return diary.closes_at(performed_at, self.anesthetic)

    def diary_state(self, now=None) -> str | None:
        """complete, open or overdue (None when the block keeps no diary)."""
        return diary.state(self.diary_complete, self.diary_closes_at, now or timezone.now())

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if problem := implausible_moment(self.performed_at, "The procedure time"):
            errors["performed_at"] = [problem]
        region = self.episode.region if self.episode_id else None
        if level_problems := level_errors(self.levels, kind=self.kind, region=region):
            errors["levels"] = level_problems
        for field, message in agent_and_pain_errors(vars(self)).items():
            errors.setdefault(field, []).append(message)
        if errors:
            raise ValidationError(errors)
