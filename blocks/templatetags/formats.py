"""{{ value|clinic_format }} and {{ value|clinic_date }}: one date format (blocks/formats.py)."""

from django import template

from blocks.formats import clinic_format as _clinic_format
from blocks.formats import episode_title as _episode_title

register = template.Library()


@register.filter
def clinic_format(value):
    """A date as "02 Mar 2026", a moment as "02 Mar 2026, 09:30" in the clinic's time."""
    return _clinic_format(value)


@register.filter
def clinic_date(value):
    """Only the (local) day: "02 Mar 2026"."""
    return _clinic_format(value, with_time=False)


@register.filter
def episode_title(episode):
    """ "Lumbar, right, axial, opened 02 Mar 2026" instead of "Episode 31"."""
    return _episode_title(episode)
