"""`make bench`: every URL pattern of Dealsite against Datasette's closest request, on the same 100,000 generated deals.

    .venv/bin/python bench/run.py [--db sqlite|postgresql|both] [--mode off|warm|both]

1. Builds bench/demo-100k.sqlite3 once (migrated again on later runs, so new indexes arrive) and fills the PostgreSQL
   database (BENCH_POSTGRES_URL, default dealsite_bench on 127.0.0.1) with the same rows when it is empty.
2. Serves Datasette (bench/.venv, immutable) on the SQLite file, and for each database and cache mode our site with
   gunicorn as in production (DEBUG off, 2 workers): SQLite with a fresh file cache, PostgreSQL with Redis
   (BENCH_REDIS_URL, default db 1, flushed before each mode).
   - cache off: PAGE_CACHE_SECONDS=0 (the whole-response cache off; other caches as in production), two untimed
     requests to each server per URL, then the timed ones.
   - cache warm: PAGE_CACHE_SECONDS as configured (BENCH_PAGE_CACHE_SECONDS, default 600); one request per URL to
     each server first, then the timed ones.
3. Sends BENCH_REQUESTS (default 20) requests per URL one at a time, ours and Datasette's in turns (a whole-table
   or whole-graph export: a tenth of that, at least 3, or BENCH_EXPORT_REQUESTS); a request that is not 2xx, or
   whose response is cut off (status 0), marks its row as failed.
4. Writes bench/results-<db>-<mode>.md and .json and prints the table; bench/report.py prints them all again.

BENCH_QUICK=1 tries it fast (3 requests per URL, 1 per export); --no-exports leaves the exports out.
Only loopback traffic; every loop has a fixed count.
"""

import argparse
import json
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(BENCH)]

import endpoints  # noqa: E402
import load  # noqa: E402
import picks  # noqa: E402
import report  # noqa: E402

