"""One way to write a date on every page: "02 Mar 2026", and "02 Mar 2026, 09:30" for a moment.

Moments are shown in the clinic's time zone (TRACKER_TIME_ZONE), never as ISO strings or UTC:
the clinician reads the time the block was done on the clinic's clock.
"""

from datetime import date, datetime

from django.utils import timezone

DATE_FORMAT = "%d %b %Y"
TIME_FORMAT = "%H:%M"


def clinic_format(value, with_time: bool | None = None) -> str:
    """A date as "02 Mar 2026"; a datetime as "02 Mar 2026, 09:30" in local time.

    `with_time=False` shows only a datetime's local date. Anything else (None, "") is "".
    """
    if isinstance(value, datetime):
        moment = timezone.localtime(value) if timezone.is_aware(value) else value
        if with_time is False:
            return moment.strftime(DATE_FORMAT)
        return f"{moment.strftime(DATE_FORMAT)}, {moment.strftime(TIME_FORMAT)}"
    if isinstance(value, date):
        return value.strftime(DATE_FORMAT)
    return "" if value in (None, "") else str(value)


def episode_title(episode) -> str:
    """An episode as a clinician names it: "Lumbar, right, axial, opened 02 Mar 2026".

    Used where a heading or a link said "Episode 31": the complaint and its date say more.
    """
    from blocks.forms.labels import label  # the forms' labels import the models

    return (
        f"{label(episode.region)}, {label(episode.side).lower()}, "
        f"{label(episode.pain_pattern).lower()}, opened {clinic_format(episode.opened_at, False)}"
    )
