"""What is added to a procedure later: a diary score, a complication."""

from django import forms

from blocks.forms.labels import choices
from blocks.forms.procedures import MINUTES_ERRORS, PERCENT_ERRORS, SCORE_ERRORS
from blocks.models.base import INT_MAX
from blocks.rules import vocab


class PainScoreForm(forms.Form):
    minutes_after = forms.IntegerField(
        label="Minutes after the block",
        min_value=0,
        max_value=INT_MAX,
        error_messages=MINUTES_ERRORS,
    )
    score = forms.IntegerField(
        label="Pain score (0–10)", min_value=0, max_value=10, error_messages=SCORE_ERRORS
    )
    patient_reported_relief_percent = forms.IntegerField(
        label="Patient-reported relief (%)",
        required=False,
        min_value=0,
        max_value=100,
        error_messages=PERCENT_ERRORS,
    )


class ComplicationForm(forms.Form):
    code = forms.ChoiceField(
        label="Complication", choices=choices(vocab.COMPLICATIONS, blank="Choose…")
    )
    severity = forms.ChoiceField(
        label="Severity", choices=choices(vocab.SEVERITIES, blank="Choose…")
    )
    onset_days = forms.IntegerField(
        label="Onset (days after the procedure)", required=False, min_value=0, max_value=36500
    )
    notes = forms.CharField(
        label="Notes", required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 2})
    )
