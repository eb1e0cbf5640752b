"""The staff side of the post-block diary (CLINICAL_RULES section 9).

`/procedures/<pk>/diary/` is one block's diary: the phone-call view (who to call, the block in
plain words, the time points still missing as clock times) above the grid that takes what the
patient says, every row saved in one submit. `/diaries/` lists the diaries to chase: open ones
and those overdue for no more than 14 days, newest first. Both are for clinic staff and
physicians (quality reads the figures in the reports, not the phone list).
"""

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from blocks import selectors, services
from blocks.adapters import to_diary_score
from blocks.formats import clinic_format
from blocks.forms import show_service_errors
from blocks.forms.diary import EXTRA, grid_formset
from blocks.forms.labels import label
from blocks.models import PainScore, Procedure
from blocks.rules import diary, vocab
from blocks.services.diary import answered_points
from blocks.views.access import clinical_page

PAGE_SIZE = 25
# The list's tabs: the diaries to chase (open and overdue), or one state of them.
TABS = {
    "chase": ("To chase", selectors.CHASED_STATES),
    diary.OPEN: ("Open", (diary.OPEN,)),
    diary.OVERDUE: ("Overdue", (diary.OVERDUE,)),
}
STATE_WORDS = {
    diary.OPEN: "Open",
    diary.OVERDUE: "Overdue: call the patient",
    diary.COMPLETE: "Complete",
}


def clock(procedure: Procedure, minutes: int) -> str:
    """'10:30', or '07:00 next day': a time point as the clock in the clinic shows it."""
    block = timezone.localtime(procedure.performed_at)
    at = timezone.localtime(diary.due_at(procedure.performed_at, minutes))
    days = (at.date() - block.date()).days
    suffix = "" if days == 0 else " next day" if days == 1 else f" (+{days} days)"
    return f"{at:%H:%M}{suffix}"


def point_words(procedure: Procedure, minutes: int) -> str:
    """'10:30 (60 min)': never a bare minute count."""
    return f"{clock(procedure, minutes)} ({minutes} min)"


def block_words(procedure: Procedure) -> str:
    """'Right medial branch block at L4-L5, L5-S1, 02 Mar 2026, 09:30 (bupivacaine)'."""
    at = timezone.localtime(procedure.performed_at)
    # An SI joint's only "level" is the joint itself: "Right sacroiliac (SI) joint", not "… at SI".
    levels = ", ".join(level for level in procedure.levels or () if level != vocab.SI_LEVEL)
    return (
        f"{label(procedure.side)} {_lower_first(label(procedure.kind))}"
        f"{' at ' + levels if levels else ''}, {clinic_format(at)}"
        f" ({label(procedure.anesthetic).lower()})"
    )


def _lower_first(words: str) -> str:
    """'Sacroiliac (SI) joint' -> 'sacroiliac (SI) joint': abbreviations keep their case."""
    return words[:1].lower() + words[1:]


def who_entered(score: PainScore) -> str:
    """The source in words: 'staff: J. Doe' or 'patient (diary link)'."""
    if score.source == diary.PATIENT:
        return "patient (diary link)"
    user = score.recorded_by
    name = (user.get_full_name() or user.get_username()) if user is not None else "unknown"
    return f"staff: {name}"


def _missing(procedure: Procedure, scores, now) -> list[int]:
    points = diary.time_points(procedure.anesthetic)
    done = answered_points(procedure, scores)
    return diary.missing(points, done, procedure.performed_at, now)


@dataclass
class Line:
    """One line of the grid: a stored score, a time point of the schedule, or an extra row."""

    kind: str  # stored, missing (due, unanswered), due (opens within 5 minutes), coming, extra
    minutes: int | None = None
    words: str = ""
    score: PainScore | None = None
    answers: list[str] = field(default_factory=list)
    form: object = None

    @property
    def source(self) -> str:
        return who_entered(self.score) if self.score else ""

    @property
    def entered(self) -> str:
        return f"{timezone.localtime(self.score.recorded_at):%d %b %H:%M}" if self.score else ""


def _lines(procedure: Procedure, scores: list[PainScore], now) -> list[Line]:
    points = diary.time_points(procedure.anesthetic)
    lines = []
    done: set[int] = set()
    for score in scores:
        answered = diary.answered(points, [to_diary_score(score)])
        done |= answered
        lines.append(
            Line(
                "stored",
                score.minutes_after,
                point_words(procedure, score.minutes_after),
                score=score,
                answers=[
                    point_words(procedure, p) for p in sorted(answered) if p != score.minutes_after
                ],
            )
        )
    for point in points:
        if point in done:
            continue
        due = diary.due_at(procedure.performed_at, point)
        kind = "missing" if due <= now else "due" if due - diary.EARLY_LIMIT <= now else "coming"
        lines.append(Line(kind, point, point_words(procedure, point)))
    lines.sort(key=lambda line: (line.minutes, line.kind != "stored"))
    return lines


@dataclass
class Grid:
    lines: list[Line]
    formset: object


