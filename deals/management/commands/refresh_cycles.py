"""Rebuild the circular deals now, waiting for any rebuild another process is running."""

from django.core.management.base import BaseCommand

from deals.cycles_refresher import refresh_exclusively


class Command(BaseCommand):
    help = "Rebuild the circular deals (the Cycle tables) from the published deals."

    def handle(self, *args, **options):
        kept = refresh_exclusively()
        self.stdout.write(f"{kept} circular deals kept.")
