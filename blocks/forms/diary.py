"""The staff's diary grid for one block: a row per time point, all saved in one submit.

Each row of the agent's schedule shows its clock time; a time point already answered shows
its score to correct in place or withdraw (entered in error), one not answered takes a score,
and a few extra rows take off-schedule scores typed as a clock time ("14:05") or minutes
("275"). The rows are sent together to services.pain_scores_save: all are written or none.
"""

from django import forms
from django.utils import timezone

from blocks.forms.procedures import PERCENT_ERRORS, SCORE_ERRORS
from blocks.models.base import INT_MAX
from blocks.models.findings import MAX_MINUTES
from blocks.rules import diary

EXTRA_ROWS = 3
STORED, POINT, EXTRA = "stored", "point", "extra"


class DiaryGridRowForm(forms.Form):
    """One row. Its kind comes from the page that drew it (its initial data): a stored score
    (`id`, `version`), a time point of the schedule (`minutes_after`) or an extra row (`when`).
    A posted row that does not match what the page drew marks the form `stale`."""

    id = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1, max_value=INT_MAX
    )
    minutes_after = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0, max_value=MAX_MINUTES
    )
    when = forms.CharField(
        label="Time (clock or minutes)",
        required=False,
        max_length=16,
        widget=forms.TextInput(
            attrs={"placeholder": "14:05 or 275", "inputmode": "numeric", "autocomplete": "off"}
        ),
    )
    score = forms.IntegerField(
        label="Pain (0–10)",
        required=False,
        min_value=0,
        max_value=10,
        error_messages=SCORE_ERRORS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    patient_reported_relief_percent = forms.IntegerField(
        label="Relief (%)",
        required=False,
        min_value=0,
        max_value=100,
        error_messages=PERCENT_ERRORS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    entered_in_error = forms.BooleanField(label="Entered in error", required=False)
    error_reason = forms.CharField(
        label="Why entered in error",
        required=False,
        max_length=2000,
        widget=forms.TextInput(attrs={"placeholder": "Why? (required when ticked)"}),
    )

    def __init__(self, *args, procedure, stored: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.procedure = procedure
        self.stored = stored  # {score id: PainScore}: the block's standing scores
        self.stale = False
        if self.initial.get("id"):
            self.kind = STORED
        elif self.initial.get("minutes_after") is not None:
            self.kind = POINT
        else:
            self.kind = EXTRA

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if self.kind == STORED:
            return self._clean_stored(data)
        if self.kind == POINT and data.get("minutes_after") != self.initial["minutes_after"]:
            self.stale = True
            return data
        if data.get("score") is None and data.get("patient_reported_relief_percent") is None:
            if self.kind == EXTRA and (data.get("when") or "").strip():
                self.add_error("score", "Enter the pain score for this time.")
            else:
                data["blank"] = True
            return data
        if data.get("score") is None:
            self.add_error("score", "Enter the pain score for this time.")
        if self.kind == EXTRA:
            self._read_when(data)
        return data

    def _read_when(self, data: dict) -> None:
        text = (data.get("when") or "").strip()
        if not text:
            self.add_error("when", "Type the time: a clock time such as 14:05 or minutes.")
            return
        try:
            data["minutes_after"] = diary.minutes_from_entry(
                text, self.procedure.performed_at, timezone.get_current_timezone()
            )
        except diary.EntryTimeError as error:
            self.add_error("when", str(error))

    def _clean_stored(self, data: dict) -> dict:
        score_id = data.get("id")
        if score_id != self.initial["id"] or score_id not in self.stored:
            self.stale = True
            return data
        if data.get("entered_in_error"):
            if not (data.get("error_reason") or "").strip():
                self.add_error("error_reason", "Say why this score was entered in error.")
            return data
        if data.get("score") is None:
            self.add_error(
                "score", "Enter the score, or tick “Entered in error” and say why to withdraw it."
            )
        return data

    def as_row(self) -> dict | None:
        """The row as services.pain_scores_save takes it; None when there is nothing to send."""
        data = self.cleaned_data
        if not data or data.get("blank") or self.stale:
            return None
        values = {
            "score": data.get("score"),
            "patient_reported_relief_percent": data.get("patient_reported_relief_percent"),
        }
        if self.kind != STORED:
            return {"add": {"minutes_after": data["minutes_after"], **values}}
        stored = self.stored[data["id"]]
        if data.get("entered_in_error"):
            return {"mark": stored, "version": data["version"], "reason": data["error_reason"]}
        changed = {name: value for name, value in values.items() if getattr(stored, name) != value}
        if not changed:
            return None
        return {"correct": stored, "version": data["version"], "values": changed}


class BaseGridFormSet(forms.BaseFormSet):
    @property
    def stale(self) -> bool:
        """The page drew other rows than those posted: the diary changed meanwhile."""
        if not self.management_form.is_valid():
            return False  # a broken form, not a changed diary: its errors say so
        expected = len(self.initial or ()) + EXTRA_ROWS
        return self.total_form_count() != expected or any(form.stale for form in self.forms)


DiaryGridFormSet = forms.formset_factory(
    DiaryGridRowForm,
    formset=BaseGridFormSet,
    extra=EXTRA_ROWS,
    max_num=60,
    absolute_max=60,
    validate_max=True,
)


def grid_formset(data, *, procedure, initial: list[dict], stored: dict) -> BaseGridFormSet:
    return DiaryGridFormSet(
        data,
        initial=initial,
        prefix="grid",
        form_kwargs={"procedure": procedure, "stored": stored},
    )
