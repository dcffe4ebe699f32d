"""The rows the benchmark asks for, chosen from a database at run time with plain SQL (no Django, no deals imports).

The SQLite file and the PostgreSQL database hold the same generated rows (same seed), so the slugs agree; keys are
read from each database, since Datasette addresses rows of the SQLite file by key and our API's sources by theirs.
"""

import sqlite3

QUERIES = {
    "busy": (
        "SELECT c.id, c.slug, c.name, t.deal_count FROM deals_companytotals t "
        "JOIN deals_company c ON c.id = t.company_id ORDER BY t.deal_count DESC, c.id LIMIT 1"
    ),
    "quiet": (
        "SELECT c.id, c.slug, c.name, t.deal_count FROM deals_companytotals t "
        "JOIN deals_company c ON c.id = t.company_id WHERE c.has_page AND t.deal_count BETWEEN 2 AND 5 "
        "ORDER BY c.id LIMIT 1"
    ),
    # The fifth busiest investor, as the earlier benchmark used: busy, but not the one company every list leads with.
    "investor": (
        "SELECT p.company_id, c.slug FROM deals_dealparty p JOIN deals_company c ON c.id = p.company_id "
        "WHERE p.role IN ('investor', 'lead_investor') GROUP BY p.company_id, c.slug "
        "ORDER BY COUNT(*) DESC, p.company_id LIMIT 1 OFFSET 4"
    ),
    "deal": (
        "SELECT id, slug FROM deals_deal WHERE publication = 'published' "
        "ORDER BY amount_usd DESC NULLS LAST, id LIMIT 1"
    ),
    "alliance": "SELECT id, slug FROM deals_alliance ORDER BY total_usd DESC NULLS LAST, slug LIMIT 1",
    "cycle": "SELECT id, members FROM deals_cycle WHERE folded ORDER BY smaller_flow_usd DESC NULLS LAST, id LIMIT 1",
    "source": "SELECT id FROM deals_source WHERE cited_publicly ORDER BY id LIMIT 1",
}


def _rows(database_url: str):
    """run(sql) -> first row, on the database the URL names."""
    if database_url.startswith("sqlite:///"):
        connection = sqlite3.connect(f"file:{database_url.removeprefix('sqlite:///')}?mode=ro", uri=True)
        return lambda sql: connection.execute(sql).fetchone(), connection.close
    import psycopg

    connection = psycopg.connect(database_url)  # libpq reads postgres:// addresses itself
    return lambda sql: connection.execute(sql).fetchone(), connection.close


def pick(database_url: str) -> dict:
    run, close = _rows(database_url)
    try:
        found = {name: run(sql) for name, sql in QUERIES.items()}
    finally:
        close()
    missing = [name for name, row in found.items() if row is None]
    if missing:
        raise SystemExit(f"The database lacks rows for: {', '.join(missing)} (fill it with generate_demo_data)")
    busy, quiet, investor, deal, alliance, cycle, source = (found[name] for name in QUERIES)
    member = int(cycle[1].strip(",").split(",")[0])
    member_slug = run_one(database_url, f"SELECT slug FROM deals_company WHERE id = {member}")
    slug_a, _, slug_b = alliance[1].partition("--")
    return {
        "busy": {"id": busy[0], "slug": busy[1], "name": busy[2], "deals": busy[3]},
        "quiet": {"id": quiet[0], "slug": quiet[1], "name": quiet[2], "deals": quiet[3]},
        "investor": {"id": investor[0], "slug": investor[1]},
        "deal": {"id": deal[0], "slug": deal[1]},
        "alliance": {"id": alliance[0], "slug": alliance[1], "slug_a": slug_a, "slug_b": slug_b},
        "cycle": {"id": cycle[0], "member_id": member, "member_slug": member_slug},
        "source": {"id": source[0]},
    }


def run_one(database_url: str, sql: str):
    run, close = _rows(database_url)
    try:
        return run(sql)[0]
    finally:
        close()
