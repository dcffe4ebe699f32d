"""`make bench`: Dealsite against Datasette on the same 100,000 generated deals, with the bare SQL as the floor.

1. Builds bench/demo-100k.sqlite3 once (migrated again on later runs, so new indexes arrive); with
   DATABASE_URL set to PostgreSQL, fills that database too (the same seed gives the same rows).
2. Serves the site with gunicorn on 127.0.0.1 as in production (DEBUG off, 2 workers) and Datasette
   (from bench/.venv) on the SQLite file, and sends each a fixed number of requests per endpoint:
   one at a time for latency (to ours and to Datasette in turns), then from 4 clients at once for requests per
   second.
3. Times the bare SQL of each request on the database behind our server.
4. Prints one table and writes it to bench/results.json.

Only loopback traffic; every loop has a fixed count. BENCH_REQUESTS (default 50) sets the count.
"""

import json
import os
import platform
import sqlite3
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT), str(BENCH)]

import endpoints  # noqa: E402
import load  # noqa: E402

DB = BENCH / f"{endpoints.DATASETTE_DB}.sqlite3"
SQLITE_URL = f"sqlite:///{DB}"
TARGET_URL = os.environ.get("DATABASE_URL") or SQLITE_URL
GENERATE = ["generate_demo_data", "--companies", "10000", "--deals", "100000", "--seed", "1"]
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "50"))
OUR_PORT = int(os.environ.get("BENCH_PORT", "8021"))
DATASETTE_PORT = OUR_PORT + 1
RESULTS = BENCH / "results.json"
SERVER_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-not-a-production-secret-key-0123456789abcdefghij",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",
    "API_ANON_RATE": "1000000/minute",
    "DATABASE_URL": TARGET_URL,
}


def manage(*args: str, database_url: str, env: dict | None = None) -> None:
    environment = {**os.environ, **(env or {}), "DATABASE_URL": database_url}
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=environment, check=True)


def sqlite_deal_count() -> int:
    with sqlite3.connect(DB) as connection:
        return connection.execute("SELECT COUNT(*) FROM deals_deal").fetchone()[0]


def build_databases() -> None:
    manage("migrate", "--noinput", "-v0", database_url=SQLITE_URL)
    if sqlite_deal_count() == 0:
        print(f"Building {DB.name} (once; later runs reuse it)", flush=True)
        manage(*GENERATE, database_url=SQLITE_URL)
    with sqlite3.connect(DB) as sqlite:
        # A file built before a migration added indexes lacks their statistics (generate_demo_data analyzes).
        sqlite.execute("ANALYZE")
    if TARGET_URL != SQLITE_URL:
        manage("migrate", "--noinput", "-v0", database_url=TARGET_URL)
        from django.db import connection

        from deals.models import Deal

        if not Deal.objects.exists():
            print("Filling the PostgreSQL database with the same data", flush=True)
            manage(*GENERATE, database_url=TARGET_URL)
        # A migration that rewrote rows leaves them for autovacuum to mark visible to all: do it now, so the
        # counts read their indexes alone from the first request, as they do once autovacuum has been by.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def setup_django() -> None:
    os.environ["DATABASE_URL"] = TARGET_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dealsite.settings")
    import django

    django.setup()


def busiest(database) -> tuple[dict, dict]:
    """The company with the most deals, and the fifth busiest investor, from one database."""
    from django.db.models import Count

    from deals.figures.totals import INVESTING
    from deals.models import CompanyTotals, DealParty

    top = CompanyTotals.objects.using(database).select_related("company").order_by("-deal_count").first()
    investors = (
        DealParty.objects.using(database)
        .filter(role__in=INVESTING)
        .values("company_id", "company__slug")
        .annotate(deals=Count("deal"))
        .order_by("-deals", "company_id")
    )
    investor = investors[4]
    return (
        {"id": top.company_id, "slug": top.company.slug, "deals": top.deal_count},
        {"id": investor["company_id"], "slug": investor["company__slug"]},
    )


def sqlite_ids(company: dict) -> dict:
    with sqlite3.connect(DB) as connection:
        (pk,) = connection.execute("SELECT id FROM deals_company WHERE slug = ?", (company["slug"],)).fetchone()
    return {**company, "id": pk}


