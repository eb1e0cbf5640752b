"""Reads that can move to a replica (issue 12).

With DATABASE_REPLICA_URL set, settings add a `replica` database (a PostgreSQL streaming
standby) and this router. A standby replays the primary's changes a moment late, so only
reads that can stand a few seconds' lag go there, and only on purpose:

- Reads use the replica only inside `reading_from_replica()`, which the report page and the
  report API and exports enter. Everything else reads the primary, as before.
- Every write goes to the primary; migrations run on the primary only (the standby receives
  the schema by streaming).
- A user who wrote reads from the primary for TRACKER_REPLICA_PIN_SECONDS afterwards (default
  10): `ReplicaPinMiddleware` sets a signed cookie on any non-safe request and honours it on
  the next ones, so nobody opens a report and misses the block they just saved.
- Inside a transaction on the primary, reads stay there too: they may need its own
  uncommitted writes.

Without DATABASE_REPLICA_URL there is no `replica` alias and nothing routes.
"""

from __future__ import annotations

import contextlib
import time
from contextvars import ContextVar

from django.conf import settings
from django.core import signing
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
PIN_COOKIE = "tracker_pinned_until"
_PIN_SALT = "tracker.replica.pinned-until"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

_replica_allowed: ContextVar[bool] = ContextVar("tracker_replica_allowed", default=False)
_pinned: ContextVar[bool] = ContextVar("tracker_replica_pinned", default=False)


def has_replica() -> bool:
    return REPLICA in settings.DATABASES


@contextlib.contextmanager
def reading_from_replica():
    """Reads inside may come from the replica: for reports that can stand a few seconds' lag."""
    token = _replica_allowed.set(True)
    try:
        yield
    finally:
        _replica_allowed.reset(token)


@contextlib.contextmanager
def pinned_to_primary():
    """Reads inside come from the primary, even in `reading_from_replica()`: the user wrote."""
    token = _pinned.set(True)
    try:
        yield
    finally:
        _pinned.reset(token)


def read_alias() -> str:
    """The database a read goes to now."""
    if not has_replica() or not _replica_allowed.get() or _pinned.get():
        return DEFAULT_DB_ALIAS
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    return REPLICA


class ReplicaRouter:
    """Reports' reads to the replica when allowed; every write and migration to the primary."""

    def db_for_read(self, model, **hints):
        return read_alias()

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica is the same data as the primary, a moment late.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


def pin_seconds() -> int:
    return settings.TRACKER_REPLICA_PIN_SECONDS


def pinned_by(request) -> bool:
    """Whether this browser wrote within the pin: its signed cookie says until when."""
    raw = request.COOKIES.get(PIN_COOKIE)
    if not raw:
        return False
    try:
        until = signing.get_cookie_signer(salt=_PIN_SALT).unsign(raw)
        return float(until) > time.time()
    except (signing.BadSignature, ValueError):
        return False


class ReplicaPinMiddleware:
    """A request after a write reads the primary for TRACKER_REPLICA_PIN_SECONDS.

    Any non-safe request (a form saved, an API write) is a write, and pins this browser, and
    itself, to the primary; the cookie is signed so a client cannot pin or unpin others.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        wrote = request.method not in SAFE_METHODS
        if not (wrote or pinned_by(request)):
            return self.get_response(request)
        with pinned_to_primary():
            response = self.get_response(request)
        if wrote and has_replica():
            seconds = pin_seconds()
            until = f"{time.time() + seconds:.3f}"
            response.set_cookie(
                PIN_COOKIE,
                signing.get_cookie_signer(salt=_PIN_SALT).sign(until),
                max_age=seconds,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
