"""The front door: each role's home page, and the guideline profile switcher."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from blocks.forms import ProfileForm
from blocks.policy import home_of
from blocks.views.access import safe_next

REPORTS_PATH = "/reports/"


@login_required
def home(request):
    """Physicians start at their worklist, staff at Today's blocks, quality at the reports."""
    destination = {"worklist": "worklist", "today": "today", "reports": REPORTS_PATH}
    where = home_of(request.user)
    if where is not None:
        return redirect(destination[where])
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
