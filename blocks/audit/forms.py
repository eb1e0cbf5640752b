"""The procedure edit form: the procedure's own fields and the version it was opened at."""

from django import forms
from django.core.exceptions import ValidationError

from blocks.models.base import choices
from blocks.models.measured import MEASURED_FIELDS
from blocks.rules import vocab

DATETIME_FORMAT = "%Y-%m-%dT%H:%M:%S"


class LevelsField(forms.CharField):
    """Level codes typed as "L4-L5, L5-S1"; the model's clean judges them against the kind."""

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(map(str, value))
        return value

    def to_python(self, value):
        text = super().to_python(value)
        return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


def code_choice(codes, **kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(choices=choices(codes), **kwargs)


class ProcedureEditForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    performed_at = forms.DateTimeField(
        input_formats=[DATETIME_FORMAT, "%Y-%m-%dT%H:%M"],
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local", "step": "1"}, format=DATETIME_FORMAT
        ),
    )
    kind = code_choice(vocab.KINDS)
    intent = code_choice(vocab.INTENTS)
    side = code_choice(vocab.SIDES)
    levels = LevelsField(help_text="Comma-separated, e.g. L4-L5, L5-S1.")
    anesthetic = code_choice(vocab.ANESTHETICS)
    anesthetic_volume_ml = forms.DecimalField(
        required=False, min_value=0, max_digits=6, decimal_places=3, label="Volume (ml per site)"
    )
    steroid = code_choice(vocab.STEROIDS)
    steroid_dose_mg = forms.DecimalField(
        required=False, min_value=0, max_digits=7, decimal_places=3, label="Steroid dose (mg)"
    )
    guidance = code_choice(vocab.GUIDANCE)
    contrast_used = forms.BooleanField(required=False)
    contrast_flow_confirmed = forms.BooleanField(required=False)
    sedation = code_choice(vocab.SEDATION)
    pre_pain = forms.IntegerField(
        required=False, min_value=0, max_value=10, label="Pain before the block (0-10)"
    )
    override_reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Physicians only: why the procedure went ahead despite a hard stop.",
    )

    EDITABLE = MEASURED_FIELDS

    def clean(self):
        data = super().clean()
        if data.get("contrast_flow_confirmed") and data.get("contrast_used") is False:
            self.add_error(
                "contrast_flow_confirmed",
                "Contrast flow cannot be confirmed when no contrast was used: untick it.",
            )
        return data

    @classmethod
    def initial_for(cls, procedure) -> dict:
        initial = {name: getattr(procedure, name) for name in cls.EDITABLE}
        initial["version"] = procedure.version
        return initial

    def changes(self) -> dict:
        """Only the fields the user changed: an untouched field never overwrites anything."""
        changed = set(self.changed_data)
        return {name: self.cleaned_data[name] for name in self.EDITABLE if name in changed}

    def add_service_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)
