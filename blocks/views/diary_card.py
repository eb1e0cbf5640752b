"""Handing the diary to the patient: the link to copy and the printable diary card.

Staff press "Give the patient a diary link" on the procedure (episode page or diary grid): the
answer to that POST is the only place the link is ever shown, as text to copy into the
clinic's own messaging and as a QR code on a one-page diary card (the time points as clock
times, a 0-10 box and a % relief box per row, the instructions). The token is not stored; a
reload of the page cannot show it again (a new link is made instead, which withdraws the old).
The card without a link (GET) is the same paper for a patient without a phone.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from blocks import patient_diary, services
from blocks.models import Procedure
from blocks.qr import qr_svg
from blocks.services.diary import DiaryConflict
from blocks.services.records import MarkedEnteredInError
from blocks.views.access import clinical_page
from blocks.views.diaries import block_words


def _procedure(pk: int) -> Procedure:
    return get_object_or_404(Procedure.objects.select_related("episode__patient"), pk=pk)


def _card(request, procedure: Procedure, *, url: str = "", link=None, problem="", status=200):
    response = render(
        request,
        "blocks/diary_card.html",
        {
            "procedure": procedure,
            "patient": procedure.episode.patient,
            "staff_words": block_words(procedure),
            "words": patient_diary.patient_words(procedure),
            "points": patient_diary.time_points(procedure),
            "instructions": patient_diary.INSTRUCTIONS,
            "url": url,
            "qr": qr_svg(url) if url else "",
            "link": link,
            "until": timezone.localtime(link.expires_at) if link else None,
            "problem": problem,
            "state": procedure.diary_state(),
        },
        status=status,
    )
    response["Cache-Control"] = "no-store"  # the link is in this answer only
    return response


@clinical_page(write=True)
def diary_card(request, pk: int):
    """GET: the card with no link (for paper only). POST: make the link and show it once."""
    procedure = _procedure(pk)
    if request.method != "POST":
        return _card(request, procedure)
    try:
        link, token = services.diary_link_create(procedure=procedure, created_by=request.user)
    except DiaryConflict as refusal:
        return _card(request, procedure, problem=str(refusal), status=409)
    except MarkedEnteredInError as marked:
        return _card(request, procedure, problem=marked.messages[0], status=409)
    except ValidationError as refused:
        return _card(request, procedure, problem=" ".join(refused.messages), status=400)
    url = patient_diary.patient_url(request, token)
    return _card(request, link.procedure, url=url, link=link)


@require_POST
@clinical_page(write=True)
def diary_link_revoke(request, pk: int):
    """Withdraw the standing link: the patient's page then says it no longer works."""
    procedure = _procedure(pk)
    try:
        withdrawn = services.diary_link_revoke(procedure=procedure, revoked_by=request.user)
    except MarkedEnteredInError as marked:
        messages.error(request, marked.messages[0])
        return redirect("procedure-diary", pk=procedure.pk)
    if withdrawn:
        messages.success(request, "The patient's diary link was withdrawn; it no longer works.")
    else:
        messages.info(request, "There was no patient diary link to withdraw.")
    return redirect("procedure-diary", pk=procedure.pk)
