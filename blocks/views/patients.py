"""Finding, creating and opening patients; opening an episode of care."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from blocks import services
from blocks.forms import EpisodeForm, PatientForm, PatientSearchForm, show_service_errors
from blocks.forms.labels import label
from blocks.models import Patient
from blocks.views.access import clinical_page
from tracker.session_keep import keeps_form, kept_form

RECENT_PATIENTS = 25


@clinical_page()
def patient_list(request):
    search = PatientSearchForm(request.GET or None)
    mrn = search.cleaned_data["mrn"].strip() if search.is_valid() else ""
    if mrn:
        patients = list(Patient.objects.active().with_mrn(mrn))
        heading = f"Patients with MRN {mrn}"
    else:
        patients = list(Patient.objects.active().order_by("-created_at", "-id")[:RECENT_PATIENTS])
        heading = "Recent patients"
    return render(
        request,
        "blocks/patient_list.html",
        {
            "search": search,
            "mrn": mrn,
            "patients": [{"row": p, "sex": label(p.sex)} for p in patients],
            "heading": heading,
        },
    )


@keeps_form
@clinical_page(write=True)
def patient_create(request):
    form = PatientForm(
        request.POST or kept_form(request), initial={"mrn": request.GET.get("mrn", "")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            patient = services.patient_create(**form.cleaned_data, created_by=request.user)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, f"Patient {patient.mrn} created.")
            return redirect("patient-detail", pk=patient.pk)
    return render(request, "blocks/patient_form.html", {"form": form})


@clinical_page()
def patient_detail(request, pk):
    patient = get_object_or_404(Patient, pk=pk)
    episodes = patient.episodes.active().annotate(
        procedure_count=Count("procedures", filter=Q(procedures__entered_in_error=False))
    )
    return render(
        request,
        "blocks/patient_detail.html",
        {
            "patient": patient,
            "sex": label(patient.sex),
            "episodes": [
                {
                    "row": e,
                    "words": f"{label(e.region)}, {label(e.side).lower()}, "
                    f"{label(e.pain_pattern).lower()}",
                }
                for e in episodes
            ],
        },
    )


@keeps_form
@clinical_page(write=True)
def episode_create(request, pk):
    patient = get_object_or_404(Patient, pk=pk)
    form = EpisodeForm(request.POST or kept_form(request))
    if request.method == "POST" and form.is_valid():
        try:
            episode = services.episode_create(
                patient=patient, **form.cleaned_data, created_by=request.user
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, "Episode opened.")
            return redirect(reverse("episode-detail", args=[episode.pk]))
    return render(request, "blocks/episode_form.html", {"form": form, "patient": patient})
