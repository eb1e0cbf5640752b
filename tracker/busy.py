"""A database too busy to take a write answers 503 with `Retry-After: 1` (API_CONTRACT.md v1.1).

SQLite says "database is locked" when another writer held the lock for longer than the busy
timeout (settings.DATABASE_BUSY_TIMEOUT_SECONDS); PostgreSQL refuses a transaction that lost a
serialization race or a deadlock, or waited too long for a lock. In each case the transaction
was rolled back, nothing was written, and the same request a moment later will most likely
succeed: the caller is told so, not shown a 500.

The API's exception handler (blocks/api/errors.py) and DatabaseBusyMiddleware (the pages) use
`is_busy`; tracker.errors.server_error is the last resort for an error raised outside a view
(saving the session after the view ran, say).
"""

import logging

from django.db import OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 1
BUSY_DETAIL = "The database is busy; nothing was saved. Please retry in a moment."
SQLITE_BUSY_MESSAGES = ("database is locked", "database table is locked", "database is busy")
# serialization_failure, deadlock_detected, lock_not_available (lock_timeout)
POSTGRES_BUSY_STATES = frozenset({"40001", "40P01", "55P03"})


def is_busy(exc: BaseException | None) -> bool:
    """True when `exc` means "the database could not take this write now; try again"."""
    if not isinstance(exc, OperationalError):
        return False
    for error in (exc, exc.__cause__):
        state = getattr(error, "sqlstate", None) or getattr(error, "pgcode", None)
        if state in POSTGRES_BUSY_STATES:
            return True
    message = str(exc).lower()
    return any(text in message for text in SQLITE_BUSY_MESSAGES)


def log_busy(request, exc: BaseException) -> None:
    """The path and the error class only: a database message may quote the values written."""
    logger.warning(
        "The database was busy (%s); %s %s answered 503.",
        type(exc.__cause__ or exc).__name__,
        request.method,
        request.path,
    )


def busy_response(request) -> HttpResponse:
    """JSON `{"detail": ...}` under /api/, the plain 503 page elsewhere; both say retry in 1 s."""
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": BUSY_DETAIL}, status=503)
    else:
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseBusyMiddleware:
    """A page view that met a busy database answers 503 with Retry-After, not the 500 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_busy(exception):
            return None
        log_busy(request, exception)
        return busy_response(request)
