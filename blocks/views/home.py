"""The front door: each role's home page, and the guideline profile switcher."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from blocks.forms import ProfileForm
from blocks.services.roles import CLINIC_STAFF, QUALITY, clinical_roles, is_physician
from blocks.views.access import safe_next

REPORTS_PATH = "/reports/"


@login_required
def home(request):
    """Physicians start at their worklist, staff at the patients, quality at the reports."""
    user = request.user
    if is_physician(user):
        return redirect("worklist")
    roles = clinical_roles(user)
    if CLINIC_STAFF in roles:
        return redirect("patient-list")
    if QUALITY in roles:
        return redirect(REPORTS_PATH)
    raise PermissionDenied("Your account has no clinic role yet; ask an administrator.")


@login_required
@require_POST
def profile_switch(request):
    """Remember the chosen guideline profile for the rest of the session."""
    form = ProfileForm(request.POST)
    destination = safe_next(request, request.POST.get("next"), "/")
    if form.is_valid():
        request.session["profile"] = form.cleaned_data["profile"]
        messages.info(request, f"Guideline profile: {form.cleaned_data['profile']}.")
    else:
        messages.error(request, "Unknown guideline profile; nothing was changed.")
    return redirect(destination)
