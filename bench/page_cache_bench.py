"""p50 of a few public endpoints, in process with Django's test client, with the response cache off and warm.

    DATABASE_URL=sqlite:////tmp/cache100k.sqlite3 .venv/bin/python bench/page_cache_bench.py [off|warm] [requests]

Run from the project folder whose code is measured (a checkout of main has no response cache: "off" is all it
has). The company measured is the one with the most published deals, and one with a median number.
"""

import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dealsite.settings")
os.environ.setdefault("API_ANON_RATE", "1000000/minute")
os.environ.setdefault("CACHE_URL", f"file://{tempfile.mkdtemp(prefix='page-cache-bench-')}")
MODE = sys.argv[1] if len(sys.argv) > 1 else "off"
REQUESTS = int(sys.argv[2]) if len(sys.argv) > 2 else 30
os.environ["PAGE_CACHE_SECONDS"] = "0" if MODE == "off" else "3600"

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402

from deals.models import CompanyTotals  # noqa: E402


def companies() -> list[str]:
    totals = CompanyTotals.objects.filter(company__has_page=True).order_by("-deal_count", "company_id")
    busiest = totals.values_list("company__slug", flat=True).first()
    median = totals[totals.count() // 2 : totals.count() // 2 + 1].values_list("company__slug", flat=True)[0]
    return [busiest, median]


def main() -> None:
    busiest, median = companies()
    endpoints = [
        "/deals/",
        f"/companies/{busiest}/",
        f"/companies/{median}/",
        "/alliances/",
        "/api/v1/deals/",
    ]
    client = Client()
    print(f"mode={MODE} requests={REQUESTS}")
    for url in endpoints:
        first = client.get(url)
        assert first.status_code == 200, (url, first.status_code)
        times = []
        for _ in range(REQUESTS):
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        header = response.get("X-Cache", "-")
        print(f"{url:40} p50 {statistics.median(times):8.2f} ms  first {len(first.content):7} bytes  X-Cache {header}")


if __name__ == "__main__":
    main()
