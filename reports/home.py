"""The data-completeness figures at the top of the quality home, counted per view in SQL
(outside the page cache: they move with the clock as diaries close).

They count what staff's home lists, by the same selectors: diagnostic blocks awaiting their
first diary score (a treatment or a discography keeps no relief diary), and overdue diaries,
those still being chased (closed within 14 days) and those closed before.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from blocks.models import Procedure
from blocks.rules import diary as diary_rules
from reports.store.worklist import standing


def completeness_figures(now=None) -> dict:
    now = now or timezone.now()
    # Both overdue figures in one pass over the standing blocks (the chased ones are those of
    # blocks.selectors.diaries_in_states, the others those of overdue_beyond_chase).
    overdue = (
        standing(Procedure.objects.active())
        .diary_in_state(diary_rules.OVERDUE, now)
        .aggregate(
            all=Count("pk"),
            chased=Count("pk", filter=Q(diary_closes_at__gt=now - diary_rules.CHASE_FOR)),
        )
    )
    return {
        "blocks_without_scores": standing(Procedure.objects.active()).awaiting_scores().count(),
        "overdue_diaries": overdue["all"],
        "overdue_being_chased": overdue["chased"],
    }
