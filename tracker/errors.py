"""Error answers for requests no view handled: JSON under /api/, the HTML pages elsewhere.

An unmatched /api/ address (say /api/procedures/-1/, which no route's `<int:pk>`
takes) would otherwise get the HTML 404 page; API clients and the schema promise JSON. A
database too busy to take a write is a 503, not a 500 (tracker/busy.py).
"""

import sys

from django.http import JsonResponse
from django.views import defaults

from tracker.busy import busy_response, is_busy, log_busy


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def bad_request(request, exception, *args, **kwargs):
    if _is_api(request):
        return JsonResponse({"detail": "Bad request."}, status=400)
    return defaults.bad_request(request, exception, *args, **kwargs)


def permission_denied(request, exception, *args, **kwargs):
    if _is_api(request):
        return JsonResponse({"detail": "You do not have permission to do this."}, status=403)
    return defaults.permission_denied(request, exception, *args, **kwargs)


def not_found(request, exception, *args, **kwargs):
    if _is_api(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception, *args, **kwargs)


def server_error(request, *args, **kwargs):
    # Django calls this while handling the error: a busy database met outside any view (the
    # session saved after the view ran) still answers 503 with Retry-After.
    error = sys.exc_info()[1]
    if is_busy(error):
        log_busy(request, error)
        return busy_response(request)
    if _is_api(request):
        return JsonResponse({"detail": "Server error; it has been logged."}, status=500)
    return defaults.server_error(request, *args, **kwargs)
