"""Request lines in the logs name the path, never the query string or a patient's token.

A search by MRN is `GET /patients/?mrn=DEMO-001`; a patient's diary or follow-up link carries
a secret token in its path (`/diary/<token>/`, `/api/follow-up/<token>/`). Neither belongs in
a log file that is kept, copied and read by people who may not see patients' records. These
functions serve the development server's and Django's request loggers (RequestLineFilter, in
settings.LOGGING) and gunicorn's access log (tracker/gunicorn.conf.py).
"""

import logging
import re

MASK = "***"
# "?..." up to the end of the URL: a space or a quote ends it in a request line.
_QUERY = re.compile(r"\?[^\s\"']*")
# The segment after /diary/ or /follow-up/ (also under /api/) is a patient's token.
_TOKEN = re.compile(r"(/(?:diary|follow-up)/)[^/?#\s\"']+")


def mask_tokens(text: str) -> str:
    """`/api/diary/abc123/scores/` -> `/api/diary/***/scores/`."""
    return _TOKEN.sub(rf"\g<1>{MASK}", text)


def scrub(text: str) -> str:
    """Every URL in `text` without its query string, patient tokens masked."""
    return mask_tokens(_QUERY.sub("", text))


class RequestLineFilter(logging.Filter):
    """Scrubs the message of each record (django.server's request line, django.request's path).

    The record keeps its level and extras (status_code, server_time); only the text changes,
    formatted once here so that no argument can bring the query string back.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = scrub(record.getMessage())
        record.args = ()
        return True
