"""Logging a procedure and correcting it: one form, one page.

Creating takes the screening, diary grid and disc grid in one go. Editing opens the same
form filled from the record at its version; only what the user changed is sent to the
services, a stale version answers 409 with the stored record in the page, and diary scores
are corrected, withdrawn (entered in error) or added in the same submit. The edit page is
for staff, physicians and superusers (quality gets a 403; anonymous visitors sign in first).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from blocks import selectors, services
from blocks.audit.history import last_change
from blocks.formats import clinic_format
from blocks.forms import ProcedureForm, diary_formset, disc_formset, show_service_errors
from blocks.forms.labels import label
from blocks.forms.procedures import kinds_for_region, stored_values
from blocks.forms.repeat import Repeat, repeat_of
from blocks.models import Episode, Procedure
from blocks.models.base import INT_MAX
from blocks.models.measured import split_measured
from blocks.policy import is_physician, may_edit_records
from blocks.rules import vocab
from blocks.views.access import active_profile, clinical_page
from tracker.session_keep import keeps_form, kept_form


def _episode_words(episode: Episode) -> str:
    return (
        f"{label(episode.region).lower()}, {label(episode.side).lower()}, "
        f"{label(episode.pain_pattern).lower()}"
    )


def _episode_anchor(procedure: Procedure) -> str:
    return f"{reverse('episode-detail', args=[procedure.episode_id])}#procedure-{procedure.pk}"


def _page(request, *, episode, form, diary, discs=None, status=200, **extra):
    context = {
        "episode": episode,
        "patient": episode.patient,
        "episode_words": _episode_words(episode),
        "form": form,
        "diary": diary,
        "discs": discs,
        "diary_errors": [],
        "disc_errors": [],
        "discography": vocab.DISCOGRAPHY,
        "is_physician": is_physician(request.user),
        "cancel_url": reverse("episode-detail", args=[episode.pk]),
        **extra,
    }
    return render(request, "blocks/procedure_form.html", context, status=status)


@keeps_form
@clinical_page(write=True)
def procedure_create(request, pk):
    episode = get_object_or_404(Episode.objects.select_related("patient"), pk=pk)
    if episode.entered_in_error or episode.patient.entered_in_error:
        messages.error(request, "This episode was entered in error; it takes no procedures.")
        return redirect("episode-detail", pk=episode.pk)
    # A form kept across a sign-in is shown filled in, never saved without a click.
    data = request.POST if request.method == "POST" else kept_form(request)
    repeat = _repeat(request, episode)
    kind = request.GET.get("kind") or (repeat.source.kind if repeat else None)
    if kind not in kinds_for_region(episode.region):
        kind = None
    form = ProcedureForm(
        data,
        episode=episode,
        user=request.user,
        # Nothing else is filled in: when the block was done and by whom are clinical facts
        # too (a block logged the next morning must not keep the time the form was opened).
        initial=repeat.initial if repeat else {},
        narrow_kind=kind,
    )
    if repeat is not None:
        form.mark_carried(repeat.carried)
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
                if procedure.awaiting_override:
                    messages.warning(
                        request,
                        f"{label(procedure.kind)} saved as awaiting a physician's override: "
                        "it is read by nothing, and shown to physicians as urgent, until one "
                        "records why it went ahead.",
                    )
                else:
                    messages.success(request, f"{label(procedure.kind)} recorded.")
                return redirect(_episode_anchor(procedure))
    return _page(
        request,
        episode=episode,
        form=form,
        diary=diary,
        discs=discs,
        diary_errors=grid_errors.get("pain_scores", []),
        disc_errors=grid_errors.get("discs", []),
        repeat=repeat,
        narrowed_kind=label(kind) if kind else "",
        kinds=[(k, label(k)) for k in kinds_for_region(episode.region)],
    )


def _repeat(request, episode: Episode) -> Repeat | None:
    """?repeat=<id>: the block of this episode to repeat, with the episode's next steps."""
    wanted = request.GET.get("repeat")
    if not wanted:
        return None
    source = (
        Procedure.objects.active().filter(episode=episode, pk=wanted).first()
        if wanted.isdigit() and int(wanted) <= INT_MAX
        else None
    )
    if source is None:
        messages.warning(
            request,
            "The block to repeat (repeat) is not a standing block of this episode; "
            "nothing was carried over.",
        )
        return None
    steps = selectors.episode_next_steps(episode, profile=active_profile(request))
    return repeat_of(source, steps.suggestions)


