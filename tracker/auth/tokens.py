"""API tokens (DRF authtoken) that expire TRACKER_API_TOKEN_DAYS after they were made.

The expiry is computed from `Token.created`, so no extra table is needed: rotating a
token deletes the old key and makes a new one, whose `created` is now.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token


def lifetime() -> dt.timedelta:
    return dt.timedelta(days=settings.TRACKER_API_TOKEN_DAYS)


def expires_at(token: Token) -> dt.datetime:
    return token.created + lifetime()


def is_expired(token: Token, now: dt.datetime | None = None) -> bool:
    return (now or timezone.now()) >= expires_at(token)


@transaction.atomic
def rotate(user) -> Token:
    """A new key for the user; the old one stops working at once."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


@transaction.atomic
def usable_token(user) -> Token:
    """The user's token, or a new one if they have none or theirs has expired."""
    token = Token.objects.select_for_update().filter(user=user).first()
    if token is None or is_expired(token):
        return rotate(user)
    return token


def describe_expiry(token: Token) -> str:
    """The line the commands print, e.g. 'Expires: 2026-07-01 09:30 UTC (in 90 days).'"""
    when = expires_at(token)
    days = max(round((when - timezone.now()).total_seconds() / 86400), 0)
    return f"Expires: {when.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC (in {days} days)."
