"""Export the outcome report (or row-level data) to a file, de-identified by default.

    manage.py export_outcomes --format xlsx --from 2025-01-01 --to 2025-12-31 --out q.xlsx
    manage.py export_outcomes --table blocks --format csv --out blocks.csv
    manage.py export_outcomes --identified --user admin --format xlsx --out id.xlsx

--identified needs --user naming a superuser, and is recorded in IdentifiedExport.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from reports.audit import record_identified_export
from reports.exports import FORMATS, TooLargeForFormat, render
from reports.filters import parse_filters
from reports.outcomes import ROW_TABLES, outcome_report, row_report
from reports.progress import Progress
from reports.tables import TABLES

FILTER_OPTIONS = ("from", "to", "kind", "region", "side", "physician", "profile")


class Command(BaseCommand):
    help = "Write the outcome report, or one row per block or diary score, to a file."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=FORMATS, default="csv", dest="export_format")
        parser.add_argument("--table", choices=("outcomes", *ROW_TABLES), default="outcomes")
        parser.add_argument("--out", required=True, help="File to write.")
        parser.add_argument("--from", dest="from", help="Performed on or after (YYYY-MM-DD).")
        parser.add_argument("--to", help="Performed on or before (YYYY-MM-DD).")
        parser.add_argument("--kind")
        parser.add_argument("--region")
        parser.add_argument("--side")
        parser.add_argument("--physician", help="Username or user id.")
        parser.add_argument("--profile")
        parser.add_argument(
            "--identified",
            action="store_true",
            help="Include identifiers and free text (needs --user, a superuser; recorded).",
        )
        parser.add_argument(
            "--user", help="Superuser on whose authority an identified export runs."
        )
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")

    def handle(self, *args, **options):
        filters, errors = parse_filters(
            {key: options.get(key) for key in FILTER_OPTIONS if options.get(key)}
        )
        if errors:
            raise CommandError(
                "; ".join(f"--{field}: {' '.join(messages)}" for field, messages in errors.items())
            )
        table, fmt = options["table"], options["export_format"]
        identified = options["identified"]
        if identified:
            user = self._superuser(options.get("user"))
            record_identified_export(
                user=user, table=table, export_format=fmt, filters=filters, channel="command"
            )
        steps = len(TABLES) + 3 if table == "outcomes" else 3
        bar = (
            None
            if options["quiet"]
            else Progress(steps, f"export {table}", stream=self.stderr._out)
        )

        def progress(name):
            if bar:
                bar.step(name)

        if table == "outcomes":
            report = outcome_report(filters, identified=identified, progress=progress)
        else:
            report = row_report(filters, table, identified=identified, progress=progress)
        try:
            rendered = render(report, fmt, name=table)
        except TooLargeForFormat as error:
            raise CommandError(str(error)) from None
        out = Path(options["out"])
        out.write_bytes(rendered.content)
        if bar:
            bar.update(steps, "written")
        rows = sum(len(frame) for frame in report.tables.values())
        kind = "IDENTIFIED" if identified else "de-identified"
        self.stdout.write(f"Wrote {out} ({fmt}, {kind}, {len(report.tables)} tables, {rows} rows).")

    def _superuser(self, username):
        if not username:
            raise CommandError("--identified needs --user naming a superuser.")
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None or not user.is_superuser:
            raise CommandError(f"{username!r} is not an active superuser.")
        return user
