"""Production settings pass Django's deployment checks; the health check tells whether the database answers."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.db import DatabaseError, connection

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args, **env):
    inherited = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}
    environment = {**{name: value for name, value in os.environ.items() if name not in inherited}, **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def _python(code, **env):
    inherited = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}
    environment = {**{name: value for name, value in os.environ.items() if name not in inherited}, **env}
    environment["DJANGO_SETTINGS_MODULE"] = "dealsite.settings"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_reports_no_issues():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="x" * 64 + "-production-grade-secret-key-1234567890",
        ALLOWED_HOSTS="dealsite.example",
    )

    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", DEBUG="0", SECRET_KEY="", ALLOWED_HOSTS="dealsite.example")

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_a_misspelt_boolean_fails_loudly():
    result = _manage("check", DEBUG="maybe")

    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr


def test_security_headers(client, db):
    response = client.get("/healthz")

    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in policy


def test_healthz_reports_a_working_database(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_a_failing_database(client, db, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise DatabaseError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr("dealsite.health.connections.create_connection", broken_cursor)
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_a_bad_page_cost_fails_loudly():
    for value in ("fast", "-1", "nan"):
        result = _manage("check", DATABASE_URL="postgres://postgres@127.0.0.1:5432/dealsite", DB_RANDOM_PAGE_COST=value)
        assert result.returncode != 0, value
        assert "DB_RANDOM_PAGE_COST must be a number of at least 0" in result.stderr, result.stderr


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
def test_postgresql_plans_with_the_page_cost_of_an_ssd(db):
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone() == ("1.1",)
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone() == ("0",)


def test_healthz_answers_plain_http_while_everything_else_redirects_to_https(client, db, settings):
    """A load balancer's plain-HTTP probe sees the health, not a redirect (SECURE_REDIRECT_EXEMPT)."""
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200
    assert client.get("/deals/").status_code == 301
    assert client.get("/deals/")["Location"] == "https://testserver/deals/"


def test_the_production_settings_exempt_only_healthz_from_the_https_redirect():
    code = "from django.conf import settings; print(settings.SECURE_SSL_REDIRECT, settings.SECURE_REDIRECT_EXEMPT)"
    result = _manage(
        "shell", "--no-imports", "-c", code, DEBUG="0", SECRET_KEY="x" * 64, ALLOWED_HOSTS="dealsite.example"
    )
    assert result.stdout.strip() == "True ['^healthz$']", result.stderr


def test_a_kept_connection_is_checked_before_use(transactional_db):
    """After the database closes a kept connection (a restart), the next request opens a new one instead of failing."""
    from django.db import connection

    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    if connection.vendor != "postgresql":
        return
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    with psycopg.connect(**connection.get_connection_params()) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    connection.close_if_unusable_or_obsolete()  # what Django does at the start of each request
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid


HEALTHZ_TWICE = """
import time
import django
django.setup()
from django.test import Client
from django.urls import resolve
resolve("/deals/"), resolve("/api/v1/deals/")  # a worker's first request imports every view: not the probe's time
for _ in range(2):
    started = time.monotonic()
    status = Client().get("/healthz").status_code
    print(status, round(time.monotonic() - started, 2))
"""


def test_healthz_answers_503_within_two_seconds_when_the_database_hangs():
    """A server that accepts the connection and never answers (a hung PostgreSQL): 503 in under 2 s, twice (the
    second probe waits for the first one's check, still hanging, instead of starting another)."""
    hung = socket.socket()
    hung.bind(("127.0.0.1", 0))
    hung.listen(8)
    try:
        port = hung.getsockname()[1]
        result = _python(HEALTHZ_TWICE, DATABASE_URL=f"postgres://postgres@127.0.0.1:{port}/dealsite")
    finally:
        hung.close()
    answers = [line.split() for line in result.stdout.splitlines()]
    assert [status for status, _seconds in answers] == ["503", "503"], result.stderr
    assert all(float(seconds) < 2 for _status, seconds in answers), answers


def test_the_web_workers_have_a_statement_timeout_and_every_connection_a_connect_timeout():
    code = (
        "import dealsite.wsgi; from django.conf import settings; options = settings.DATABASES['default']['OPTIONS'];"
        "print(options['connect_timeout'], 'statement_timeout=30000' in options['options'])"
    )
    url = "postgres://postgres@127.0.0.1:5432/dealsite"
    assert _python(code, DATABASE_URL=url).stdout.split() == ["5", "True"]
    command = _manage("shell", "--no-imports", "-c", code.replace("import dealsite.wsgi; ", ""), DATABASE_URL=url)
    assert command.stdout.split() == ["5", "False"], command.stderr
    sqlite = _manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])",
        DATABASE_URL="sqlite:///x.sqlite3",
    )
    assert sqlite.stdout.strip() == (
        "{'timeout': 5.0, 'init_command': 'PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;'}"
    ), sqlite.stderr


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
def test_postgresql_cancels_a_statement_past_the_timeout():
    code = (
        "import django; django.setup(); from django.db import connection, OperationalError\n"
        "with connection.cursor() as cursor:\n"
        "    cursor.execute('SHOW statement_timeout'); print(cursor.fetchone()[0])\n"
        "    try: cursor.execute('SELECT pg_sleep(3)')\n"
        "    except OperationalError as error: print(type(error.__cause__).__name__)\n"
    )
    result = _python(code, DATABASE_URL=os.environ["DATABASE_URL"], DB_STATEMENT_TIMEOUT="1")
    assert result.stdout.split() == ["1s", "QueryCanceled"], result.stderr


def test_a_served_sqlite_database_is_in_wal_mode(tmp_path):
    """Web workers, the task worker and a backup read and write one file: readers never wait for the writer."""
    code = "from django.db import connection; c = connection.cursor(); print(c.execute('PRAGMA journal_mode').fetchone()[0], c.execute('PRAGMA synchronous').fetchone()[0])"  # noqa: E501
    result = _manage("shell", "--no-imports", "-c", code, DATABASE_URL=f"sqlite:///{tmp_path / 'served.sqlite3'}")
    assert result.stdout.split() == ["wal", "1"], result.stderr
