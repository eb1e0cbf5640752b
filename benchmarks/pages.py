"""Benchmark: every list and page at 1,000 and at N procedures, and the ratio between them.

    .venv/bin/python benchmarks/pages.py --procedures 100000          # SQLite files in $TMPDIR
    DATABASE_URL=postgres://... .venv/bin/python benchmarks/pages.py   # PostgreSQL

For each size it builds (once, then reuses while the count matches) a synthetic clinic with
`manage.py make_synthetic_clinic`: a SQLite file per size under
`$TMPDIR/tracker-benchmarks/`, or, when DATABASE_URL names a PostgreSQL server, a database per
size on that server (`<name>_pages_<N>`). Each size is measured in its own child process
through Django's test client, signed in as the role that uses the page, and each figure is
the median of --repeat requests after one warm-up:

    worklist        /worklist/ (a physician's own)       physician
    today           /today/ (the staff's home)           staff
    episode         /episodes/<id>/ (the middle episode)  physician
    patients        /patients/                           staff
    api_first       /api/procedures/?page=1               staff
    api_last        /api/procedures/?page=<last>          staff
    next_steps      /api/episodes/<id>/next-steps/        physician
    reports_cold    /reports/ (all dates), cache cleared  quality
    reports_warm    the same again                        quality
    export          /api/reports/outcomes/?format=csv     quality

Then it prints one line per page with both medians and the ratio N/1k, the report's raw
fetch floor at N (the procedure and diary rows the report reads, on Django's own cursor, no
conversion), and last

    worklist_ratio=… lastpage_ratio=… reports_ratio_floor=…

where reports_ratio_floor is the cold reports page at N over that floor. Goals on 2 cores:
every list and page ≤ 1.5× from 1k to N (the cold reports page and the export grow with the
data by nature and are held to the floor ratio instead), the worklist under 300 ms at N.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this file's folder comes first on sys.path: put the project root there.
sys.path[0] = str(ROOT)
SMALL = 1000
PAGES = (
    "worklist",
    "today",
    "episode",
    "patients",
    "api_first",
    "api_last",
    "next_steps",
    "reports_cold",
    "reports_warm",
    "export",
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--procedures", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=SMALL, help="The reference size.")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--fresh", action="store_true", help="Rebuild the synthetic clinics.")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


# --- the parent: one database per size ----------------------------------------------------


def database_url(procedures: int) -> str:
    """Where the clinic of this size lives: DATABASE_URL's server, or a SQLite file."""
    given = os.environ.get("DATABASE_URL", "")
    if given.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(given)
        name = (parts.path.lstrip("/") or "postgres") + f"_pages_{procedures}"
        return urlunsplit(parts._replace(path="/" + name))
    folder = Path(tempfile.gettempdir()) / "tracker-benchmarks"
    folder.mkdir(exist_ok=True)
    return f"sqlite:///{folder / f'pages-{procedures}.sqlite3'}"


def ensure_postgres_database(url: str, fresh: bool) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
        ).fetchone()
        if exists and fresh:
            connection.execute(f'DROP DATABASE "{name}"')
            exists = None
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def child_env(url: str) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "0"}
    if not env.get("DJANGO_SECRET_KEY"):
        env.setdefault("DJANGO_TESTING", "1")
    return env


def procedure_count(url: str, env: dict[str, str]) -> int:
    code = (
        "import django; django.setup()\n"
        "from django.db import connection\n"
        "try:\n"
        "    with connection.cursor() as c:\n"
        "        c.execute('SELECT COUNT(*) FROM blocks_procedure'); print(c.fetchone()[0])\n"
        "except Exception:\n"
        "    print(-1)\n"
    )
    answer = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "DJANGO_SETTINGS_MODULE": "tracker.settings"},
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return int(answer.stdout.strip().splitlines()[-1])


def build_clinic(procedures: int, fresh: bool) -> str:
    url = database_url(procedures)
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        if fresh and path.exists():
            path.unlink()
    else:
        ensure_postgres_database(url, fresh)
    env = child_env(url)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], check=True, env=env, cwd=ROOT)
    count = procedure_count(url, env)
    if count == procedures:
        print(
            f"Reusing the clinic of {count} procedures; refreshing stale readings.", file=sys.stderr
        )
        subprocess.run([*manage, "refresh_readings", "--stale"], check=True, env=env, cwd=ROOT)
        return url
    if count > 0:
        raise SystemExit(
            f"{url} holds {count} procedures, not {procedures}: run with --fresh to rebuild it."
        )
    started = time.monotonic()
    subprocess.run(
        [*manage, "make_synthetic_clinic", "--procedures", str(procedures), "--quiet"],
        check=True,
        env=env,
        cwd=ROOT,
    )
    print(f"Built {procedures} procedures in {time.monotonic() - started:.0f}s.", file=sys.stderr)
    return url


