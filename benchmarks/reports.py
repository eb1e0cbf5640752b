"""Benchmark: the full outcome summary against the database floor and a naive loop.

    .venv/bin/python benchmarks/reports.py --procedures 100000

Builds (once, in a child process) a synthetic clinic of that size in its own
SQLite file, or uses the database `DATABASE_URL` names (PostgreSQL too; it is filled when
its procedure count differs), then in this process measures:

- report_s: reports.outcomes.outcome_report() -- every table, no charts;
- floor_s: a raw fetch of every procedure and diary row the report reads (the
  per-score statements, reports.data.queries() without `summary`), on Django's
  connection cursor with fetchall() and nothing else;
- naive_s: a per-record ORM loop that loads each block, its findings and the
  patient's history and calls the engine, timed on a 5,000-block sample and
  scaled to all blocks.

The floor and the report run alternately, --repeat times each after one
warm-up, and each figure is the median. The last line is
    procedures=N report_s=X floor_s=Y naive_s=Z ratio_floor=X/Y speedup_naive=Z/X peak_rss_mb=M
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this file's folder comes first on sys.path and its name would
# hide the reports app: put the project root there instead.
sys.path[0] = str(ROOT)
NAIVE_SAMPLE = 5000


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--procedures", type=int, default=100_000)
    parser.add_argument("--db", help="SQLite file (default: a temp folder, reused per size).")
    parser.add_argument("--fresh", action="store_true", help="Rebuild the synthetic clinic.")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", default="cms-2021")
    parser.add_argument("--naive-sample", type=int, default=NAIVE_SAMPLE)
    return parser.parse_args()


def database_path(args) -> Path:
    if args.db:
        return Path(args.db)
    folder = Path(tempfile.gettempdir()) / "tracker-benchmarks"
    folder.mkdir(exist_ok=True)
    return folder / f"reports-{args.procedures}.sqlite3"


def build_clinic(url: str, procedures: int, fresh: bool) -> None:
    """Migrate and fill the database in a child process (its memory is not ours)."""
    env = {**os.environ, "DATABASE_URL": url}
    manage = [sys.executable, str(ROOT / "manage.py")]
    path = Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None
    if fresh and path and path.exists():
        path.unlink()
    subprocess.run([*manage, "migrate", "-v0"], check=True, env=env, cwd=ROOT)
    count = procedure_count(env)
    if count == procedures:
        # Readings stored by an older engine would be recomputed inside the timed report.
        print(f"Reusing {url} ({count} procedures); refreshing stale readings.", file=sys.stderr)
        subprocess.run([*manage, "refresh_readings", "--stale"], check=True, env=env, cwd=ROOT)
        return
    if count:
        if not path:
            sys.exit(f"{url} holds {count} procedures, not {procedures}: give an empty database.")
        path.unlink()
        subprocess.run([*manage, "migrate", "-v0"], check=True, env=env, cwd=ROOT)
    started = time.monotonic()
    subprocess.run(
        [*manage, "make_synthetic_clinic", "--procedures", str(procedures), "--quiet"],
        check=True,
        env=env,
        cwd=ROOT,
    )
    print(f"Synthetic clinic built in {time.monotonic() - started:.1f}s.", file=sys.stderr)


def procedure_count(env: dict) -> int:
    """How many procedures the database holds (asked in a child, so this process has not
    opened its connection before the clinic is built)."""
    code = "from blocks.models import Procedure; print(Procedure.objects.count())"
    found = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", code],
        check=True,
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return int(found.stdout.strip().splitlines()[-1])


def timed_pair(first, second, repeat: int) -> tuple[float, float]:
    """Median times of two functions, run alternately after one warm-up of each, so that
    a busy neighbour on the machine slows both alike."""
    first(), second()
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for function, bucket in ((first, times[0]), (second, times[1])):
            started = time.perf_counter()
            function()
            bucket.append(time.perf_counter() - started)
    return statistics.median(times[0]), statistics.median(times[1])


def floor(statements: list[tuple[str, tuple]]) -> None:
    """Every row the report reads, on Django's connection cursor: fetch, nothing else."""
    from django.db import connection

    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            cursor.fetchall()


def naive(sample_ids: list[int], profile) -> None:
    """What a first attempt would do: one block at a time through the ORM and the engine."""
    from blocks.adapters import to_block
    from blocks.models import Complication, Procedure
    from blocks.rules import interpret_block

    responses: Counter = Counter()
    reliefs: dict[str, list[float]] = {}
    complications: Counter = Counter()
    for pk in sample_ids:
        procedure = Procedure.objects.select_related("episode").get(pk=pk)
        history = [
            to_block(other, with_findings=False)
            for other in Procedure.objects.active()
            .select_related("episode")
            .filter(episode__patient_id=procedure.episode.patient_id)
            .exclude(pk=pk)
        ]
        reading = interpret_block(to_block(procedure), profile, history=history)
        responses[(procedure.kind, reading.response)] += 1
        if reading.relief_percent is not None:
            reliefs.setdefault(procedure.kind, []).append(reading.relief_percent)
        for code in (
            Complication.objects.active().filter(procedure=procedure).values_list("code", flat=True)
        ):
            complications[(procedure.kind, code)] += 1


def main() -> None:
    args = parse_args()
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{database_path(args)}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    if not os.environ.get("DJANGO_SECRET_KEY"):
        os.environ.setdefault("DJANGO_TESTING", "1")
    os.environ.setdefault("DJANGO_DEBUG", "0")  # DEBUG would keep every query in memory
    build_clinic(os.environ["DATABASE_URL"], args.procedures, args.fresh)

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from blocks.models import Procedure
    from blocks.rules import get_profile
    from reports.data import queries
    from reports.filters import ReportFilters
    from reports.outcomes import outcome_report

    filters = ReportFilters(profile=args.profile)
    procedures = Procedure.objects.count()
    statements = [qs.query.sql_with_params() for qs in queries(filters).values()]

    with CaptureQueriesContext(connection) as captured:
        report = outcome_report(filters)
    print(
        f"outcome report: {len(report.tables)} tables, {len(captured)} SQL queries, "
        f"{report.recomputed} readings computed on the fly",
        file=sys.stderr,
    )
    floor_s, report_s = timed_pair(
        lambda: floor(statements), lambda: outcome_report(filters), args.repeat
    )

    ids = list(Procedure.objects.values_list("pk", flat=True))
    sample = random.Random(1).sample(ids, min(args.naive_sample, len(ids)))
    profile = get_profile(args.profile)
    started = time.perf_counter()
    naive(sample, profile)
    naive_s = (time.perf_counter() - started) * procedures / len(sample)

    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"procedures={procedures} report_s={report_s:.2f} floor_s={floor_s:.2f} "
        f"naive_s={naive_s:.1f} ratio_floor={report_s / floor_s:.2f} "
        f"speedup_naive={naive_s / report_s:.1f} peak_rss_mb={peak_rss_mb:.0f}"
    )


if __name__ == "__main__":
    main()
