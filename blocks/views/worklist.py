"""The physician's worklist of undecided suggestions, and recording a decision.

The suggestions of every open episode are computed in Python from one query of
their procedures (findings prefetched) and one query of the decisions, so the
page costs the same number of queries for 1 episode as for 200.
"""

from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.shortcuts import redirect as redirect_to
from django.urls import reverse

from blocks import services
from blocks.adapters import to_blocks
from blocks.forms import DecisionForm, WorklistFilterForm, show_service_errors
from blocks.forms.labels import label
from blocks.models import Decision, Episode, Procedure
from blocks.policy import PHYSICIAN
from blocks.rules import Profile, suggest_next_steps
from blocks.views.access import active_profile, clinical_page, safe_next
from blocks.views.episodes import episode_page_context
from blocks.views.readings import SuggestionCard, suggestion_cards

PAGE_SIZE = 25


@dataclass
class WorklistRow:
    episode: Episode
    latest: object
    physician_ids: set[int]
    physicians: list[str]
    cards: list[SuggestionCard] = field(default_factory=list)

    @property
    def words(self) -> str:
        e = self.episode
        return f"{label(e.region)}, {label(e.side).lower()}, {label(e.pain_pattern).lower()}"


def _open_procedures():
    return (
        Procedure.objects.active()
        .filter(episode__entered_in_error=False, episode__patient__entered_in_error=False)
        .select_related("episode__patient", "performed_by", "screening")
        .prefetch_related("pain_scores", "discs", "follow_ups")
        .order_by("episode_id", "performed_at", "id")
    )


def worklist_rows(profile: Profile) -> list[WorklistRow]:
    """Episodes with at least one current suggestion that has no decision, newest first."""
    by_episode: dict[int, list[Procedure]] = {}
    for procedure in _open_procedures():
        by_episode.setdefault(procedure.episode_id, []).append(procedure)
    decided: dict[int, set[str]] = {}
    for episode_id, fingerprint in Decision.objects.for_episodes(by_episode).values_list(
        "episode_id", "fingerprint"
    ):
        decided.setdefault(episode_id, set()).add(fingerprint)
    rows = []
    for episode_id, procedures in by_episode.items():
        cards = suggestion_cards(
            suggest_next_steps(to_blocks(procedures), profile),
            procedures={p.pk: p for p in procedures},
            decisions={},
        )
        undecided = [c for c in cards if c.fingerprint not in decided.get(episode_id, ())]
        if not undecided:
            continue
        performers = {p.performed_by_id: p.performed_by for p in procedures}
        rows.append(
            WorklistRow(
                episode=procedures[0].episode,
                latest=max(p.performed_at for p in procedures),
                physician_ids=set(performers),
                physicians=sorted(
                    u.get_full_name() or u.get_username() for u in performers.values()
                ),
                cards=undecided,
            )
        )
    rows.sort(key=lambda row: (row.latest, row.episode.pk), reverse=True)
    return rows


@clinical_page(physician=True)
def worklist(request):
    profile = active_profile(request)
    rows = worklist_rows(profile)
    physicians = list(
        get_user_model().objects.filter(groups__name=PHYSICIAN).order_by("last_name", "username")
    )
    filters = WorklistFilterForm(request.GET or None, physicians=physicians, counts={})
    chosen = filters.cleaned_data if filters.is_valid() else {}
    if chosen.get("physician"):
        rows = [row for row in rows if chosen["physician"] in row.physician_ids]
    counts = Counter(card.code for row in rows for card in row.cards)
    filters = WorklistFilterForm(request.GET or None, physicians=physicians, counts=counts)
    if chosen.get("code"):
        rows = [row for row in rows if any(card.code == chosen["code"] for card in row.cards)]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page.object_list:
        for card in row.cards:
            card.form = DecisionForm(initial={"fingerprint": card.fingerprint})
    return render(
        request,
        "blocks/worklist.html",
        {
            "filters": filters,
            "page": page,
            "rows": page.object_list,
            "total": len(rows),
            "counts": [(code, label(code), n) for code, n in sorted(counts.items())],
            "chosen_code": chosen.get("code", ""),
            "profile": profile,
            "query": request.GET.urlencode(),
            "filter_query": urlencode(
                {key: value for key, value in chosen.items() if value not in (None, "")}
            ),
        },
    )


@clinical_page(physician=True)
def episode_decisions(request, pk):
    """GET shows the episode's undecided suggestions; POST accepts or declines one."""
    episode = get_object_or_404(Episode.objects.select_related("patient"), pk=pk)
    episode_url = reverse("episode-detail", args=[episode.pk])
    status = 200
    failed = None
    if request.method == "POST":
        failed = DecisionForm(request.POST)
        if failed.is_valid():
            data = failed.cleaned_data
            try:
                decision = services.decision_record(
                    episode=episode,
                    fingerprint=data["fingerprint"],
                    status=data["status"],
                    reason=data["reason"],
                    decided_by=request.user,
                    profile=active_profile(request).name,
                )
            except ValidationError as error:
                show_service_errors(failed, error)
            else:
                messages.success(
                    request,
                    f"{label(decision.code)} {decision.status} for episode {episode.pk} "
                    f"(patient {episode.patient.mrn}).",
                )
                return redirect_to(safe_next(request, request.POST.get("next"), episode_url))
        status = 400
    context = episode_page_context(request, episode)
    undecided = [card for card in context["suggestions"] if card.decision is None]
    for card in undecided:
        posted = failed is not None and failed.data.get("fingerprint") == card.fingerprint
        card.form = failed if posted else DecisionForm(initial={"fingerprint": card.fingerprint})
    stale = failed is not None and not any(card.form is failed for card in undecided)
    return render(
        request,
        "blocks/decisions.html",
        {**context, "undecided": undecided, "failed": failed if stale else None},
        status=status,
    )