DB = BENCH / f"{endpoints.DATASETTE_DB}.sqlite3"
SQLITE_URL = f"sqlite:///{DB}"
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/dealsite_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/1")
GENERATE = ["generate_demo_data", "--companies", "10000", "--deals", "100000", "--seed", "1"]
QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")
REQUESTS = 3 if QUICK else int(os.environ.get("BENCH_REQUESTS", "20"))
EXPORT_REQUESTS = 1 if QUICK else int(os.environ.get("BENCH_EXPORT_REQUESTS", max(3, REQUESTS // 10)))
PAGE_CACHE_SECONDS = os.environ.get("BENCH_PAGE_CACHE_SECONDS", "600")
OUR_PORT = int(os.environ.get("BENCH_PORT", "8021"))
DATASETTE_PORT = OUR_PORT + 1
WORKERS = "2"
SERVER_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-not-a-production-secret-key-0123456789abcdefghij",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",
    "API_ANON_RATE": "1000000/minute",
}
DATABASES = {"sqlite": SQLITE_URL, "postgresql": POSTGRES_URL}


def manage(*args: str, database_url: str, env: dict | None = None) -> None:
    environment = {**os.environ, **SERVER_ENV, **(env or {}), "DATABASE_URL": database_url}
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=environment, check=True)


def deal_count(database_url: str) -> int:
    return picks.run_one(database_url, "SELECT COUNT(*) FROM deals_deal")


def build(database: str) -> None:
    url = DATABASES[database]
    manage("migrate", "--noinput", "-v0", database_url=url)
    if deal_count(url) == 0:
        print(f"Filling {database} with 100,000 generated deals (once; later runs reuse them)", flush=True)
        manage(*GENERATE, database_url=url)
    if database == "sqlite":
        with sqlite3.connect(DB) as connection:
            # A file built before a migration added indexes lacks their statistics (generate_demo_data analyzes).
            connection.execute("ANALYZE")
    else:
        # A migration that rewrote rows leaves them for autovacuum to mark visible to all: do it now, so the counts
        # read their indexes alone from the first request, as they do once autovacuum has been by.
        import psycopg

        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute("VACUUM ANALYZE")


def fresh_cache(database: str, stack: ExitStack) -> str:
    """The CACHE_URL of a run, emptied: a new file cache for SQLite, Redis (its own db, flushed) for PostgreSQL."""
    if database == "sqlite":
        return "file://" + stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-cache-"))
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    return REDIS_URL


def our_server(database: str, mode: str, cache_url: str) -> load.Server:
    env = {
        **SERVER_ENV,
        "DATABASE_URL": DATABASES[database],
        "CACHE_URL": cache_url,
        "PAGE_CACHE_SECONDS": "0" if mode == "off" else PAGE_CACHE_SECONDS,
    }
    command = [str(Path(sys.executable).with_name("gunicorn")), "dealsite.wsgi", "--workers", WORKERS]
    # A whole-table export streams for longer than gunicorn's default 30 s when the machine is busy.
    command += ["--bind", f"{load.HOST}:{OUR_PORT}", "--log-level", "warning", "--chdir", str(ROOT), "--timeout", "300"]
    return load.Server(command, OUR_PORT, "/healthz", env)


def datasette_server() -> load.Server:
    command = [str(BENCH / ".venv/bin/datasette"), "serve", "--immutable", str(DB), "--host", load.HOST]
    command += ["--port", str(DATASETTE_PORT), "--setting", "suggest_facets", "off"]
    command += ["--setting", "sql_time_limit_ms", "10000", "--setting", "facet_time_limit_ms", "100"]
    return load.Server(command, DATASETTE_PORT, "/-/versions.json", output=subprocess.DEVNULL)


def measure(mix: list, mode: str) -> list[dict]:
    if mode == "warm":
        for endpoint in mix:
            load.get(OUR_PORT, endpoint.ours)
            load.get(DATASETTE_PORT, endpoint.datasette)
    rows = []
    for endpoint in mix:
        count = EXPORT_REQUESTS if endpoint.export else REQUESTS
        print(f"  {endpoint.name}", flush=True)
        ours, theirs = load.measure_pair(
            (OUR_PORT, endpoint.ours),
            (DATASETTE_PORT, endpoint.datasette),
            count,
            warmup=2 if mode == "off" and not endpoint.export else 0,
        )
        rows.append(
            {
                "endpoint": endpoint.name,
                "path": endpoint.ours,
                "datasette_path": endpoint.datasette,
                "export": endpoint.export,
                "requests": count,
                "ours": vars(ours),
                "datasette": vars(theirs),
            }
        )
    return rows


def machine(database: str) -> dict:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").exists() else []
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), platform.machine())
    if database == "sqlite":
        version = f"SQLite {sqlite3.sqlite_version}"
    else:
        version = f"PostgreSQL {picks.run_one(POSTGRES_URL, 'SHOW server_version')}"
    datasette = subprocess.run([BENCH / ".venv/bin/datasette", "--version"], capture_output=True, text=True)
    git = ["git", "-C", str(ROOT)]
    commit = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run([*git, "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True)
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "load_average": round(os.getloadavg()[0], 1),
        "python": platform.python_version(),
        "database": version,
        "datasette": datasette.stdout.strip(),
        "commit": commit + (" (with uncommitted changes)" if dirty.stdout.strip() else ""),
    }


def run(database: str, modes: list[str], theirs: dict, no_exports: bool) -> None:
    ours = picks.pick(DATABASES[database])
    mix = [endpoint for endpoint in endpoints.mix(ours, theirs) if not (no_exports and endpoint.export)]
    for mode in modes:
        print(f"\n{database}, cache {mode}: {len(mix)} URLs, {REQUESTS} requests each", flush=True)
        started = time.monotonic()
        with ExitStack() as stack:
            stack.enter_context(our_server(database, mode, fresh_cache(database, stack)))
            rows = measure(mix, mode)
        result = {
            "database": database,
            "mode": mode,
            "measured_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "minutes": round((time.monotonic() - started) / 60, 1),
            "machine": machine(database),
            "requests_per_url": REQUESTS,
            "requests_per_export": EXPORT_REQUESTS,
            "workers": int(WORKERS),
            "picks": ours,
            "endpoints": rows,
        }
        stem = BENCH / f"results-{database}-{mode}"
        stem.with_suffix(".json").write_text(json.dumps(result, indent=2, default=str))
        table = report.markdown(result)
        stem.with_suffix(".md").write_text(table)
        print("\n" + table, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--mode", choices=["off", "warm", "both"], default="both")
    parser.add_argument("--no-exports", action="store_true", help="leave out the whole-table and whole-graph exports")
    arguments = parser.parse_args()
    databases = ["sqlite", "postgresql"] if arguments.db == "both" else [arguments.db]
    modes = ["off", "warm"] if arguments.mode == "both" else [arguments.mode]
    for database in dict.fromkeys(["sqlite", *databases]):
        build(database)
    manage("collectstatic", "--noinput", "-v0", database_url=SQLITE_URL)
    theirs = picks.pick(SQLITE_URL)
    with datasette_server():
        for database in databases:
            run(database, modes, theirs, arguments.no_exports)


if __name__ == "__main__":
    main()
