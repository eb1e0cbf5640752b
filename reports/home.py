"""The data-completeness figures at the top of the quality home, counted per view in SQL
(outside the page cache: they move with the clock as diaries close)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.utils import timezone

from blocks.models import PainScore, Procedure
from blocks.rules import diary as diary_rules
from blocks.selectors import diaries_in_states, overdue_beyond_chase


def completeness_figures(now=None) -> dict:
    now = now or timezone.now()
    standing = Procedure.objects.active().filter(
        episode__entered_in_error=False, episode__patient__entered_in_error=False
    )
    scored = PainScore.objects.active().filter(procedure_id=OuterRef("pk"))
    return {
        "blocks_without_scores": standing.filter(~Exists(scored)).count(),
        "overdue_diaries": diaries_in_states([diary_rules.OVERDUE], now).count()
        + overdue_beyond_chase(now),
    }
