"""A Content-Security-Policy header on every response (Django 5.2 has none built in).

The pages keep to it: scripts and styles come from files under /static/, never inline;
charts may be `data:` images. A view may send its own policy; this one then stands back.
"""

from django.conf import settings

DEFAULT_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = getattr(settings, "TRACKER_CONTENT_SECURITY_POLICY", DEFAULT_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy:
            response.headers.setdefault("Content-Security-Policy", self.policy)
        return response
