"""Time `q` on the lists and the API on a generated database (a script, not a test).

    DATABASE_URL=sqlite:////tmp/search100k.sqlite3 .venv/bin/python bench/search_bench.py

Each request searches a term not asked before (parts of company names and whole names, drawn with a fixed seed),
so no remembered count helps it: the p50 and p95 are those of a new search.
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
URLS = ["/deals/", "/alliances/", "/companies/", "/api/v1/deals/", "/search/"]
TERMS = 30


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dealsite.settings")
    os.environ.setdefault("API_ANON_RATE", "100000/minute")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test import Client

    from deals.models import Company

    names = list(Company.objects.order_by("pk").values_list("name", flat=True))
    rng = random.Random(1)
    client = Client()
    for url in URLS:
        if url == "/search/" and not _has_search_page():
            continue
        picked = rng.sample(names, TERMS)
        terms = [name.split()[0][:4].lower() for name in picked[: TERMS // 2]] + picked[TERMS // 2 :]
        timings = []
        for term in terms:
            start = time.perf_counter()
            response = client.get(url, {"q": term})
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, term, response.status_code)
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(f"{url:18} p50 {statistics.median(timings):7.1f} ms   p95 {p95:7.1f} ms   ({len(terms)} new terms)")


def _has_search_page() -> bool:
    from django.urls import NoReverseMatch, reverse

    try:
        reverse("deals:search")
    except NoReverseMatch:
        return False
    return True


if __name__ == "__main__":
    main()
