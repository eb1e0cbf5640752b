"""/procedures/<pk>/override/: a physician records why a procedure awaiting override went ahead.

Staff save a procedure with a hard stop found after it was done as awaiting a physician's
override (services.procedure_record(awaiting_override=True)); it counts in nothing until a
physician writes the reason here. The version the page was opened at guards the write; the
procedure's and the screening's histories keep the before and after.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from blocks import services
from blocks.forms import show_service_errors
from blocks.forms.labels import label
from blocks.models import Procedure
from blocks.models.base import INT_MAX
from blocks.templatetags.overrides import hard_stop_words
from blocks.views.access import clinical_page


class OverrideForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=INT_MAX)
    override_reason = forms.CharField(
        label="Why the procedure went ahead",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write why the procedure went ahead despite the hard stop."},
        help_text="Kept with the screening, with your name and the time.",
    )


@clinical_page(physician=True)
def procedure_override(request, pk: int):
    procedure = get_object_or_404(
        Procedure.objects.select_related("episode__patient", "performed_by", "screening"), pk=pk
    )
    form = OverrideForm(
        request.POST if request.method == "POST" else None,
        initial={"version": procedure.version},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if procedure.awaiting_override and form.is_valid():
            try:
                services.procedure_override(
                    procedure=procedure,
                    expected_version=form.cleaned_data["version"],
                    overridden_by=request.user,
                    override_reason=form.cleaned_data["override_reason"],
                )
            except services.StaleVersion:
                messages.error(request, "The procedure changed since you opened it; see it now.")
                return redirect("procedure-override", pk=procedure.pk)
            except ValidationError as error:
                show_service_errors(form, error)
            else:
                messages.success(
                    request, f"Override recorded: the {label(procedure.kind).lower()} now counts."
                )
                return redirect(
                    f"{reverse('episode-detail', args=[procedure.episode_id])}"
                    f"#procedure-{procedure.pk}"
                )
    patient = procedure.episode.patient
    return render(
        request,
        "blocks/procedure_override.html",
        {
            "procedure": procedure,
            "patient": patient,
            "episode": procedure.episode,
            "what": f"{label(procedure.side)} {label(procedure.kind).lower()} at "
            f"{', '.join(procedure.levels or ())}",
            "hard_stops": hard_stop_words(procedure),
            "performer": procedure.performed_by.get_full_name()
            or procedure.performed_by.get_username(),
            "form": form,
        },
        status=status,
    )