def _editable(pk: int) -> Procedure:
    return get_object_or_404(
        Procedure.objects.select_related("episode__patient", "performed_by", "screening"), pk=pk
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def procedure_edit(request, pk: int):
    if not may_edit_records(request.user):
        raise PermissionDenied("Only clinic staff and physicians edit procedures.")
    procedure = _editable(pk)
    episode = procedure.episode
    if procedure.entered_in_error or episode.entered_in_error or episode.patient.entered_in_error:
        return _edit_page(request, procedure, None, None, status=409, entered_in_error=True)
    data = request.POST if request.method == "POST" else None
    form = ProcedureForm(data, episode=episode, user=request.user, procedure=procedure)
    diary = diary_formset(data, procedure=procedure)
    if request.method != "POST":
        return _edit_page(request, procedure, form, diary)
    if not all([form.is_valid(), diary.is_valid()]):
        return _edit_page(request, procedure, form, diary, status=400)
    try:
        updated = _save_edit(request.user, procedure, form, diary)
    except services.StaleVersion as stale:
        return _conflict_page(request, procedure, stale, form)
    except _RowRefused as refused:
        show_service_errors(refused.row, refused.error)
        return _edit_page(request, procedure, form, diary, status=400)
    except ValidationError as error:
        diary_errors = show_service_errors(form, error, elsewhere=("pain_scores",))
        return _edit_page(
            request,
            procedure,
            form,
            diary,
            status=400,
            diary_errors=diary_errors.get("pain_scores", []),
        )
    messages.success(request, f"{label(updated.kind)} saved (version {updated.version}).")
    return redirect(_episode_anchor(updated))


class _RowRefused(Exception):
    """A diary row the services refused; everything of the submit is rolled back."""

    def __init__(self, row, error: ValidationError):
        self.row = row
        self.error = error


@transaction.atomic
def _save_edit(user, procedure: Procedure, form: ProcedureForm, diary) -> Procedure:
    """The procedure's changes, then each diary row's: all of them or none."""
    data = form.cleaned_data
    edit = {"measured": form.changes()}
    if form.performer_changed():
        edit["performed_by"] = data["performed_by"]
    if form.screening_changed():
        edit["contraindications"] = data["contraindications"]
    updated = procedure
    if edit["measured"] or len(edit) > 1:
        updated = services.procedure_update(
            procedure=procedure,
            expected_version=data["version"],
            updated_by=user,
            override_reason=data.get("override_reason", ""),
            **edit,
        )
    elif data["version"] != procedure.version:
        raise services.StaleVersion(procedure, expected_version=data["version"])
    forms_and_rows = [(row, change) for row in diary.forms if (change := _grid_row(row))]
    try:
        services.pain_scores_save(
            procedure=procedure,
            rows=[change for _, change in forms_and_rows],
            recorded_by=user,
        )
    except services.ScoreRowsRefused as refused:
        index, error = next(iter(sorted(refused.rows.items())))
        for other, other_error in refused.rows.items():
            if other != index:
                show_service_errors(forms_and_rows[other][0], other_error)
        raise _RowRefused(forms_and_rows[index][0], error) from refused
    return Procedure.objects.get(pk=updated.pk)


def _grid_row(row) -> dict | None:
    """One grid row as services.pain_scores_save takes it (None for an untouched row)."""
    change = row.as_correction()
    if change and "mark" in change:
        return {"mark": change["score"], "version": change["version"], "reason": change["mark"]}
    if change:
        return {
            "correct": change["score"],
            "version": change["version"],
            "values": change["values"],
        }
    if new := row.as_score():
        return {"add": new}
    return None


def _edit_page(request, procedure, form, diary, *, status=200, **extra):
    return _page(
        request,
        episode=procedure.episode,
        form=form,
        diary=diary,
        status=status,
        procedure=procedure,
        procedure_words=f"{label(procedure.kind)}, {label(procedure.side).lower()} "
        f"{', '.join(procedure.levels or ())}, {clinic_format(procedure.performed_at)}",
        editing=True,
        discs_stored=list(procedure.discs.all()),
        **extra,
    )


def _conflict_page(request, opened: Procedure, stale, submitted: ProcedureForm):
    """409: the form again, filled from the stored record and its versions, with the user's
    values beside the stored ones; nothing was overwritten."""
    current = _editable(opened.pk)
    change = last_change(stale.current)
    form = ProcedureForm(None, episode=current.episode, user=request.user, procedure=current)
    diary = diary_formset(None, procedure=current)
    return _edit_page(
        request,
        current,
        form,
        diary,
        status=409,
        conflict={
            "by": change.by if change else None,
            "at": change.at if change else None,
            "what": "This procedure"
            if isinstance(stale.current, Procedure)
            else "A diary score of this procedure",
            "your_changes": submitted.changed_labels(stored_values(current)),
        },
    )
