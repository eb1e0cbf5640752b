"""Enqueue the follow-up invitations now owed (what a restart or a lost job left unsent)."""

from django.core.management.base import BaseCommand

from blocks.tasks import sweep


class Command(BaseCommand):
    help = (
        "Enqueue an invitation for every follow-up point that is due and owed a message "
        "(first send, or the one re-send after 3 days). Safe to run at any time, e.g. daily."
    )

    def handle(self, *args, **options):
        owed = sweep()
        self.stdout.write(f"{len(owed)} follow-up invitation(s) enqueued.")
