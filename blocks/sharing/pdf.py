"""HTML from a Django template, rendered to PDF by WeasyPrint (Debian's Pango lays out the text).

The PDF is made from what the template holds and the stylesheet named here, nothing else:
WeasyPrint fetches no URL (no network, no file outside the static folder), so a record's text
cannot make the server read a file or call out.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

PDF_CONTENT_TYPE = "application/pdf"


def _stylesheet(name: str) -> str:
    found = finders.find(name)
    if found is None:  # collected but not found by the finders (production with STATIC_ROOT)
        found = str(Path(settings.STATIC_ROOT) / name)
    return found


def render_pdf(template: str, context: dict, *, stylesheet: str, request=None) -> bytes:
    """The template as a PDF, laid out with the print stylesheet `stylesheet` (a static path)."""
    import weasyprint  # imported here: the pages load without Pango until a PDF is asked for
    from weasyprint.urls import URLFetcher

    class NoFetching(URLFetcher):
        def fetch(self, url, headers=None):
            raise ValueError(f"The PDF loads nothing from outside: {url[:40]}")

    html = render_to_string(template, {**context, "for_pdf": True}, request=request)
    fetcher = NoFetching()
    document = weasyprint.HTML(string=html, base_url="/", url_fetcher=fetcher)
    css = weasyprint.CSS(filename=_stylesheet(stylesheet), url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[css])
