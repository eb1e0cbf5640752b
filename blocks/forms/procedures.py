"""Logging and correcting a procedure: the record, its screening, its diary and disc grids.

One form for both: its measured fields are built from blocks/models/measured.py (labels,
help, limits), its codes shown in the clinic's words (blocks/forms/labels.py).
"""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q
from django.utils import timezone

from blocks.adapters import contraindications_of
from blocks.forms.base import DATETIME_INPUT_FORMATS, DateTimeLocalInput
from blocks.forms.labels import choices, label
from blocks.models import measured as declared
from blocks.models.base import INT_MAX
from blocks.models.procedures import agent_and_pain_errors, level_errors
from blocks.policy import PHYSICIAN, is_physician
from blocks.rules import vocab
from blocks.services.hard_stops import hard_stop_sentence, hard_stops_of

# A new procedure's form takes the scores of the recovery room, every 15 minutes of the first
# hour (CLINICAL_RULES section 9); the rest of the diary comes from the patient's link or card,
# or staff type it in by clock time on the block's diary page. A row counts once it has a score.
DIARY_MINUTES = (15, 30, 45, 60)
DISC_ROWS = 5
EDIT_EXTRA_ROWS = 3  # empty diary rows under the stored scores, to add scores

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

MINUTES_ERRORS = {
    "min_value": "Minutes after the block cannot be negative.",
    "invalid": "Enter whole minutes.",
}


def _yes(value: str) -> bool:
    return value == "yes"


def yes_no_field(**kwargs) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(choices=YES_NO, coerce=_yes, widget=forms.RadioSelect, **kwargs)


def stored_values(procedure) -> dict:
    """The record as the page opened it, to tell what the user changed."""
    values = {name: getattr(procedure, name) for name in declared.MEASURED_FIELDS}
    values["performed_by"] = procedure.performed_by_id
    values["contraindications"] = list(contraindications_of(procedure))
    values["overridden_stops"] = _overridden_stops(procedure)
    return values


def _overridden_stops(procedure) -> tuple[str, ...]:
    try:
        screening = procedure.screening
    except ObjectDoesNotExist:
        return ()
    return tuple(screening.hard_stops) if screening.overridden_by_id else ()


def _shown(name: str, value) -> str:
    """A value as the conflict table shows it: the clinic's words, not codes."""
    if value in (None, "", []):
        return "—"
    if name == "performed_by":
        user = get_user_model().objects.filter(pk=value).first()
        return (user.get_full_name() or user.get_username()) if user else str(value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list | tuple):
        return ", ".join(label(item) if "_" in str(item) else str(item) for item in value)
    if name == "performed_at":
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"
    return label(value) if isinstance(value, str) and name != "levels" else str(value)


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


# What the page asks of a measured field beyond its declaration: presence judged in clean()
# (pre-block pain only for a non-discography, flow only with contrast), the page's messages.
_PAGE_OPTIONS: dict[str, dict] = {
    "contrast_used": {"error_messages": {"required": "Answer whether contrast was used."}},
    "contrast_flow_confirmed": {"required": False, "empty_value": None},
    "pre_pain": {"error_messages": SCORE_ERRORS},
}


def measured_form_field(field: declared.MeasuredField) -> forms.Field:
    """One measured field as the page asks it: the declaration's label, help and limits,
    the clinic's words for its codes, yes/no as two radio buttons with neither preselected."""
    options = {"label": field.label, "help_text": field.help, "required": not field.nullable}
    options.update(_PAGE_OPTIONS.get(field.name, {}))
    if field.type == declared.DATETIME:
        return forms.DateTimeField(
            widget=DateTimeLocalInput(), input_formats=DATETIME_INPUT_FORMATS, **options
        )
    if field.type == declared.CODE:
        # The kinds are narrowed to the episode's region when the form is made.
        return forms.ChoiceField(choices=choices(field.vocabulary, blank=CHOOSE), **options)
    if field.type == declared.LEVELS:
        return forms.MultipleChoiceField(**options)  # choices: the region's levels, see below
    if field.type == declared.DECIMAL:
        return forms.DecimalField(
            min_value=field.minimum,
            max_digits=field.max_digits,
            decimal_places=field.decimal_places,
            **options,
        )
    if field.type == declared.INTEGER:
        return forms.IntegerField(min_value=field.minimum, max_value=field.maximum, **options)
    if field.type == declared.BOOLEAN:
        return yes_no_field(**options)
    raise ValueError(f"No form field for the measured type {field.type!r}.")


