"""The episode page (timeline, diary charts, next steps, decisions) and the findings added to it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from blocks import selectors, services
from blocks.adapters import to_blocks
from blocks.forms import ComplicationForm, DecisionForm, PainScoreForm, show_service_errors
from blocks.forms.labels import label
from blocks.models import Episode, Procedure
from blocks.policy import is_physician
from blocks.rules import suggest_next_steps, vocab
from blocks.views.access import active_profile, can_write, clinical_page
from blocks.views.readings import procedure_card, suggestion_cards, target_words, when
from tracker.session_keep import keeps_form, kept_form


def episode_page_context(request, episode: Episode) -> dict:
    """Everything the episode page shows, in a fixed number of queries."""
    profile = active_profile(request)
    procedures = list(
        selectors.procedure_list().filter(episode=episode).order_by("performed_at", "id")
    )
    readings = selectors.procedure_interpretations(procedures, profile=profile)
    decisions = list(episode.decisions.select_related("decided_by"))
    by_fingerprint = {decision.fingerprint: decision for decision in decisions}
    cards = suggestion_cards(
        suggest_next_steps(to_blocks(procedures), profile),
        procedures={p.pk: p for p in procedures},
        decisions=by_fingerprint,
    )
    current = {card.fingerprint for card in cards}
    open_episode = not (episode.entered_in_error or episode.patient.entered_in_error)
    writer = can_write(request.user) and open_episode
    procedure_cards = [procedure_card(p, readings[p.pk], profile) for p in procedures]
    if writer:
        for card in procedure_cards:
            pk = card.procedure.pk
            card.score_form = PainScoreForm(auto_id=f"id_p{pk}_score_%s")
            card.complication_form = ComplicationForm(auto_id=f"id_p{pk}_complication_%s")
    return {
        "episode": episode,
        "patient": episode.patient,
        "episode_words": f"{label(episode.region)}, {label(episode.side).lower()}, "
        f"{label(episode.pain_pattern).lower()}",
        "profile": profile,
        "procedures": procedure_cards,
        "suggestions": cards,
        "decisions": [
            {
                "row": d,
                "title": label(d.code),
                "target": target_words(d.side, d.levels),
                "when": when(d.decided_at),
                "by": d.decided_by.get_full_name() or d.decided_by.get_username(),
                "current": d.fingerprint in current,
            }
            for d in decisions
        ],
        "can_write": writer,
        # The RFA prior-authorization packet (blocks/sharing): for staff and physicians.
        "prior_authorization": writer and any(card.code == vocab.RFA for card in cards),
        "can_decide": is_physician(request.user) and open_episode,
        "decision_form": DecisionForm(),
    }


@clinical_page()
def episode_detail(request, pk):
    episode = get_object_or_404(Episode.objects.select_related("patient"), pk=pk)
    return render(request, "blocks/episode_detail.html", episode_page_context(request, episode))


def _procedure_for_finding(pk) -> Procedure:
    return get_object_or_404(
        Procedure.objects.active().select_related("episode__patient", "performed_by"), pk=pk
    )


def _finding_view(request, pk, *, form_class, service, noun: str, template: str):
    procedure = _procedure_for_finding(pk)
    form = form_class(request.POST or kept_form(request))
    if request.method == "POST" and form.is_valid():
        try:
            service(procedure=procedure, **form.cleaned_data, recorded_by=request.user)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, f"{noun} recorded.")
            url = reverse("episode-detail", args=[procedure.episode_id])
            return redirect(f"{url}#procedure-{procedure.pk}")
    return render(
        request,
        template,
        {
            "form": form,
            "procedure": procedure,
            "episode": procedure.episode,
            "title": f"{label(procedure.kind)}, {target_words(procedure.side, procedure.levels)}",
        },
    )


@keeps_form
@clinical_page(write=True)
def pain_score_create(request, pk):
    return _finding_view(
        request,
        pk,
        form_class=PainScoreForm,
        service=services.pain_score_add,
        noun="Diary score",
        template="blocks/pain_score_form.html",
    )


@keeps_form
@clinical_page(write=True)
def complication_create(request, pk):
    return _finding_view(
        request,
        pk,
        form_class=ComplicationForm,
        service=services.complication_add,
        noun="Complication",
        template="blocks/complication_form.html",
    )
