from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from deals.models import Company, Deal, DealParty, Source
from deals.rules import content_version
from deals.rules.public import refresh_public_companies, refresh_public_sources

# JSON Lines since they carry text exactly (`backup`); older backups were XML, which loads with values stripped.
BACKUP_SUFFIXES = (".jsonl", ".jsonl.gz", ".xml", ".xml.gz")


class Command(BaseCommand):
    help = "Load a backup made by `backup` into a migrated, empty database."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The backup file: .jsonl or .jsonl.gz (or an older backup's .xml or .xml.gz).")

    def handle(self, *args, path, **options):
        if not path.endswith(BACKUP_SUFFIXES):
            raise CommandError(f"Not a backup made by `backup`: {path} (.jsonl.gz, .jsonl, .xml.gz or .xml).")
        if Deal.objects.exists() or Company.objects.exists() or Source.objects.exists():
            raise CommandError(
                "The database already holds data; restore only into an empty database "
                "(e.g. a new one, after `manage.py migrate`)."
            )
        # The groups made by the data migration come back from the backup, with their original ids.
        call_command("flush", interactive=False, inhibit_post_migrate=False, verbosity=0)
        call_command("loaddata", path, verbosity=0)
        # Figures derived from the rows (a backup made before they existed holds none).
        DealParty.objects.copy_from_deals()
        refresh_public_companies()
        refresh_public_sources()
        content_version.renew()
        self.stdout.write(self.style.SUCCESS(f"Restored {Deal.objects.count()} deals from {path}"))
