"""Time the circular-deal search on 10,000 companies and 100,000 deals (a script, not a test).

    .venv/bin/python bench/cycles_bench.py                 # build /tmp/dealsite-cycles-bench.sqlite3, then time
    .venv/bin/python bench/cycles_bench.py --reuse         # time again on the database already built

The data comes from `generate_demo_data` (bulk inserts, published deals, a few giant companies) in
a SQLite file of its own, so the project's database is never touched.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="/tmp/dealsite-cycles-bench.sqlite3", help="SQLite file to build and use.")
    parser.add_argument("--companies", type=int, default=10_000)
    parser.add_argument("--deals", type=int, default=100_000)
    parser.add_argument("--reuse", action="store_true", help="Use the database already built at --db.")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = f"sqlite:///{args.db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dealsite.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    if not args.reuse:
        Path(args.db).unlink(missing_ok=True)
        call_command("migrate", verbosity=0)
        with timed("generate_demo_data"), open(os.devnull, "w") as quiet:
            call_command("generate_demo_data", companies=args.companies, deals=args.deals, flush=True, stdout=quiet)
    report()


def report() -> None:
    from collections import Counter

    from deals.figures import cycles
    from deals.figures.flows import flows, folded
    from deals.models import Company, Cycle, Deal

    print(f"{Company.objects.count()} companies, {Deal.objects.published().count()} published deals")
    with timed("load the flows (3 queries)"):
        separate = flows(fold=False)
    with timed("fold subsidiaries into parents"):
        together = folded(separate)
    for label, view in (("folded", together), ("subsidiaries apart", separate)):
        legs = {(flow.payer_id, flow.payee_id) for flow in view}
        print(f"{label}: {len(view)} flows, {len(legs)} payer→payee legs")
        with timed(f"  find cycles ({label})"):
            found = cycles.find(view)
        lengths = Counter(len(cycle.steps) for cycle in found)
        print(f"  {len(found)} cycles kept (cap {cycles.MAX_KEPT}), by length: {dict(sorted(lengths.items()))}")
    with timed("refresh: load, search both views, rewrite the Cycle table"):
        cycles.refresh()
    print(f"  {Cycle.objects.count()} Cycle rows")
    pages()


def pages() -> None:
    """One request to each money page, for scale (the pages read the kept cycles, they do not search)."""
    from django.test import Client

    client = Client()
    for path in ("/circular/", "/circular/?separate=true", "/api/v1/cycles/", "/network/", "/proxy-war/", "/charts/"):
        with timed(f"GET {path}"):
            status = client.get(path).status_code
        assert status == 200, (path, status)


class timed:
    def __init__(self, label: str):
        self.label = label

    def __enter__(self):
        self.started = time.perf_counter()

    def __exit__(self, *exc):
        print(f"{self.label}: {time.perf_counter() - self.started:.1f} s", flush=True)


if __name__ == "__main__":
    main()
