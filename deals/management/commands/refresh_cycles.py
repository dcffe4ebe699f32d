"""Rebuild the circular deals now (waiting for any figure task a worker is running), or queue the rebuild."""

from django.core.management.base import BaseCommand

from deals.figures import tasks


class Command(BaseCommand):
    help = "Rebuild the circular deals (the Cycle tables) from the published deals; --enqueue leaves it to a worker."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="queue the rebuild for `manage.py db_worker`")

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            tasks.request_cycles_rebuild()
            self.stdout.write("Rebuild of the circular deals queued.")
            return
        kept = tasks.rebuild_cycles.call()
        self.stdout.write(f"{kept} circular deals kept.")
