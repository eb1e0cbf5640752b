"""Recompute the stored engine readings: all of them, or only those that are stale.

Run after a new engine version (blocks.rules.ENGINE_VERSION) or a bulk import
that bypassed blocks.services (which store readings with each write). Works
patient by patient in batches, so
memory stays flat however large the clinic.
"""

from django.core.management.base import BaseCommand

from blocks.rules import ENGINE_VERSION
from reports.progress import Progress
from reports.store.readings import DEFAULT_BATCH_PATIENTS, refresh_all


class Command(BaseCommand):
    help = "Recompute stored block readings and episode suggestions with the clinical engine."

    def add_arguments(self, parser):
        parser.add_argument(
            "--stale",
            action="store_true",
            help="Only patients with a missing reading, another engine version, or a record "
            "changed since it was read.",
        )
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_PATIENTS)
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")

    def handle(self, *args, stale=False, batch_size=DEFAULT_BATCH_PATIENTS, quiet=False, **opts):
        bar = None if quiet else Progress(1, "patients", stream=self.stderr._out)

        def progress(done, total):
            if bar:
                bar.total = max(total, 1)
                bar.update(done)

        patients, readings = refresh_all(stale_only=stale, batch_size=batch_size, progress=progress)
        self.stdout.write(
            f"Re-read {patients} patients: {readings} block readings written "
            f"(engine {ENGINE_VERSION})."
        )
