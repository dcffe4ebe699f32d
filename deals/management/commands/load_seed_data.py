from django.core.management.base import BaseCommand

from deals.exchange.seed.loader import SEED_FILE, load


class Command(BaseCommand):
    help = "Load the companies, sources and deals of the seed articles (existing records are left alone)."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(SEED_FILE), help="YAML file to load (default: the reviewed seed).")

    def handle(self, *args, **options):
        from pathlib import Path

        report = load(Path(options["file"]))
        self.stdout.write(self.style.SUCCESS(f"Seed data loaded: {report}."))
