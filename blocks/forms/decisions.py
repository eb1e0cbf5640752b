"""A physician's decision on a suggestion, the worklist filters and the profile switcher."""

from django import forms

from blocks.forms.labels import label
from blocks.models.decisions import DECISION_STATUSES, DECLINED
from blocks.policy import STAFF_TASK_CODES
from blocks.rules import PROFILES, vocab


class DecisionForm(forms.Form):
    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64)
    status = forms.ChoiceField(choices=[(status, label(status)) for status in DECISION_STATUSES])
    reason = forms.CharField(
        label="Reason for declining", required=False, max_length=4000, strip=True
    )

    def clean(self):
        data = super().clean()
        if data.get("status") == DECLINED and not data.get("reason"):
            self.add_error("reason", "Say why the suggestion is declined.")
        return data


class WorklistFilterForm(forms.Form):
    code = forms.ChoiceField(label="Suggestion", required=False)
    physician = forms.TypedChoiceField(label="Physician", required=False, coerce=int)

    def __init__(self, *args, physicians, counts: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [("", "All suggestions")] + [
            (code, f"{label(code)} ({counts.get(code, 0)})")
            for code in vocab.NEXT_STEP_CODES
            if code not in STAFF_TASK_CODES
        ]
        self.fields["physician"].choices = [("", "All physicians")] + [
            (user.pk, user.get_full_name() or user.get_username()) for user in physicians
        ]


class ProfileForm(forms.Form):
    profile = forms.ChoiceField(
        label="Guideline profile", choices=[(name, name) for name in PROFILES]
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)
