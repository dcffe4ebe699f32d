"""Profile one request with pyinstrument, as production serves it (DEBUG off), on the benchmark's database.

    .venv/bin/python bench/profile.py /companies/some-slug/ [repeats]

Prints pyinstrument's call tree of the slowest of a few requests (the first warms the caches).
DATABASE_URL picks the database, as for `make bench` (default: bench/demo-100k.sqlite3).
"""

import os
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{BENCH / 'demo-100k.sqlite3'}")
os.environ.update(
    DEBUG="0",
    SECRET_KEY="bench-only-not-a-production-secret-key-0123456789abcdefghij",
    ALLOWED_HOSTS="testserver",
    SECURE_SSL_REDIRECT="0",
    API_ANON_RATE="1000000/minute",
    DJANGO_SETTINGS_MODULE="dealsite.settings",
)


def main(path: str, repeats: int) -> None:
    import django

    django.setup()
    from django.test import Client
    from pyinstrument import Profiler

    client = Client()
    client.get(path)
    slowest = None
    for _ in range(repeats):
        profiler = Profiler(interval=0.0005)
        profiler.start()
        response = client.get(path)
        b"".join(response) if response.streaming else response.content
        profiler.stop()
        if slowest is None or profiler.last_session.duration > slowest.last_session.duration:
            slowest = profiler
    print(f"{path}: {response.status_code}, slowest of {repeats}: {slowest.last_session.duration * 1000:.0f} ms")
    print(slowest.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 3)
