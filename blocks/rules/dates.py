"""Date arithmetic that a stored date at the edge of the calendar cannot break.

New records are kept between 1990 and tomorrow (blocks/models/base.py), but a row from
before that rule may sit at year 1 or 9999, where `performed_at - 365 days` or a move to
the clinic's time zone raises OverflowError. One such row must not stop the rules for
everyone: these clamp to the ends of the calendar instead.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta


def days_before(moment: datetime, days: int) -> datetime:
    try:
        return moment - timedelta(days=days)
    except OverflowError:
        return datetime.min.replace(tzinfo=UTC)


def days_after(day: date, days: int) -> date:
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max
