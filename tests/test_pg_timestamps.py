"""PostgreSQL timestamps are read by deals.lists.pg_timestamps and come out exactly as Django's own loader gives them."""

import datetime

import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import BaseTzLoader

from deals.lists.pg_timestamps import UtcTimestampLoader
from tests.factories import CompanyFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL connection's loader"),
]

LITERALS = [
    "2026-12-02 15:12:42.934425+00",
    "2026-12-02 15:12:42.9+00",
    "2026-12-02 15:12:42+00",
    "0001-01-01 00:00:00+00",
    "9999-12-31 23:59:59.999999+00",
    "2024-02-29 12:00:00.000001+00",
]


class DjangosLoader(BaseTzLoader):
    timezone = datetime.UTC


def read(literals: list[str]) -> list[datetime.datetime]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(["%s::timestamptz"] * len(literals)), literals)
        return list(cursor.fetchone())


def read_with(loader, literals: list[str]) -> list[datetime.datetime]:
    connection.ensure_connection()
    adapters = connection.connection.adapters
    installed = adapters.get_loader(adapters.types["timestamptz"].oid, 0)
    adapters.register_loader("timestamptz", loader)
    try:
        return read(literals)
    finally:
        adapters.register_loader("timestamptz", installed)


def test_the_connection_reads_timestamps_with_the_fast_loader():
    connection.ensure_connection()
    adapters = connection.connection.adapters
    assert adapters.get_loader(adapters.types["timestamptz"].oid, 0) is UtcTimestampLoader


def test_values_equal_djangos_own_to_the_microsecond_and_zone():
    fast, django = read_with(UtcTimestampLoader, LITERALS), read_with(DjangosLoader, LITERALS)
    assert fast == django
    assert [value.tzinfo for value in fast] == [value.tzinfo for value in django] == [datetime.UTC] * len(LITERALS)
    assert [(value.year, value.microsecond) for value in fast] == [
        (2026, 934425),
        (2026, 900000),
        (2026, 0),
        (1, 0),
        (9999, 999999),
        (2024, 1),
    ]


def test_a_timestamp_in_another_zone_is_read_the_usual_way():
    with connection.cursor() as cursor:
        cursor.execute("SET TIME ZONE 'Asia/Kolkata'")
        try:
            fast = read_with(UtcTimestampLoader, LITERALS[:1])
            django = read_with(DjangosLoader, LITERALS[:1])
        finally:
            cursor.execute("SET TIME ZONE 'UTC'")
    assert fast == django


def test_a_saved_update_time_reads_back_unchanged():
    company = CompanyFactory(slug="cloud")
    saved = company.updated_at
    company.refresh_from_db()
    assert company.updated_at == saved
    assert company.updated_at.tzinfo == datetime.UTC
