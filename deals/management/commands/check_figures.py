from django.core.management.base import BaseCommand, CommandError

from deals.figures.figures_check import TABLES, differences


class Command(BaseCommand):
    help = (
        "Recompute every stored figure (money flows, alliances, company totals and years, circular deals) from "
        "the deals and list each difference; exits with an error when there is one. Changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=50, help="Differences to list (all are counted).")

    def handle(self, *args, limit, **options):
        found = differences()
        for difference in found[:limit]:
            self.stdout.write(str(difference))
        checked = ", ".join(table.name for table in TABLES)
        if found:
            raise CommandError(f"{len(found)} figures differ from what the deals give ({checked}).")
        self.stdout.write(self.style.SUCCESS(f"0 differences: {checked} all agree with the deals."))
