"""A PDF's text, read back with pypdf; WeasyPrint (and Debian's Pango) must be there.

Locally a missing Pango skips the PDF tests; under CI=true it fails them (tests/conftest.py).
"""

import io

from tests.conftest import skip_or_fail


def require_weasyprint() -> None:
    try:
        import weasyprint  # noqa: F401  (loads Pango through cffi)
    except (ImportError, OSError) as error:
        skip_or_fail(f"WeasyPrint cannot load Debian's Pango ({error}): run make pdf-deps")


def pdf_text(content: bytes) -> str:
    """Every page's text, with runs of white space (line breaks of the layout) as one space."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def page_count(content: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(content)).pages)
