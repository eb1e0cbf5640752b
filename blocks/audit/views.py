"""Pages: a record's audit trail.

History pages are for physicians, quality and superusers (staff get a 403, as in the API).
Anonymous visitors are sent to the sign-in page. Editing a procedure is the procedure form's
second use (blocks/views/procedures.py), mounted here as `audit:procedure-edit`.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods

from blocks.audit.history import episode_history, patient_history, procedure_history
from blocks.audit.words import shown_entries
from blocks.formats import clinic_format
from blocks.forms.labels import label
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
        "entries": shown_entries(entries),
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
        title=f"History: {label(procedure.side).lower()} {label(procedure.kind).lower()} at "
        f"{', '.join(procedure.levels or ())}, {clinic_format(procedure.performed_at)}",
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
        title=f"History: {label(episode.region).lower()}, {label(episode.side).lower()}, "
        f"{label(episode.pain_pattern).lower()} episode of patient {episode.patient.mrn}, "
        f"opened {clinic_format(episode.opened_at, with_time=False)}",
        instance=episode,
        entries=episode_history(episode) if may_read_history(request.user) else [],
    )
