"""Queries run again and again with the same values, prepared once per PostgreSQL connection.

PostgreSQL plans a statement each time it is sent: for the API's page of an investor's deals, half a millisecond
before the millisecond it takes to run, and a fifth of a millisecond for the page's parties. A prepared statement
keeps its plan. Given parameters, though, PostgreSQL soon settles on one generic plan for any of their values,
and at 100,000 deals the plan for an average company is a poor one for the company with thousands of deals
(30 ms where its own plan takes 3). So the values are written into the statement's text first, as psycopg's
client-side binding (Django's default) writes them anyway: a statement then has no parameters, and its plan is the
one for its own values. psycopg prepares a text once it has run `prepare_threshold` times on a connection (5 by
default) and keeps the last `prepared_max` (100); PostgreSQL plans it again after any change to the tables'
definitions or statistics. Elsewhere, and for a text run fewer times, the query runs as Django runs it.
"""

from django.core.exceptions import ImproperlyConfigured
from django.db import connections

try:
    from django.db.backends.postgresql.base import ServerBindingCursor
except (ImportError, ImproperlyConfigured):  # no psycopg 3 (the backend raises the latter): nothing to prepare for.
    ServerBindingCursor = None
else:

    class PreparingCursor(ServerBindingCursor):
        """Django's cursor with server-side binding, which psycopg prepares. Django's query log (connection.queries,
        the tests' query counts) reads the text psycopg keeps of the query last sent, which psycopg keeps only when
        it sends the text: it is kept for a prepared run too."""

        def _send_query_prepared(self, name, pgq, *, binary=None):
            self._query = pgq
            super()._send_query_prepared(name, pgq, binary=binary)


def fetch_all(using: str, sql: str, params) -> list[tuple]:
    """The rows of `sql` with `params` on the database `using`, prepared on PostgreSQL once run often enough."""
    connection = connections[using]
    if connection.vendor != "postgresql" or ServerBindingCursor is None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    text = connection.ops.compose_sql(sql, params)  # psycopg's client-side binding, as Django would send it
    # Django's own wrapper, so the query is logged and counted like any other (connection.queries, tests).
    binding = PreparingCursor(connection.connection)
    with (
        connection.make_debug_cursor(binding)
        if connection.queries_logged
        else connection.make_cursor(binding) as cursor
    ):
        cursor.execute(text)
        return cursor.fetchall()