def _grid(procedure: Procedure, now, data=None) -> Grid:
    scores = list(
        procedure.pain_scores.active().select_related("recorded_by").order_by("minutes_after")
    )
    lines = _lines(procedure, scores, now)
    with_form = [line for line in lines if line.kind != "coming"]
    initial = [
        {
            "id": line.score.pk,
            "version": line.score.version,
            "score": line.score.score,
            "patient_reported_relief_percent": line.score.patient_reported_relief_percent,
        }
        if line.score
        else {"minutes_after": line.minutes}
        for line in with_form
    ]
    formset = grid_formset(
        data, procedure=procedure, initial=initial, stored={s.pk: s for s in scores}
    )
    for line, form in zip(with_form, formset.forms, strict=False):
        line.form = form
    extras = [Line(EXTRA, form=form) for form in formset.forms[len(with_form) :]]
    return Grid(lines + extras, formset)


def _diary_page(request, procedure, grid, *, status=200, **extra):
    now = timezone.now()
    scores = [line.score for line in grid.lines if line.score]
    missing = _missing(procedure, scores, now)
    patient = procedure.episode.patient
    return render(
        request,
        "blocks/diary.html",
        {
            "procedure": procedure,
            "episode": procedure.episode,
            "patient": patient,
            "block_words": block_words(procedure),
            "state": procedure.diary_state(now),
            "state_words": STATE_WORDS.get(procedure.diary_state(now), ""),
            "closes_at": procedure.diary_closes_at,
            "missing": [point_words(procedure, m) for m in missing],
            "grid": grid,
            "schedule": diary.SCHEDULE_POLICY,
            "block_clock": f"{timezone.localtime(procedure.performed_at):%H:%M}",
            "episode_url": f"{reverse('episode-detail', args=[procedure.episode_id])}"
            f"#procedure-{procedure.pk}",
            **extra,
        },
        status=status,
    )


@clinical_page(write=True)
def procedure_diary(request, pk: int):
    procedure = get_object_or_404(Procedure.objects.select_related("episode__patient"), pk=pk)
    if not procedure.has_diary():
        return _diary_page(request, procedure, Grid([], None), status=404, no_diary=True)
    marked = next(
        (
            r
            for r in (procedure, procedure.episode, procedure.episode.patient)
            if r.entered_in_error
        ),
        None,
    )
    if marked is not None:
        return _diary_page(request, procedure, Grid([], None), status=409, marked=True)
    now = timezone.now()
    data = request.POST if request.method == "POST" else None
    grid = _grid(procedure, now, data)
    if request.method != "POST":
        return _diary_page(request, procedure, grid)
    valid = grid.formset.is_valid()
    if grid.formset.stale:
        return _diary_page(request, procedure, _grid(procedure, now), status=409, changed=True)
    if not valid:
        return _diary_page(request, procedure, grid, status=400, refused=True)
    rows = [(form, row) for form in grid.formset.forms if (row := form.as_row())]
    if not rows:
        messages.info(request, "Nothing was changed: no score was typed.")
        return redirect("procedure-diary", pk=procedure.pk)
    try:
        services.pain_scores_save(
            procedure=procedure, rows=[row for _, row in rows], recorded_by=request.user
        )
    except services.StaleVersion:
        return _diary_page(request, procedure, _grid(procedure, now), status=409, changed=True)
    except services.ScoreRowsRefused as refused:
        for index, error in refused.rows.items():
            show_service_errors(rows[index][0], error)
        return _diary_page(request, procedure, grid, status=400, refused=True)
    except ValidationError as error:
        show_service_errors(grid.formset.forms[0], error)
        return _diary_page(request, procedure, grid, status=400, refused=True)
    messages.success(request, _saved_words(rows))
    return redirect("procedure-diary", pk=procedure.pk)


def _saved_words(rows) -> str:
    kinds = [next(iter(row)) for _, row in rows]
    parts = [
        (kinds.count("add"), "score added", "scores added"),
        (kinds.count("correct"), "score corrected", "scores corrected"),
        (kinds.count("mark"), "score marked entered in error", "scores marked entered in error"),
    ]
    words = [f"{n} {one if n == 1 else many}" for n, one, many in parts if n]
    return f"Diary saved: {', '.join(words)}."


@dataclass
class DiaryItem:
    procedure: Procedure
    state: str
    state_words: str
    block: str
    missing: list[str]
    url: str


def diary_items(procedures: list[Procedure], now) -> list[DiaryItem]:
    return [
        DiaryItem(
            procedure=p,
            state=p.diary_state(now),
            state_words=STATE_WORDS.get(p.diary_state(now), ""),
            block=block_words(p),
            missing=[point_words(p, m) for m in _missing(p, p.standing_scores, now)],
            url=reverse("procedure-diary", args=[p.pk]),
        )
        for p in procedures
    ]


@clinical_page(write=True)
def diary_list(request):
    now = timezone.now()
    tab = request.GET.get("status", "chase")
    if tab not in TABS:
        tab = "chase"
    ids = selectors.diaries_in_states(TABS[tab][1], now).values_list("pk", flat=True)
    page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
    items = diary_items(selectors.diary_rows(list(page.object_list)), now)
    counts = {
        state: selectors.diaries_in_states((state,), now).count()
        for state in TABS
        if state != "chase"
    }
    counts["chase"] = counts[diary.OPEN] + counts[diary.OVERDUE]
    return render(
        request,
        "blocks/diaries.html",
        {
            "items": items,
            "page": page,
            "tab": tab,
            "tabs": [(key, words, counts[key]) for key, (words, _) in TABS.items()],
            "older": selectors.overdue_beyond_chase(now),
            "chase_days": diary.CHASE_FOR.days,
        },
    )
