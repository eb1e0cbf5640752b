"""Make a synthetic clinic of a given size, then read it with the engine.

    manage.py make_synthetic_clinic --procedures 100000

Everything is invented (MRNs start with SYN-). Rows are bulk-created, which
bypasses the services, so the engine's readings are computed afterwards in batches
(the same code as `refresh_readings`); --no-readings skips that step.
"""

import time

from django.core.management.base import BaseCommand
from django.db import connection

from reports.progress import Progress
from reports.store.readings import refresh_all
from reports.synthetic import make_clinic


class Command(BaseCommand):
    help = "Add a synthetic clinic (patients, episodes, procedures, diaries) of a given size."

    def add_arguments(self, parser):
        parser.add_argument("--procedures", type=int, default=10_000)
        parser.add_argument("--physicians", type=int, default=8)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--no-readings", action="store_true")
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")

    def handle(self, *args, procedures, physicians, seed, no_readings, quiet, **options):
        stream = self.stderr._out
        started = time.monotonic()
        bar = None if quiet else Progress(procedures, "procedures", stream=stream)
        made = make_clinic(
            procedures=procedures,
            physicians=physicians,
            seed=seed,
            progress=bar.update if bar else None,
        )
        built = time.monotonic() - started
        self.stdout.write(f"Made {made} synthetic procedures in {built:.1f}s.")
        if no_readings:
            self.stdout.write("Readings not computed: run `manage.py refresh_readings --stale`.")
            return
        readings_bar = None if quiet else Progress(1, "readings", stream=stream)

        def progress(done, total):
            if readings_bar:
                readings_bar.total = max(total, 1)
                readings_bar.update(done)

        started = time.monotonic()
        patients, readings = refresh_all(stale_only=True, progress=progress)
        self.stdout.write(
            f"Read {patients} patients ({readings} readings) in {time.monotonic() - started:.1f}s."
        )
        if connection.vendor == "postgresql":
            # A bulk load is followed by ANALYZE (PostgreSQL's "Populating a Database"):
            # without statistics the planner guesses, until autovacuum gets round to it.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            self.stdout.write("Statistics gathered (ANALYZE).")
