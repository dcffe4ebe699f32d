"""The plan of a query, as the plan tests read it on either database."""

from django.db import connection


def explain(sql: str) -> list[str]:
    """The plan's lines: SQLite's EXPLAIN QUERY PLAN details, or PostgreSQL's EXPLAIN."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # On tables of a few rows any plan costs nothing: these settings make the planner show the indexes it
            # can walk in order, as it does at scale. The random page cost is the planner's default, not the SSD
            # figure the site sets (dealsite.settings), under which such tiny tables are often sorted instead.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("SET LOCAL random_page_cost = 4")
            cursor.execute(f"EXPLAIN {sql}")
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return [row[-1] for row in cursor.fetchall()]
