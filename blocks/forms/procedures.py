"""Logging a procedure: the record, its screening, its diary grid and its disc grid."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from blocks.forms.base import DATETIME_INPUT_FORMATS, DateTimeLocalInput
from blocks.forms.labels import choices, label
from blocks.models.base import INT_MAX
from blocks.policy import PHYSICIAN, is_physician
from blocks.rules import screen, vocab
from blocks.rules.screening import MESSAGES as HARD_STOP_MESSAGES

# The diary grid comes with the usual time points filled in; a row counts once it has a score.
DIARY_MINUTES = (15, 30, 60, 120, 180, 240, 360, 480)
DISC_ROWS = 5

SCORE_ERRORS = {
    "min_value": "Enter a score from 0 to 10.",
    "max_value": "Enter a score from 0 to 10.",
    "invalid": "Enter a whole number from 0 to 10.",
}
PERCENT_ERRORS = {
    "min_value": "Enter a percentage from 0 to 100.",
    "max_value": "Enter a percentage from 0 to 100.",
    "invalid": "Enter a whole number from 0 to 100.",
}
# A clinical yes/no is a choice the user makes: no answer is preselected, and none is assumed.
YES_NO = [("yes", "Yes"), ("no", "No")]
CHOOSE = "Choose…"
FLOW_WITHOUT_CONTRAST = (
    "Contrast flow cannot be confirmed when no contrast was used: answer No or leave it empty."
)

MINUTES_ERRORS = {
    "min_value": "Minutes after the block cannot be negative.",
    "invalid": "Enter whole minutes.",
}

_FAMILY_WORDS = (
    (vocab.ROOT_KINDS, "a nerve root (such as L5)"),
    (vocab.SEGMENT_KINDS, "a segment: a facet joint or disc (such as L4-L5)"),
    (vocab.SI_KINDS, "the SI joint"),
)


def _yes(value: str) -> bool:
    return value == "yes"


def yes_no_field(label_text: str, **kwargs) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label_text, choices=YES_NO, coerce=_yes, widget=forms.RadioSelect, **kwargs
    )


def kinds_for_region(region: str) -> list[str]:
    return [kind for kind in vocab.KINDS if vocab.allowed_levels(kind, region)]


class LevelCheckboxes(forms.CheckboxSelectMultiple):
    """Level checkboxes that say which procedure kinds each level fits (read by a static script)."""

    def __init__(self, *args, kinds_by_level=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds_by_level = kinds_by_level or {}

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        option["attrs"]["data-kinds"] = " ".join(self.kinds_by_level.get(value, ()))
        return option


class PhysicianChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.get_username()


class ProcedureForm(forms.Form):
    performed_at = forms.DateTimeField(
        label="Performed at", widget=DateTimeLocalInput(), input_formats=DATETIME_INPUT_FORMATS
    )
    performed_by = PhysicianChoiceField(
        label="Performed by", queryset=get_user_model().objects.none(), empty_label="Choose…"
    )
    kind = forms.ChoiceField(label="Procedure")
    intent = forms.ChoiceField(label="Intent", choices=choices(vocab.INTENTS, blank=CHOOSE))
    side = forms.ChoiceField(label="Side", choices=choices(vocab.SIDES, blank=CHOOSE))
    levels = forms.MultipleChoiceField(label="Levels")
    anesthetic = forms.ChoiceField(
        label="Anaesthetic", choices=choices(vocab.ANESTHETICS, blank="Choose…")
    )
    anesthetic_volume_ml = forms.DecimalField(
        label="Anaesthetic volume per level (mL)",
        required=False,
        min_value=0,
        max_digits=6,
        decimal_places=3,
    )
    steroid = forms.ChoiceField(
        label="Steroid",
        choices=choices(vocab.STEROIDS, blank=CHOOSE),
        help_text="Choose “None” when no steroid was given.",
    )
    steroid_dose_mg = forms.DecimalField(
        label="Steroid dose (mg)", required=False, min_value=0, max_digits=7, decimal_places=3
    )
    guidance = forms.ChoiceField(
        label="Image guidance", choices=choices(vocab.GUIDANCE, blank=CHOOSE)
    )
    contrast_used = yes_no_field(
        "Contrast used", error_messages={"required": "Answer whether contrast was used."}
    )
    contrast_flow_confirmed = yes_no_field(
        "Contrast flow confirmed before the medication",
        required=False,
        empty_value=None,
        help_text="Required when contrast was used; leave it empty when it was not.",
    )
    sedation = forms.ChoiceField(
        label="Sedation",
        choices=choices(vocab.SEDATION, blank=CHOOSE),
        help_text="Choose “None” when the patient had no sedation.",
    )
    pre_pain = forms.IntegerField(
        label="Pain just before the block (0–10)",
        required=False,
        min_value=0,
        max_value=10,
        error_messages=SCORE_ERRORS,
        help_text="Not needed for a provocation discography.",
    )
    contraindications = forms.MultipleChoiceField(
        label="Screening: contraindications found",
        required=False,
        choices=choices(vocab.CONTRAINDICATIONS),
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick every one that applies; leave all empty when none was found.",
    )
    override_reason = forms.CharField(
        label="Override reason (physician)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only when a hard stop applies: why the procedure went ahead.",
    )

    def __init__(self, *args, episode, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.episode = episode
        self.user = user
        region = episode.region
        kinds = kinds_for_region(region)
        self.fields["kind"].choices = [("", "Choose…"), *((k, label(k)) for k in kinds)]
        kinds_by_level: dict[str, list[str]] = {}
        for kind in kinds:
            for level in vocab.allowed_levels(kind, region):
                kinds_by_level.setdefault(level, []).append(kind)
        levels = [level for level in vocab.LEVELS if level in kinds_by_level]
        self.fields["levels"].choices = [(level, level) for level in levels]
        self.fields["levels"].widget = LevelCheckboxes(kinds_by_level=kinds_by_level)
        self.fields["levels"].widget.choices = self.fields["levels"].choices
        users = get_user_model().objects.filter(is_active=True)
        performers = Q(groups__name=PHYSICIAN)
        if is_physician(user):
            performers |= Q(pk=user.pk)
        self.fields["performed_by"].queryset = (
            users.filter(performers).distinct().order_by("last_name", "username")
        )
        if not is_physician(user):
            del self.fields["override_reason"]

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind and "levels" in data:
            self._check_levels(kind, data["levels"])
        if kind and kind != vocab.DISCOGRAPHY and data.get("pre_pain") is None:
            if "pre_pain" not in self.errors:
                self.add_error("pre_pain", "Enter the pain score just before the block (0–10).")
        if kind == vocab.DISCOGRAPHY and data.get("intent") == "therapeutic":
            self.add_error("intent", "A provocation discography is diagnostic only.")
        if data.get("anesthetic") == "none" and data.get("anesthetic_volume_ml") is not None:
            self.add_error(
                "anesthetic_volume_ml", "Leave the volume empty when no anaesthetic was given."
            )
        if data.get("steroid") == "none" and data.get("steroid_dose_mg") is not None:
            self.add_error("steroid_dose_mg", "Leave the dose empty when no steroid was given.")
        self._check_contrast_flow(data)
        self._check_hard_stops(data)
        return data

    def _check_contrast_flow(self, data: dict) -> None:
        """Flow is asked only when contrast was used; without contrast it is recorded as no."""
        if "contrast_used" not in data or "contrast_flow_confirmed" in self.errors:
            return
        flow = data.get("contrast_flow_confirmed")
        if data["contrast_used"] and flow is None:
            self.add_error(
                "contrast_flow_confirmed",
                "Answer whether the contrast flow was confirmed before the medication.",
            )
        elif not data["contrast_used"] and flow:
            self.add_error("contrast_flow_confirmed", FLOW_WITHOUT_CONTRAST)
        elif not data["contrast_used"]:
            data["contrast_flow_confirmed"] = False

    def _check_levels(self, kind: str, levels: list[str]) -> None:
        allowed = vocab.allowed_levels(kind, self.episode.region)
        family = next(words for kinds, words in _FAMILY_WORDS if kind in kinds)
        wrong = [level for level in levels if level not in allowed]
        if wrong:
            self.add_error(
                "levels",
                f"{', '.join(wrong)} {'does' if len(wrong) == 1 else 'do'} not fit a "
                f"{label(kind).lower()}: it names {family}.",
            )

    def _check_hard_stops(self, data: dict) -> None:
        if "contraindications" not in data or "steroid" not in data:
            return
        hard_stops = screen(
            data["contraindications"],
            contrast_used=data.get("contrast_used", False),
            steroid=data["steroid"],
        ).hard_stops
        if not hard_stops:
            return
        physician = is_physician(self.user)
        reason = (data.get("override_reason") or "").strip()
        if physician and reason:
            if data.get("performed_by") not in (None, self.user):
                self.add_error(
                    "override_reason",
                    "An override is recorded by the physician who performed the procedure: "
                    "choose yourself under “Performed by”, or ask them to log it.",
                )
            return
        then = (
            "To go ahead anyway, write the reason in “Override reason”."
            if physician
            else "Only a physician can override it: ask the physician who performed the "
            "procedure to log it."
        )
        self.add_error(
            "contraindications",
            [
                f"Hard stop: {HARD_STOP_MESSAGES.get(code, label(code))} {then}"
                for code in hard_stops
            ],
        )

    @property
    def hard_stop(self) -> bool:
        return any(
            "Hard stop" in str(message) for message in self.errors.get("contraindications", ())
        )


class DiaryRowForm(forms.Form):
    minutes_after = forms.IntegerField(
        label="Minutes after the block",
        required=False,
        min_value=0,
        max_value=INT_MAX,
        error_messages=MINUTES_ERRORS,
    )
    score = forms.IntegerField(
        label="Pain score (0–10)",
        required=False,
        min_value=0,
        max_value=10,
        error_messages=SCORE_ERRORS,
    )
    patient_reported_relief_percent = forms.IntegerField(
        label="Patient-reported relief (%)",
        required=False,
        min_value=0,
        max_value=100,
        error_messages=PERCENT_ERRORS,
    )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if data.get("score") is None and data.get("patient_reported_relief_percent") is None:
            data["blank"] = True
            return data
        if data.get("score") is None:
            self.add_error("score", "Enter the pain score for this time.")
        if data.get("minutes_after") is None:
            self.add_error("minutes_after", "Enter the minutes after the block.")
        return data

    def as_score(self) -> dict | None:
        data = self.cleaned_data
        if not data or data.get("blank"):
            return None
        return {
            "minutes_after": data["minutes_after"],
            "score": data["score"],
            "patient_reported_relief_percent": data.get("patient_reported_relief_percent"),
        }


class DiscRowForm(forms.Form):
    level = forms.ChoiceField(label="Disc", required=False)
    opening_pressure_psi = forms.DecimalField(
        label="Opening pressure (psi)", required=False, min_value=0, max_digits=6, decimal_places=2
    )
    provocation_pressure_psi = forms.DecimalField(
        label="Provocation pressure (psi)",
        required=False,
        min_value=0,
        max_digits=6,
        decimal_places=2,
    )
    pain_score = forms.IntegerField(
        label="Pain provoked (0–10)",
        required=False,
        min_value=0,
        max_value=10,
        error_messages=SCORE_ERRORS,
    )
    concordance = forms.ChoiceField(
        label="Concordance", required=False, choices=choices(vocab.CONCORDANCE, blank="—")
    )
    annular_grade = forms.IntegerField(
        label="Annular fissure grade (0–5)", required=False, min_value=0, max_value=5
    )

    def __init__(self, *args, region: str, **kwargs):
        super().__init__(*args, **kwargs)
        segments = vocab.allowed_levels(vocab.DISCOGRAPHY, region)
        self.fields["level"].choices = [("", "—"), *((level, level) for level in segments)]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if not any(value not in (None, "") for value in data.values()):
            data["blank"] = True
            return data
        if not data.get("level"):
            self.add_error("level", "Choose the disc.")
        if not data.get("concordance"):
            self.add_error("concordance", "Choose the concordance of the provoked pain.")
        return data

    def as_disc(self) -> dict | None:
        data = self.cleaned_data
        if not data or data.get("blank"):
            return None
        return {key: data.get(key) for key in self.fields}


DiaryFormSet = forms.formset_factory(DiaryRowForm, extra=0, max_num=24, validate_max=True)
DiscFormSet = forms.formset_factory(DiscRowForm, extra=DISC_ROWS, max_num=12, validate_max=True)


def diary_formset(data=None) -> forms.BaseFormSet:
    initial = [{"minutes_after": minutes} for minutes in DIARY_MINUTES]
    return DiaryFormSet(data, initial=initial, prefix="diary")


def disc_formset(data=None, *, region: str) -> forms.BaseFormSet:
    return DiscFormSet(data, prefix="discs", form_kwargs={"region": region})
