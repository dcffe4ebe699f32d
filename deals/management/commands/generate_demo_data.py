import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from deals.exchange import demo_data

BAR_WIDTH = 30


class TerminalProgress:
    """One line redrawn in place: `deals           [#######.......]  45000/100000`."""

    def __init__(self, stream):
        self.stream = stream
        self.label, self.total, self.done, self.shown = "", 0, 0, -1

    def start(self, label: str, total: int) -> None:
        self.label, self.total, self.done, self.shown = label, max(total, 1), 0, -1
        self._draw()

    def advance(self, count: int = 1) -> None:
        self.done = min(self.total, self.done + count)
        self._draw()

    def finish(self) -> None:
        self.stream.write("\n")
        self.stream.flush()

    def _draw(self) -> None:
        filled = BAR_WIDTH * self.done // self.total
        if filled == self.shown and self.done < self.total:
            return
        self.shown = filled
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        self.stream.write(f"\r{self.label:<15} [{bar}] {self.done:>7}/{self.total}")
        self.stream.flush()


class Command(BaseCommand):
    help = (
        "Fill an empty database with invented, published deals for demos and benchmarks (the same seed gives the "
        "same data). Refuses a database that already has companies, deals or sources unless --flush is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--companies", type=int, default=10_000, help="How many companies (default 10000).")
        parser.add_argument("--deals", type=int, default=100_000, help="How many deals (default 100000).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--flush",
            action="store_true",
            help="First delete every company, deal, source, alliance and their history (users are kept).",
        )

    def handle(self, *args, **options):
        if options["companies"] < 10 or options["deals"] < 1:
            raise CommandError("Use at least --companies 10 and --deals 1.")
        existing = demo_data.has_content()
        if existing and not options["flush"]:
            found = ", ".join(f"{count} {name}" for name, count in existing.items())
            raise CommandError(
                f"The database already holds {found}; demo data would mix with it. "
                "Run again with --flush to delete them first (users are kept), or point DATABASE_URL elsewhere."
            )
        started = time.monotonic()
        if options["flush"]:
            demo_data.flush_content()
        stream = self.stdout._out
        progress = TerminalProgress(stream) if stream.isatty() else None
        summary = demo_data.generate(options["companies"], options["deals"], options["seed"], progress)
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"Generated {summary} in {elapsed:.1f} s (seed {options['seed']}, {connection.vendor}).")
        )
