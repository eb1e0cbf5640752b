"""Finding and opening a patient; opening an episode of care."""

from django import forms

from blocks.forms.base import DATETIME_INPUT_FORMATS, DateInput, DateTimeLocalInput
from blocks.forms.labels import choices
from blocks.rules import vocab


class PatientSearchForm(forms.Form):
    q = forms.CharField(
        label="MRN",
        max_length=32,
        required=False,
        help_text="The whole MRN or its first characters.",
    )


class PatientForm(forms.Form):
    mrn = forms.CharField(label="MRN", max_length=32)
    given_name = forms.CharField(label="Given name", max_length=100, required=False)
    family_name = forms.CharField(label="Family name", max_length=100, required=False)
    birth_date = forms.DateField(label="Birth date", widget=DateInput())
    sex = forms.ChoiceField(label="Sex", choices=choices(vocab.SEXES, blank="Choose…"))


class EpisodeForm(forms.Form):
    region = forms.ChoiceField(label="Region", choices=choices(vocab.REGIONS, blank="Choose…"))
    side = forms.ChoiceField(label="Side", choices=choices(vocab.SIDES, blank="Choose…"))
    pain_pattern = forms.ChoiceField(
        label="Pain pattern", choices=choices(vocab.PAIN_PATTERNS, blank="Choose…")
    )
    surgery_considered = forms.BooleanField(label="Surgery is being considered", required=False)
    conservative_care_weeks = forms.IntegerField(
        label="Weeks of conservative care so far", required=False, min_value=0, max_value=5200
    )
    opened_at = forms.DateTimeField(
        label="Opened at",
        required=False,
        widget=DateTimeLocalInput(),
        input_formats=DATETIME_INPUT_FORMATS,
        help_text="Leave empty for now.",
    )
