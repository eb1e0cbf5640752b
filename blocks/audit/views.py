"""Pages: a record's audit trail, and editing a procedure without overwriting anybody.

History pages are for physicians, quality and superusers (staff get a 403, as in the API);
the edit page is for staff, physicians and superusers. Anonymous visitors are sent to
the sign-in page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from blocks import services
from blocks.audit.forms import ProcedureEditForm
from blocks.audit.history import episode_history, last_change, patient_history, procedure_history
from blocks.models import Episode, Patient, Procedure
from blocks.policy import may_edit_records, may_read_history

# The clinic pages' own URL names for a record, where they exist (tried in order).
_RECORD_PAGES = {
    "procedure": ("procedure-detail", "pages:procedure-detail"),
    "patient": ("patient-detail", "pages:patient-detail"),
    "episode": ("episode-detail", "pages:episode-detail"),
}


def record_page_url(record: str, pk: int) -> str | None:
    for name in _RECORD_PAGES[record]:
        try:
            return reverse(name, args=[pk])
        except NoReverseMatch:
            continue
    return None


def _history_page(request, *, record: str, title: str, instance, entries):
    if not may_read_history(request.user):
        raise PermissionDenied("Only physicians and the quality team read the audit trail.")
    context = {
        "title": title,
        "record": record,
        "instance": instance,
        "entries": entries,
        "record_url": record_page_url(record, instance.pk),
        "edit_url": (
            reverse("audit:procedure-edit", args=[instance.pk])
            if record == "procedure" and may_edit_records(request.user)
            else None
        ),
    }
    return render(request, "audit/history.html", context)


@login_required
@require_http_methods(["GET", "HEAD"])
def procedure_history_page(request, pk: int):
    procedure = get_object_or_404(Procedure.objects.select_related("episode__patient"), pk=pk)
    return _history_page(
        request,
        record="procedure",
        title=f"History of procedure {procedure.pk}",
        instance=procedure,
        entries=procedure_history(procedure) if may_read_history(request.user) else [],
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def patient_history_page(request, pk: int):
    patient = get_object_or_404(Patient, pk=pk)
    return _history_page(
        request,
        record="patient",
        title=f"History of patient {patient.mrn}",
        instance=patient,
        entries=patient_history(patient) if may_read_history(request.user) else [],
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def episode_history_page(request, pk: int):
    episode = get_object_or_404(Episode.objects.select_related("patient"), pk=pk)
    return _history_page(
        request,
        record="episode",
        title=f"History of episode {episode.pk}",
        instance=episode,
        entries=episode_history(episode) if may_read_history(request.user) else [],
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def procedure_edit_page(request, pk: int):
    if not may_edit_records(request.user):
        raise PermissionDenied("Only clinic staff and physicians edit procedures.")
    procedure = get_object_or_404(Procedure.objects.select_related("episode__patient"), pk=pk)
    if procedure.entered_in_error:
        return _edit_page(request, procedure, None, status=409, entered_in_error=True)
    if request.method != "POST":
        return _edit_page(request, procedure, ProcedureEditForm(initial=_initial(procedure)))

    form = ProcedureEditForm(request.POST, initial=_initial(procedure))
    if not form.is_valid():
        return _edit_page(request, procedure, form, status=400)
    try:
        updated = services.procedure_update(
            procedure=procedure,
            expected_version=form.cleaned_data["version"],
            updated_by=request.user,
            override_reason=form.cleaned_data["override_reason"],
            measured=form.changes(),
        )
    except services.StaleVersion as stale:
        return _conflict_page(request, stale, form)
    except ValidationError as error:
        form.add_service_errors(error)
        return _edit_page(request, procedure, form, status=400)
    messages.success(request, f"Procedure {updated.pk} saved (version {updated.version}).")
    return redirect(
        record_page_url("procedure", updated.pk) or reverse("audit:procedure-edit", args=[pk])
    )


def _initial(procedure: Procedure) -> dict:
    initial = ProcedureEditForm.initial_for(procedure)
    initial["performed_at"] = timezone.localtime(procedure.performed_at)
    return initial


def _edit_page(request, procedure, form, *, status=200, **extra):
    context = {
        "procedure": procedure,
        "form": form,
        "record_url": record_page_url("procedure", procedure.pk),
        **extra,
    }
    return render(request, "audit/procedure_edit.html", context, status=status)


def _conflict_page(request, stale: services.StaleVersion, submitted: ProcedureEditForm):
    """409: the form again with the stored record and its version, the user's values beside it."""
    current = stale.current
    change = last_change(current)
    fresh = ProcedureEditForm(initial=_initial(current))
    theirs = _initial(current)
    yours = [
        {
            "field": submitted.fields[name].label or name.replace("_", " ").capitalize(),
            "yours": submitted.fields[name].prepare_value(submitted.cleaned_data[name]),
            "stored": submitted.fields[name].prepare_value(theirs[name]),
        }
        for name in ProcedureEditForm.EDITABLE
        if submitted.cleaned_data[name] != theirs[name]
    ]
    return _edit_page(
        request,
        current,
        fresh,
        status=409,
        conflict={
            "by": change.by if change else None,
            "at": change.at if change else None,
            "your_changes": yours,
        },
    )
