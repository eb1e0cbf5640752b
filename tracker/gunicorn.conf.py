"""gunicorn for the clinic: `gunicorn -c tracker/gunicorn.conf.py tracker.wsgi` (README).

Options on the command line override these. The access log records each request's path
without its query string (an MRN search is `?mrn=...`) and with patients' diary and follow-up
tokens masked; the Referer, which carries the previous page's query string, is left out.
"""

import sys
from pathlib import Path

from gunicorn import glogging

# gunicorn reads this file before it puts the project on the import path.
ROOT = str(Path(__file__).resolve().parent.parent)
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from tracker.logging import mask_tokens, scrub  # noqa: E402

bind = "127.0.0.1:8000"
workers = 4
worker_class = "gthread"
# Threads per worker: a browser's keep-alive connection stays with the worker that accepted it,
# so with 2 threads one slow page (a report rebuilt after a write: seconds) held every click of
# the users pinned to that worker. 8 threads let those clicks run beside it (benchmarks/load.sh
# at 100,000 blocks, two runs in a row on the same busy machine: p95 14 s -> 3.0 s, and 380 -> 627
# requests in the minute). Each thread keeps its own database connection (32 in all).
threads = 8
accesslog = "-"
errorlog = "-"
# %(U)s is the path alone; %(r)s (the request line) and %(q)s (the query) are never used.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'


class AccessLogger(glogging.Logger):
    """Every atom that could hold a query string or a token is scrubbed, whatever the format."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["U"] = mask_tokens(atoms["U"] or "")
        atoms["q"] = "-"
        atoms["r"] = scrub(atoms["r"])
        atoms["f"] = scrub(atoms["f"])
        for name in [name for name in atoms if name.startswith("{")]:
            atoms[name] = scrub(str(atoms[name]))
        return atoms


logger_class = AccessLogger
