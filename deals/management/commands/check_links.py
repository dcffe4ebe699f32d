"""`manage.py check_links`: lists the sources whose links are dead (4xx, 5xx, no answer) or redirect elsewhere."""

from django.core.management.base import BaseCommand, CommandError

from deals.exchange.link_check import DEAD, REDIRECTED, check_sources
from deals.models import Source


class Command(BaseCommand):
    help = "Check every source's link and archived link; report those that are dead or redirected."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=10.0, help="Seconds to wait for each answer (10).")
        parser.add_argument("--concurrency", type=int, default=8, help="Links checked at the same time at most (8).")
        parser.add_argument("--public", action="store_true", help="Only the sources published deals cite.")

    def handle(self, *args, timeout, concurrency, public, **options):
        if timeout <= 0 or concurrency < 1:
            raise CommandError("--timeout must be above 0 and --concurrency at least 1.")
        sources = Source.objects.filter(cited_publicly=True) if public else Source.objects.all()
        sources = sources.exclude(url="", archived_url="").order_by("pk").only("pk", "url", "archived_url")
        results = check_sources(sources, timeout=timeout, concurrency=concurrency)
        problems = [result for result in results if result.verdict in (DEAD, REDIRECTED)]
        for result in problems:
            label = "archived" if result.field == "archived_url" else "link"
            style = self.style.ERROR if result.verdict == DEAD else self.style.WARNING
            self.stdout.write(
                style(f"{result.verdict}\tsource #{result.source_id}\t{label}\t{result.url}\t{result.detail}")
            )
        dead = sum(result.verdict == DEAD for result in problems)
        redirected, ok = len(problems) - dead, len(results) - len(problems)
        self.stdout.write(f"{len(results)} links checked: {dead} dead, {redirected} redirected, {ok} ok.")