def our_query_count(path: str) -> int:
    """The queries of a request after a first one, as the timed requests ran (totals and markup kept)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    for _warm_up_then_counted in range(2):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
            b"".join(response) if response.streaming else response.content
    return len(queries.captured_queries)


def datasette_query_count(path: str) -> int | None:
    """Datasette lists the SQL it ran when asked with ?_trace=1 (trace_debug on); CSV streams say nothing."""
    if ".csv?" in path:
        return None
    traced = path.replace("&_shape=array", "") + ("&" if "?" in path else "?") + "_trace=1"
    import http.client

    connection = http.client.HTTPConnection(load.HOST, DATASETTE_PORT, timeout=60)
    connection.request("GET", traced)
    body = json.loads(connection.getresponse().read())
    connection.close()
    return len(body.get("_trace", {}).get("traces", [])) if isinstance(body, dict) else None


def sql_runner():
    """run(sql, params) on the database behind our server, fetching every row."""
    from django.db import connection

    if connection.vendor == "sqlite":
        database = sqlite3.connect(f"file:{connection.settings_dict['NAME']}?mode=ro", uri=True)
        return lambda sql, params: database.execute(sql.replace("%s", "?"), params).fetchall()
    cursor = connection.cursor()

    def run(sql, params):
        cursor.execute(sql, params)
        return cursor.fetchall()

    return run


def machine() -> dict:
    from django.db import connection

    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").exists() else []
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), platform.machine())
    if connection.vendor == "sqlite":
        version = connection.Database.sqlite_version
    else:
        version = f"{connection.pg_version // 10000}.{connection.pg_version % 10000}"
    datasette = subprocess.run([BENCH / ".venv/bin/datasette", "--version"], capture_output=True, text=True)
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "database": f"{connection.vendor} {version}",
        "datasette": datasette.stdout.strip(),
    }


def ratio(ours: float | None, other: float | None) -> float | None:
    return round(ours / other, 2) if ours and other else None


def run_mix(ours_mix, datasette_mix) -> list[dict]:
    runner = sql_runner()
    rows = []
    for ours, theirs in zip(ours_mix, datasette_mix, strict=True):
        count = ours.requests or REQUESTS
        print(f"  {ours.name}", flush=True)
        our_timing, their_timing = load.measure_pair((OUR_PORT, ours.ours), (DATASETTE_PORT, theirs.datasette), count)
        floor = load.time_sql(runner, ours.sql, count)
        rows.append(
            {
                "endpoint": ours.name,
                "path": ours.ours,
                "datasette_path": theirs.datasette,
                "ours": {**vars(our_timing), "sql_queries": our_query_count(ours.ours)},
                "datasette": {**vars(their_timing), "sql_queries": datasette_query_count(theirs.datasette)},
                "bare_sql_ms": round(floor, 2),
                "ours_vs_datasette_p50": ratio(our_timing.p50_ms, their_timing.p50_ms),
                "ours_vs_bare_sql_p50": ratio(our_timing.p50_ms, floor),
                "requests": count,
            }
        )
    return rows


def _number(value, digits=1) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def print_table(rows: list[dict], vendor: str) -> None:
    print(f"\nDealsite ({vendor}, gunicorn 2 workers) vs Datasette (SQLite, immutable); ms, req/s with 4 clients")
    header = (
        f"{'endpoint':38} {'p50':>7} {'p95':>7} {'req/s':>6} {'SQL':>4} │ {'DS p50':>7} {'DS p95':>7} "
        f"{'DS r/s':>6} {'SQL':>4} │ {'bare':>6} │ {'÷DS':>5} {'÷bare':>6}"
    )
    print(header)
    print("─" * len(header))
    for row in rows:
        ours, theirs = row["ours"], row["datasette"]
        status = "" if ours["status"] == 200 else f" [{ours['status']}]"
        print(
            f"{(row['endpoint'] + status)[:38]:38} {_number(ours['p50_ms']):>7} {_number(ours['p95_ms']):>7} "
            f"{_number(ours['requests_per_s'], 0):>6} {ours['sql_queries']:>4} │ {_number(theirs['p50_ms']):>7} "
            f"{_number(theirs['p95_ms']):>7} {_number(theirs['requests_per_s'], 0):>6} "
            f"{_number(theirs['sql_queries'], 0) if theirs['sql_queries'] is not None else '—':>4} │ "
            f"{_number(row['bare_sql_ms'], 2):>6} │ {_number(row['ours_vs_datasette_p50'], 2):>5} "
            f"{_number(row['ours_vs_bare_sql_p50'], 0):>6}"
        )


def main() -> None:
    setup_django()
    build_databases()
    from django.db import connection

    top, investor = busiest("default")
    csv_requests = max(5, REQUESTS // 5)
    ours_mix = endpoints.mix(top, investor, csv_requests)
    datasette_mix = endpoints.mix(sqlite_ids(top), sqlite_ids(investor), csv_requests)
    manage("collectstatic", "--noinput", "-v0", database_url=TARGET_URL, env=SERVER_ENV)
    gunicorn = [str(Path(sys.executable).with_name("gunicorn")), "dealsite.wsgi", "--workers", "2"]
    gunicorn += ["--bind", f"{load.HOST}:{OUR_PORT}", "--log-level", "warning", "--chdir", str(ROOT)]
    datasette = [str(BENCH / ".venv/bin/datasette"), "serve", "--immutable", str(DB), "--host", load.HOST]
    datasette += ["--port", str(DATASETTE_PORT), "--setting", "trace_debug", "1", "--setting", "suggest_facets", "off"]
    datasette += ["--setting", "sql_time_limit_ms", "10000"]
    print(f"Measuring {REQUESTS} requests per endpoint ({connection.vendor})", flush=True)
    with ExitStack() as stack:
        stack.enter_context(load.Server(gunicorn, OUR_PORT, "/healthz", SERVER_ENV))
        stack.enter_context(load.Server(datasette, DATASETTE_PORT, "/-/versions.json", output=subprocess.DEVNULL))
        rows = run_mix(ours_mix, datasette_mix)
    print_table(rows, connection.vendor)
    results = {"machine": machine(), "requests_per_endpoint": REQUESTS, "endpoints": rows}
    RESULTS.write_text(json.dumps(results, indent=2, default=str))
    print(f"\nWritten to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
