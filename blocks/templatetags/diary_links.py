"""The patient's diary link on the staff pages: `{% diary_link_state procedure as diary %}`.

Gives the include `blocks/_diary_link_button.html` what it shows: whether the block's diary is
open (a link is only useful then) and the standing link, if any (when and by whom it was made,
until when it works). Never the token: only its hash is stored.
"""

from dataclasses import dataclass
from datetime import datetime

from django import template
from django.utils import timezone

from blocks.models import DiaryLink
from blocks.rules import diary

register = template.Library()


@dataclass(frozen=True)
class LinkState:
    open: bool
    standing: DiaryLink | None
    made_by: str = ""
    made_at: datetime | None = None
    until: datetime | None = None


@register.simple_tag
def diary_link_state(procedure) -> LinkState:
    is_open = procedure.diary_state() == diary.OPEN
    link = (
        DiaryLink.objects.standing()
        .filter(procedure=procedure, expires_at__gt=timezone.now())
        .select_related("created_by")
        .first()
        if is_open
        else None
    )
    if link is None:
        return LinkState(open=is_open, standing=None)
    user = link.created_by
    return LinkState(
        open=is_open,
        standing=link,
        made_by=user.get_full_name() or user.get_username(),
        made_at=timezone.localtime(link.created_at),
        until=timezone.localtime(link.expires_at),
    )
