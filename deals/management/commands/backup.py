import datetime
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand

# Rebuilt by `migrate` on the target database, or worthless after a restore.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "axes"]


class Command(BaseCommand):
    help = "Write every row of the database (content, history, users, groups) to an XML file, gzipped if .gz."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="Output file (default: backups/dealsite-<timestamp>.xml.gz).")

    def handle(self, *args, path=None, **options):
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
        target = Path(path or f"backups/dealsite-{stamp}.xml.gz")
        target.parent.mkdir(parents=True, exist_ok=True)
        # XML, not JSON: Django's JSON encoder cuts timestamps to milliseconds.
        call_command(
            "dumpdata",
            format="xml",
            natural_foreign=True,
            natural_primary=False,
            exclude=EXCLUDED,
            output=str(target),
            verbosity=0,
        )
        self.stdout.write(self.style.SUCCESS(f"Backup written to {target}"))
