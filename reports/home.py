"""The data-completeness figures at the top of the quality home, counted per view in SQL
(outside the page cache: they move with the clock as diaries close).

They count what staff's home lists, by the same selectors: diagnostic blocks awaiting their
first diary score (a treatment or a discography keeps no relief diary), and overdue diaries,
those still being chased (closed within 14 days) and those closed before.
"""

from __future__ import annotations

from django.utils import timezone

from blocks.rules import diary as diary_rules
from blocks.selectors import blocks_awaiting_scores, diaries_in_states, overdue_beyond_chase


def completeness_figures(now=None) -> dict:
    now = now or timezone.now()
    chased = diaries_in_states([diary_rules.OVERDUE], now).count()
    return {
        "blocks_without_scores": blocks_awaiting_scores().count(),
        "overdue_diaries": chased + overdue_beyond_chase(now),
        "overdue_being_chased": chased,
    }