# The form of a new procedure and of an edit inherit these fields, built from the declaration.
MeasuredForm = type(
    "MeasuredForm",
    (forms.Form,),
    {field.name: measured_form_field(field) for field in declared.MEASURED},
)


def _as_answer(value):
    """A stored boolean as the page's radio buttons hold it."""
    if value is None:
        return None
    return "yes" if value else "no"


def _same(name: str, given, stored) -> bool:
    if name == "levels":
        return sorted(given or ()) == sorted(stored or ())
    if name == "performed_at" and given is not None and stored is not None:
        # The page shows minutes: a stored time with seconds is unchanged at its minute.
        return given.replace(second=0, microsecond=0) == stored.replace(second=0, microsecond=0)
    return given == stored


class ProcedureForm(MeasuredForm):
    """Logging a procedure, or correcting one (`procedure=` the record as opened).

    Editing adds the hidden `version` the page was opened at; `changes()` gives only the
    measured fields the user changed, so an untouched field never overwrites anything.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=INT_MAX)
    performed_by = PhysicianChoiceField(
        label="Performed by", queryset=get_user_model().objects.none(), empty_label=CHOOSE
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
    awaiting_override = forms.BooleanField(
        label="Save as awaiting a physician's override",
        required=False,
        help_text="The procedure was already done: it is saved, read by nothing, and shown to "
        "physicians as urgent until one records why it went ahead.",
    )

    def __init__(self, *args, episode, user, procedure=None, narrow_kind=None, **kwargs):
        self.procedure = procedure
        self.stored = stored_values(procedure) if procedure is not None else {}
        if procedure is not None:
            kwargs["initial"] = {**self._initial_from(procedure), **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        self.episode = episode
        self.user = user
        if procedure is None:
            del self.fields["version"]
        self._offer_kinds_and_levels(episode.region)
        if narrow_kind and not self.is_bound:
            self._narrow_levels(narrow_kind, episode.region)
        self._offer_performers(user)
        if not is_physician(user):
            del self.fields["override_reason"]
        else:
            del self.fields["awaiting_override"]  # a physician writes the reason instead
        if procedure is not None:
            self.fields.pop("awaiting_override", None)  # only a new procedure awaits one

    @staticmethod
    def _initial_from(procedure) -> dict:
        initial = {name: getattr(procedure, name) for name in declared.MEASURED_FIELDS}
        for name, field in declared.BY_NAME.items():
            if field.type == declared.BOOLEAN:
                initial[name] = _as_answer(initial[name])
            elif field.type == declared.DECIMAL and initial[name] is not None:
                initial[name] = f"{initial[name].normalize():f}"  # 0.500 is shown as 0.5
        initial["performed_at"] = timezone.localtime(procedure.performed_at).replace(
            second=0, microsecond=0
        )
        initial["performed_by"] = procedure.performed_by_id
        initial["contraindications"] = list(contraindications_of(procedure))
        initial["version"] = procedure.version
        return initial

    def _offer_kinds_and_levels(self, region: str) -> None:
        kinds = kinds_for_region(region)
        stored_kind = self.stored.get("kind")
        if stored_kind and stored_kind not in kinds:
            kinds.append(stored_kind)  # a record made elsewhere keeps its kind on the page
        self.fields["kind"].choices = [("", CHOOSE), *((k, label(k)) for k in kinds)]
        kinds_by_level: dict[str, list[str]] = {}
        for kind in kinds:
            for level in vocab.allowed_levels(kind, region):
                kinds_by_level.setdefault(level, []).append(kind)
        offered = set(kinds_by_level) | set(self.stored.get("levels") or ())
        levels = [level for level in vocab.LEVELS if level in offered]
        self.fields["levels"].choices = [(level, level) for level in levels]
        self.fields["levels"].widget = LevelCheckboxes(kinds_by_level=kinds_by_level)
        self.fields["levels"].widget.choices = self.fields["levels"].choices

    def _narrow_levels(self, kind: str, region: str) -> None:
        """?kind= (or a repeated block): only that kind's levels are offered, without a script.

        A bound form keeps every level of the region, so a level that does not fit the kind
        posted is refused with the rule's words (level_errors), not as an unknown choice.
        """
        allowed = vocab.allowed_levels(kind, region) if kind in vocab.KINDS else ()
        if not allowed:
            return
        keep = set(allowed) | set(self.stored.get("levels") or ())
        narrowed = [(code, words) for code, words in self.fields["levels"].choices if code in keep]
        self.fields["levels"].choices = narrowed
        self.fields["levels"].widget.choices = narrowed
        self.initial.setdefault("kind", kind)

    def mark_carried(self, carried: dict) -> None:
        """Mark each field filled from an earlier block (read by templates/_field.html)."""
        for name, words in carried.items():
            if name in self.fields:
                self.fields[name].carried_over = words

    def _offer_performers(self, user) -> None:
        users = get_user_model().objects.filter(is_active=True)
        performers = Q(groups__name=PHYSICIAN)
        if is_physician(user):
            performers |= Q(pk=user.pk)
        if self.procedure is not None:
            performers |= Q(pk=self.procedure.performed_by_id)  # the one on the record
        self.fields["performed_by"].queryset = (
            users.filter(performers).distinct().order_by("last_name", "username")
        )

    # --- what an edit sends --------------------------------------------------------------

    def changes(self) -> dict:
        """The measured fields whose value differs from the record as it was opened."""
        data = self.cleaned_data
        return {
            name: data[name]
            for name in declared.MEASURED_FIELDS
            if name in data and not _same(name, data[name], self.stored.get(name))
        }

    def performer_changed(self) -> bool:
        return self.cleaned_data["performed_by"].pk != self.stored.get("performed_by")

    def screening_changed(self) -> bool:
        stored = self.stored.get("contraindications", ())
        return sorted(self.cleaned_data["contraindications"]) != sorted(stored)

    def changed_labels(self, stored: dict) -> list[dict]:
        """For a conflict: each field the user changed, their value and the value stored now."""
        rows = []
        for name in (*declared.MEASURED_FIELDS, "performed_by", "contraindications"):
            mine = self.cleaned_data.get(name)
            if name == "performed_by":
                mine = getattr(mine, "pk", mine)
            opened = self.stored.get(name)
            if _same(name, mine, opened):
                continue
            rows.append(
                {
                    "field": self.fields[name].label,
                    "yours": _shown(name, mine),
                    "stored": _shown(name, stored.get(name)),
                }
            )
        return rows

    # --- checks ---------------------------------------------------------------------------

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind and "levels" in data:
            self._check_levels(kind, data["levels"])
        judged = (
            {**data, "pre_pain": data.get("pre_pain")} if "pre_pain" not in self.errors else data
        )
        for field, message in agent_and_pain_errors(judged).items():
            if field not in self.errors and field != "contrast_flow_confirmed":
                self.add_error(field, message)
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
            self.add_error(
                "contrast_flow_confirmed", agent_and_pain_errors(data)["contrast_flow_confirmed"]
            )
        elif not data["contrast_used"]:
            data["contrast_flow_confirmed"] = False

    def _check_levels(self, kind: str, levels: list[str]) -> None:
        # The model's rule and words (blocks/models/procedures.py level_errors).
        for problem in level_errors(levels, kind=kind, region=self.episode.region):
            self.add_error("levels", problem)

    def _check_hard_stops(self, data: dict) -> None:
        if "contraindications" not in data or "steroid" not in data:
            return
        hard_stops = hard_stops_of(
            data["contraindications"],
            contrast_used=data.get("contrast_used", False),
            steroid=data["steroid"],
        )
        # An edit asks again only for a hard stop the stored override did not weigh.
        covered = self.stored.get("overridden_stops", ())
        hard_stops = [code for code in hard_stops if code not in covered]
        if not hard_stops:
            if data.get("awaiting_override"):
                self.add_error(
                    "awaiting_override",
                    "No hard stop was found in the screening: there is nothing to override. "
                    "Untick it and save.",
                )
            return
        if data.get("awaiting_override"):
            return  # saved as awaiting a physician's override, read by nothing until then
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
            else "Only a physician can override it. If the procedure was already done, tick "
            "“Save as awaiting a physician's override” below and save."
        )
        self.add_error(
            "contraindications",
            [f"{hard_stop_sentence(code)} {then}" for code in hard_stops],
        )

    @property
    def hard_stop(self) -> bool:
        return any(
            "Hard stop" in str(message) for message in self.errors.get("contraindications", ())
        )


class DiaryRowForm(forms.Form):
    """One row of the diary grid: a new score, or (editing) a stored one to correct or mark.

    A stored row carries its score's `id` and `version` (hidden); a stale version is refused by
    the service and the page shows the conflict.
    """

    id = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1, max_value=INT_MAX
    )
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
    entered_in_error = forms.BooleanField(label="Entered in error", required=False)
    error_reason = forms.CharField(
        label="Why entered in error",
        required=False,
        max_length=2000,
        widget=forms.TextInput(attrs={"placeholder": "Why? (required when ticked)"}),
    )

    CORRECTION_FIELDS = ("id", "version", "entered_in_error", "error_reason")
    VALUE_FIELDS = ("minutes_after", "score", "patient_reported_relief_percent")

    def __init__(self, *args, corrections: bool = False, stored=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stored = stored or {}  # {score id: PainScore} of the standing scores
        if not corrections:
            for name in self.CORRECTION_FIELDS:
                del self.fields[name]

    @property
    def is_stored(self) -> bool:
        return bool(self.initial.get("id"))

    def value_fields(self):
        return [self[name] for name in self.VALUE_FIELDS]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        score_id = data.get("id")
        if score_id is not None:
            return self._clean_stored(data, score_id)
        if data.get("score") is None and data.get("patient_reported_relief_percent") is None:
            data["blank"] = True
            return data
        if data.get("score") is None:
            self.add_error("score", "Enter the pain score for this time.")
        if data.get("minutes_after") is None:
            self.add_error("minutes_after", "Enter the minutes after the block.")
        return data

    def _clean_stored(self, data: dict, score_id: int) -> dict:
        if score_id not in self.stored or data.get("version") is None:
            raise forms.ValidationError(
                "This diary score is not a standing score of this procedure: reload the page."
            )
        if data.get("entered_in_error"):
            if not (data.get("error_reason") or "").strip():
                self.add_error("error_reason", "Say why this score was entered in error.")
            return data
        if data.get("score") is None:
            self.add_error(
                "score", "Enter the score, or tick “Entered in error” and say why to withdraw it."
            )
        if data.get("minutes_after") is None:
            self.add_error("minutes_after", "Enter the minutes after the block.")
        return data

    def as_score(self) -> dict | None:
        """A new score to add (None for a blank or a stored row)."""
        data = self.cleaned_data
        if not data or data.get("blank") or data.get("id") is not None:
            return None
        return {name: data.get(name) for name in self.VALUE_FIELDS}

    def as_correction(self) -> dict | None:
        """A stored row the user changed: {"score": PainScore, "version", "mark": reason} or
        {"score", "version", "values": {changed fields}}; None when untouched."""
        data = self.cleaned_data
        if not data or data.get("id") is None:
            return None
        stored = self.stored[data["id"]]
        edit = {"score": stored, "version": data["version"]}
        if data.get("entered_in_error"):
            return {**edit, "mark": data["error_reason"].strip()}
        values = {
            name: data.get(name)
            for name in self.VALUE_FIELDS
            if data.get(name) != getattr(stored, name)
        }
        if not values:
            return None  # untouched (or already as stored): nothing to send
        return {**edit, "values": values}


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
EditDiaryFormSet = forms.formset_factory(
    DiaryRowForm, extra=EDIT_EXTRA_ROWS, max_num=48, validate_max=True
)
DiscFormSet = forms.formset_factory(DiscRowForm, extra=DISC_ROWS, max_num=12, validate_max=True)


def diary_formset(data=None, *, procedure=None) -> forms.BaseFormSet:
    """The diary grid: the usual time points for a new procedure; for an edit, one row per
    standing score (with its version) and a few empty rows to add more."""
    if procedure is None:
        initial = [{"minutes_after": minutes} for minutes in DIARY_MINUTES]
        return DiaryFormSet(data, initial=initial, prefix="diary")
    scores = list(procedure.pain_scores.active().order_by("minutes_after", "id"))
    initial = [
        {
            "id": s.pk,
            "version": s.version,
            "minutes_after": s.minutes_after,
            "score": s.score,
            "patient_reported_relief_percent": s.patient_reported_relief_percent,
        }
        for s in scores
    ]
    return EditDiaryFormSet(
        data,
        initial=initial,
        prefix="diary",
        form_kwargs={"corrections": True, "stored": {s.pk: s for s in scores}},
    )


def disc_formset(data=None, *, region: str) -> forms.BaseFormSet:
    return DiscFormSet(data, prefix="discs", form_kwargs={"region": region})