def measure_in_child(url: str, repeat: int) -> dict:
    answer = subprocess.run(
        [sys.executable, __file__, "--measure", "--repeat", str(repeat)],
        env=child_env(url),
        cwd=ROOT,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return json.loads(answer.stdout.strip().splitlines()[-1])


# --- the child: one size, in one process ----------------------------------------------------


def median_ms(get, repeat: int, before=None) -> float:
    """The median of `repeat` timed requests after one warm-up; `before` runs untimed first."""
    if before:
        before()
    get()
    times = []
    for _ in range(repeat):
        if before:
            before()
        started = time.perf_counter()
        get()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def signed_in(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def role_users():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db.models import Count

    from blocks.models import Procedure

    users = get_user_model().objects
    busiest = (
        Procedure.objects.values("performed_by")
        .annotate(n=Count("id"))
        .order_by("-n", "performed_by")
        .first()
    )
    physician = users.get(pk=busiest["performed_by"])
    staff = users.filter(groups__name="clinic_staff").order_by("pk").first()
    quality, created = users.get_or_create(username="benchmark.quality")
    if created:
        quality.groups.add(Group.objects.get(name="quality"))
    return physician, staff, quality


def floor_ms(repeat: int) -> float:
    """A raw cursor fetch of the procedure and diary rows the report reads."""
    from django.db import connection

    from reports.data import queries
    from reports.filters import ReportFilters

    statements = [qs.query.sql_with_params() for qs in queries(ReportFilters()).values()]

    def fetch():
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                cursor.fetchall()

    return median_ms(fetch, repeat)


def check(response, what: str):
    if response.status_code != 200:
        raise SystemExit(f"{what}: HTTP {response.status_code}")
    return response


def measure(repeat: int) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    django.setup()
    from django.core.cache import cache
    from django.test.utils import setup_test_environment

    from blocks.models import Episode, Procedure

    setup_test_environment()  # the test client's host; mail kept in memory
    physician, staff, quality = role_users()
    as_physician, as_staff, as_quality = map(signed_in, (physician, staff, quality))
    episode_ids = list(Episode.objects.order_by("pk").values_list("pk", flat=True))
    episode = episode_ids[len(episode_ids) // 2]
    per_page = len(check(as_staff.get("/api/procedures/"), "api").json()["results"])
    last = max(1, -(-Procedure.objects.count() // per_page))
    all_dates = {"from": "", "to": ""}
    urls = {
        "worklist": (as_physician, "/worklist/", {}),
        "today": (as_staff, "/today/", {}),
        "episode": (as_physician, f"/episodes/{episode}/", {}),
        "patients": (as_staff, "/patients/", {}),
        "api_first": (as_staff, "/api/procedures/", {"page": 1}),
        "api_last": (as_staff, "/api/procedures/", {"page": last}),
        "next_steps": (as_physician, f"/api/episodes/{episode}/next-steps/", {}),
        "reports_cold": (as_quality, "/reports/", all_dates),
        "reports_warm": (as_quality, "/reports/", all_dates),
        "export": (as_quality, "/api/reports/outcomes/", {"format": "csv"}),
    }
    figures = {}
    for name, (client, url, query) in urls.items():

        def get(client=client, url=url, query=query, name=name):
            return check(client.get(url, query), name)

        before = cache.clear if name == "reports_cold" else None
        figures[name] = median_ms(get, repeat, before=before)
        print(f"  {name:<13} {figures[name]:>9.0f} ms", file=sys.stderr)
    figures["floor"] = floor_ms(repeat)
    figures["procedures"] = Procedure.objects.count()
    return figures


def main() -> None:
    args = parse_args()
    if args.measure:
        print(json.dumps(measure(args.repeat)))
        return
    results = {}
    for size in (args.small, args.procedures):
        url = build_clinic(size, args.fresh)
        print(f"Measuring {size} procedures ({url.split(':')[0]}):", file=sys.stderr)
        results[size] = measure_in_child(url, args.repeat)
    small, large = results[args.small], results[args.procedures]
    heading = f"{'page':<13} {args.small:>9} {args.procedures:>9}"
    print(f"{heading}  ratio (ms, medians of {args.repeat})")
    for name in PAGES:
        ratio = large[name] / small[name]
        print(f"{name:<13} {small[name]:>9.0f} {large[name]:>9.0f}  {ratio:.2f}")
    print(f"{'floor':<13} {small['floor']:>9.0f} {large['floor']:>9.0f}")
    print(
        f"worklist_ratio={large['worklist'] / small['worklist']:.2f} "
        f"lastpage_ratio={large['api_last'] / small['api_last']:.2f} "
        f"reports_ratio_floor={large['reports_cold'] / large['floor']:.2f}"
    )


if __name__ == "__main__":
    main()
