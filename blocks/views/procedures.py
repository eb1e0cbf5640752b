"""Logging a procedure with its screening, diary grid and disc grid, all in one go."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from blocks import services
from blocks.forms import ProcedureForm, diary_formset, disc_formset, show_service_errors
from blocks.forms.labels import label
from blocks.models import Episode
from blocks.models.measured import split_measured
from blocks.policy import is_physician
from blocks.rules import vocab
from blocks.views.access import clinical_page
from tracker.session_keep import keeps_form, kept_form


@keeps_form
@clinical_page(write=True)
def procedure_create(request, pk):
    episode = get_object_or_404(Episode.objects.select_related("patient"), pk=pk)
    if episode.entered_in_error or episode.patient.entered_in_error:
        messages.error(request, "This episode was entered in error; it takes no procedures.")
        return redirect("episode-detail", pk=episode.pk)
    # A form kept across a sign-in is shown filled in, never saved without a click.
    data = request.POST if request.method == "POST" else kept_form(request)
    form = ProcedureForm(
        data,
        episode=episode,
        user=request.user,
        # Only who and when are filled in; every clinical answer is the user's own choice.
        initial={
            "performed_at": timezone.localtime().replace(second=0, microsecond=0),
            "performed_by": request.user.pk if is_physician(request.user) else None,
        },
    )
    diary = diary_formset(data)
    discs = disc_formset(data, region=episode.region)
    grid_errors: dict[str, list[str]] = {}
    if request.method == "POST":
        valid = [form.is_valid(), diary.is_valid(), discs.is_valid()]
        if all(valid):
            try:
                measured, rest = split_measured(form.cleaned_data)
                procedure = services.procedure_record(
                    episode=episode,
                    measured=measured,
                    **rest,
                    recorded_by=request.user,
                    pain_scores=[row for f in diary.forms if (row := f.as_score())],
                    discs=[row for f in discs.forms if (row := f.as_disc())],
                )
            except ValidationError as error:
                grid_errors = show_service_errors(form, error, elsewhere=("pain_scores", "discs"))
            else:
                messages.success(request, f"{label(procedure.kind)} recorded.")
                url = reverse("episode-detail", args=[episode.pk])
                return redirect(f"{url}#procedure-{procedure.pk}")
    return render(
        request,
        "blocks/procedure_form.html",
        {
            "episode": episode,
            "patient": episode.patient,
            "episode_words": f"{label(episode.region).lower()}, {label(episode.side).lower()}, "
            f"{label(episode.pain_pattern).lower()}",
            "form": form,
            "diary": diary,
            "discs": discs,
            "diary_errors": grid_errors.get("pain_scores", []),
            "disc_errors": grid_errors.get("discs", []),
            "discography": vocab.DISCOGRAPHY,
            "is_physician": is_physician(request.user),
        },
    )
