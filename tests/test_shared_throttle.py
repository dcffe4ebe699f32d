"""The API throttle's counts live in the cache every worker shares (CACHE_URL): two processes see one count.

Each "worker" is a process of its own with the same settings, asking the API through Django's test client; the
request is one the throttle counts and that needs no database (a filter the list refuses: 400 until 429).
"""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis

ROOT = Path(__file__).resolve().parent.parent
WORKER = """
import os, sys
sys.path.insert(0, os.getcwd())
import django
django.setup()
from django.test import Client
client = Client()
print(" ".join(
    str(client.get("/api/v1/deals/", {"kind": "bogus"}, REMOTE_ADDR=sys.argv[1]).status_code)
    for _ in range(int(sys.argv[2]))
))
"""
REDIS_URL = "redis://127.0.0.1:6379/0"


def _environment(**env) -> dict:
    inherited = {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "CACHE_URL"}
    return {
        **{name: value for name, value in os.environ.items() if name not in inherited},
        "DJANGO_SETTINGS_MODULE": "dealsite.settings",
        "API_ANON_RATE": "5/minute",
        # The throttle is the subject: each request reaches the API (the kept pages read the content version, and
        # these workers have no migrated database).
        "PAGE_CACHE_SECONDS": "0",
        **env,
    }


def _worker(address: str, **env) -> list[int]:
    result = subprocess.run(
        [sys.executable, "-c", WORKER, address, "4"],
        cwd=ROOT,
        env=_environment(**env),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return [int(status) for status in result.stdout.split()]


def _two_workers(address: str, **env) -> list[int]:
    return _worker(address, **env) + _worker(address, **env)


def test_two_workers_on_the_file_cache_count_together(tmp_path):
    statuses = _two_workers("203.0.113.50", CACHE_URL=f"file://{tmp_path}")

    assert statuses == [400] * 5 + [429] * 3  # a process each would have let all eight through


def test_the_default_cache_is_shared_by_the_processes_of_the_machine(tmp_path):
    """Unset, CACHE_URL means a file cache under the project: still one count for two processes."""
    address = f"2001:db8::{uuid.uuid4().hex[:4]}"
    statuses = _two_workers(address)

    assert statuses == [400] * 5 + [429] * 3


def _redis_or_skip():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")


def test_two_workers_on_redis_count_together():
    _redis_or_skip()
    # An address of the documentation range no other run uses: the Redis server may be shared.
    address = f"2001:db8::{uuid.uuid4().hex[:4]}:{uuid.uuid4().hex[:4]}"
    try:
        assert _two_workers(address, CACHE_URL=REDIS_URL) == [400] * 5 + [429] * 3
    finally:
        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(f"*throttle_anon_{address}*"):
            client.delete(key)


def test_workers_answering_one_client_at_once_let_exactly_the_rate_through():
    """Six processes send 20 requests each from one address at the same time; the rate is 5 a minute."""
    _redis_or_skip()
    address = f"2001:db8::{uuid.uuid4().hex[:4]}:{uuid.uuid4().hex[:4]}"
    environment = _environment(CACHE_URL=REDIS_URL)
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, address, "20"], cwd=ROOT, env=environment, stdout=subprocess.PIPE, text=True
        )
        for _ in range(6)
    ]
    try:
        statuses = [int(status) for worker in workers for status in worker.communicate(timeout=120)[0].split()]
        assert all(worker.returncode == 0 for worker in workers)
        assert len(statuses) == 120
        assert statuses.count(400) == 5
        assert statuses.count(429) == 115
    finally:
        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(f"*throttle_anon_{address}*"):
            client.delete(key)


def test_an_unknown_cache_url_fails_loudly():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**os.environ, "CACHE_URL": "memcached://127.0.0.1:11211"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "CACHE_URL must be a redis://, rediss://, unix:// or file:/// URL" in result.stderr
