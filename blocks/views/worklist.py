"""The physician's worklist of undecided suggestions, and recording a decision.

Which episodes await a decision, their order, the page and the counts come from the
stored suggestions in SQL (reports.store.worklist); only the page's own episodes are
then loaded and their cards built, so the page costs the same for 30 episodes as for
50,000. A physician starts on their own worklist; "All physicians" is one click away.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import get_object_or_404, render
from django.shortcuts import redirect as redirect_to
from django.urls import Resolver404, resolve, reverse

from blocks import services
from blocks.adapters import to_blocks
from blocks.forms import DecisionForm, WorklistFilterForm, show_service_errors
from blocks.forms.labels import label
from blocks.models import Decision, Episode, Procedure
from blocks.policy import PHYSICIAN, STAFF_TASK_CODES, is_physician
from blocks.rules import Profile, suggest_next_steps
from blocks.views.access import active_profile, clinical_page, safe_next
from blocks.views.episodes import episode_page_context
from blocks.views.readings import SuggestionCard, suggestion_cards
from reports.store import worklist as store

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


def _page_procedures(episode_ids):
    return (
        Procedure.objects.active()
        .filter(episode_id__in=episode_ids)
        .select_related("episode__patient", "performed_by", "screening")
        .prefetch_related("pain_scores", "discs", "follow_ups")
        .order_by("episode_id", "performed_at", "id")
    )


def page_rows(episode_ids: list[int], profile: Profile) -> list[WorklistRow]:
    """The cards of these episodes only (one page), in the order given.

    The engine reads the page's episodes again so each card says exactly what the episode
    page says (rationale, source, agent); staff tasks and decided suggestions are left out.
    """
    by_episode: dict[int, list[Procedure]] = {pk: [] for pk in episode_ids}
    for procedure in _page_procedures(episode_ids):
        by_episode[procedure.episode_id].append(procedure)
    decided: dict[int, set[str]] = {}
    for episode_id, fingerprint in Decision.objects.for_episodes(episode_ids).values_list(
        "episode_id", "fingerprint"
    ):
        decided.setdefault(episode_id, set()).add(fingerprint)
    rows = []
    for episode_id in episode_ids:
        procedures = by_episode[episode_id]
        if not procedures:
            continue
        cards = suggestion_cards(
            suggest_next_steps(to_blocks(procedures), profile),
            procedures={p.pk: p for p in procedures},
            decisions={},
        )
        undecided = [
            c
            for c in cards
            if c.fingerprint not in decided.get(episode_id, ()) and c.code not in STAFF_TASK_CODES
        ]
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
    return rows


def _filters(request, params: QueryDict, physicians: list) -> dict:
    """The chosen code, physician and page. With no physician in the address, a physician
    sees their own worklist; `physician=` (empty) is every physician's."""
    params = params.copy()
    if "physician" not in params and is_physician(request.user):
        if any(user.pk == request.user.pk for user in physicians):
            params["physician"] = str(request.user.pk)
    form = WorklistFilterForm(params or None, physicians=physicians, counts={})
    chosen = form.cleaned_data if form.is_valid() else {}
    return {
        "params": params,
        "code": chosen.get("code") or "",
        "physician": chosen.get("physician") or None,
        "page": params.get("page"),
    }


def worklist_context(request, params: QueryDict, failed: DecisionForm | None = None) -> dict:
    """The worklist as the address `params` asks for; `failed` is a decision form whose
    errors are shown on its own card."""
    profile = active_profile(request)
    unread = store.refresh_unread(profile.name)
    physicians = list(
        get_user_model().objects.filter(groups__name=PHYSICIAN).order_by("last_name", "username")
    )
    chosen = _filters(request, params, physicians)
    physician_id = chosen["physician"]
    current = unread == 0
    counts, total = store.worklist_counts(
        profile.name, physician_id=physician_id, code=chosen["code"], all_current=current
    )
    decided_codes = {c: n for c, n in counts.items() if c not in STAFF_TASK_CODES}
    filters = WorklistFilterForm(chosen["params"], physicians=physicians, counts=decided_codes)
    filters.is_valid()
    episodes = store.worklist_episodes(
        profile.name,
        physician_id=physician_id,
        code=chosen["code"],
        all_current=current,
        count=total,
    )
    page = Paginator(episodes, PAGE_SIZE).get_page(chosen["page"])
    rows = page_rows(list(page.object_list), profile)
    shown = False
    for row in rows:
        for card in row.cards:
            mine = failed is not None and failed.data.get("fingerprint") == card.fingerprint
            shown = shown or mine
            card.form = failed if mine else DecisionForm(initial={"fingerprint": card.fingerprint})
    filter_query = {
        key: value
        for key, value in (("code", chosen["code"]), ("physician", physician_id))
        if value not in (None, "")
    }
    if "physician" in chosen["params"] and physician_id is None:
        filter_query["physician"] = ""
    own = physician_id is not None and physician_id == request.user.pk
    return {
        "filters": filters,
        "page": page,
        "rows": rows,
        "total": page.paginator.count,
        "counts": [(code, label(code), n) for code, n in sorted(decided_codes.items())],
        "staff_tasks": sum(counts.get(code, 0) for code in STAFF_TASK_CODES),
        "unread": unread,
        "chosen_code": chosen["code"],
        "chosen_physician": physician_id,
        "own": own,
        "listed_physician": any(user.pk == request.user.pk for user in physicians),
        "profile": profile,
        # The physician's own list is where the day starts, not a filter.
        "filtered": bool(chosen["code"] or (physician_id and not own)),
        "filter_query": urlencode(filter_query),
        "physician_query": urlencode({"physician": physician_id or ""}),
        "here": reverse("worklist") + (f"?{params.urlencode()}" if params else ""),
        "failed": failed if failed is not None and not shown else None,
    }


@clinical_page(physician=True)
def worklist(request):
    return render(request, "blocks/worklist.html", worklist_context(request, request.GET))


def _worklist_params(candidate: str) -> QueryDict | None:
    """The worklist's query when the `next` address is the worklist, else None."""
    parts = urlsplit(candidate or "")
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    return QueryDict(parts.query) if match.url_name == "worklist" else None


@clinical_page(physician=True)
def episode_decisions(request, pk):
    """GET shows the episode's undecided suggestions; POST accepts or declines one.

    A refused decision posted from the worklist is shown there, on its card, with the
    worklist's filters and page (400); after a decision the user goes back to `next`.
    """
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
                    f"{label(decision.code)} {decision.status} for patient "
                    f"{episode.patient.mrn} ({label(episode.region).lower()}, "
                    f"{label(episode.side).lower()}).",
                )
                return redirect_to(safe_next(request, request.POST.get("next"), episode_url))
        status = 400
        next_url = safe_next(request, request.POST.get("next"), "")
        params = _worklist_params(next_url)
        if params is not None:
            context = worklist_context(request, params, failed=failed)
            return render(request, "blocks/worklist.html", context, status=status)
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
