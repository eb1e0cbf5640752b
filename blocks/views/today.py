"""Staff's home, "Today": the day's blocks as the clinic works through them (issue 11).

Today's and yesterday's blocks (in the clinic's time zone) with their diary state; the overdue
diaries to chase with the time points still missing (the phone-call view); and the blocks that
have no score yet. Every list is read as ids first, then one bounded query for its rows
(selectors.diary_rows), so the page costs the same with 5 blocks or 500.
"""

from datetime import datetime, time, timedelta

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from blocks import selectors
from blocks.rules import diary
from blocks.views.access import clinical_page
from blocks.views.diaries import STATE_WORDS, block_words, diary_items

LIMIT = selectors.TODAY_LIST_LIMIT


def day_bounds(day, tz) -> tuple[datetime, datetime]:
    """Midnight to midnight of `day` on the clinic's clock, as aware datetimes."""
    start = timezone.make_aware(datetime.combine(day, time.min), tz)
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min), tz)
    return start, end


def _day_items(ids, now) -> list[dict]:
    rows = selectors.diary_rows(ids)
    items = []
    for procedure in rows:
        state = procedure.diary_state(now)
        items.append(
            {
                "procedure": procedure,
                "patient": procedure.episode.patient,
                "block": block_words(procedure) if procedure.has_diary() else _plain(procedure),
                "state": state,
                "state_words": STATE_WORDS.get(state, "No diary"),
                "scores": len(procedure.standing_scores),
                "diary_url": reverse("procedure-diary", args=[procedure.pk])
                if procedure.has_diary()
                else "",
                "episode_url": f"{reverse('episode-detail', args=[procedure.episode_id])}"
                f"#procedure-{procedure.pk}",
            }
        )
    return items


def _plain(procedure) -> str:
    """A procedure that keeps no diary (an RFA, a discography) in the same words, no agent."""
    words = block_words(procedure)
    return words.rsplit(" (", 1)[0]


@clinical_page(write=True)
def today(request):
    now = timezone.now()
    tz = timezone.get_current_timezone()
    local_today = timezone.localdate(now)
    days = []
    for offset, name in ((0, "Today"), (1, "Yesterday")):
        day = local_today - timedelta(days=offset)
        start, end = day_bounds(day, tz)
        ids = list(selectors.procedures_performed_between(start, end).values_list("pk", flat=True))
        days.append({"name": name, "day": day, "items": _day_items(ids, now)})
    overdue = selectors.diaries_in_states((diary.OVERDUE,), now)
    overdue_ids = list(overdue.values_list("pk", flat=True)[:LIMIT])
    awaiting = selectors.blocks_awaiting_scores()
    awaiting_ids = list(awaiting.values_list("pk", flat=True)[:LIMIT])
    return render(
        request,
        "blocks/today.html",
        {
            "days": days,
            "overdue": diary_items(selectors.diary_rows(overdue_ids), now),
            "overdue_count": overdue.count(),
            "awaiting": _day_items(awaiting_ids, now),
            "awaiting_count": awaiting.count(),
            "limit": LIMIT,
        },
    )
