"""Error answers for requests no view handled: JSON under /api/, the HTML pages elsewhere.

An unmatched /api/ address (say /api/procedures/-1/, which no route's `<int:pk>`
takes) would otherwise get the HTML 404 page; API clients and the schema promise JSON.
"""

from django.http import JsonResponse
from django.views import defaults


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
    if _is_api(request):
        return JsonResponse({"detail": "Server error; it has been logged."}, status=500)
    return defaults.server_error(request, *args, **kwargs)
