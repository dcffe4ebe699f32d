"""Every filter and sort of the lists is served by an index: no full scan of the deals or their parties.

The lists are requested through HTTP (pages, API, CSV export), so the queries checked are the ones
the real FilterSets build; each is then explained by the database. On SQLite a full scan reads
"SCAN <table>", with or without an index; and since every public deal is published, a count that
searches only on `publication` while other filters are given reads them all too. On PostgreSQL the
test tables are tiny, so sequential scans are switched off for the explanation: PostgreSQL still
chooses one when no index can serve the query.

Not covered: the free-text search (`q`), a substring match that no ordinary index serves.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import CompanyFactory, make_deal
from tests.plans import explain
from tests.shared_data import shared_fixture

LARGE_TABLES = {"deals_deal", "deals_dealparty"}

DEAL_FILTERS = [
    {},
    {"kind": "equity"},
    {"status": "announced"},
    {"kind": "equity", "status": "announced", "announced_after": "2020-01-01"},
    {"company": "amazon"},
    {"investor": "amazon"},
    {"investee": "anthropic"},
    {"provider": "amazon"},
    {"customer": "anthropic"},
    {"investor": "amazon", "announced_after": "2020-01-01", "announced_before": "2024-12-31"},
    {"announced_after": "2020-01-01"},
    {"announced_before": "2020-01-01"},
    {"min_usd": "1000000"},
    {"max_usd": "1000000"},
    {"has_stake": "true"},
    {"currency": "EUR"},
    {"ordering": "-announced"},
    {"ordering": "-usd"},
    {"kind": "equity", "ordering": "-usd"},
    {"year": "2024"},
    {"company_kind": "ai_lab"},
    {"company_kind": "ai_lab", "year": "2024", "kind": "equity"},
]
COMPANY_FILTERS = [
    {},
    {"kind": "ai_lab"},
    {"parent": "amazon"},
    {"role": "investor"},
    {"ordering": "-invested"},
    {"ordering": "-received"},
    {"ordering": "-deals"},
    {"ordering": "name"},
]
ALLIANCE_FILTERS = [
    {},
    {"company": "amazon"},
    {"kind": "equity"},
    {"year_from": "2020"},
    {"year_to": "2020"},
    {"main_kind": "equity"},
    {"latest_year": "2024"},
    {"ordering": "-total"},
    {"ordering": "-deals"},
    {"ordering": "-latest"},
]


def _lists(url, filters):
    return [pytest.param(url, params, id=f"{url}?{params}") for params in filters]


LISTS = (
    _lists("/deals/", DEAL_FILTERS)
    + _lists("/api/v1/deals/", DEAL_FILTERS)
    + _lists("/deals/export.csv", DEAL_FILTERS[:10])
    + _lists("/companies/", COMPANY_FILTERS)
    + _lists("/api/v1/companies/", COMPANY_FILTERS)
    + _lists("/alliances/", ALLIANCE_FILTERS)
    + _lists("/api/v1/alliances/", ALLIANCE_FILTERS)
)


@shared_fixture
def query_plan_deals():
    amazon = CompanyFactory(name="Amazon", slug="amazon")
    CompanyFactory(name="AWS", slug="aws", parent=amazon)
    anthropic = CompanyFactory(name="Anthropic", slug="anthropic")
    make_deal(amazon, anthropic)
    make_deal(CompanyFactory(), anthropic, status="completed")


@pytest.fixture
def deals(query_plan_deals):
    if connection.vendor == "sqlite":
        # An earlier test's ANALYZE (generate_demo_data runs one), though rolled back, can stay in SQLite's memory
        # and plan these tiny tables as if they held its rows: reload the statistics the database really holds (none).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE sqlite_schema")
    return query_plan_deals


def full_scans(sql: str, filtered: bool) -> list[str]:
    """The plan's lines that read all of a large table (or of a subquery's alias of one)."""
    aliases = {table: {table} for table in LARGE_TABLES}
    for table, alias in re.findall(r'"(\w+)" (U\d+|T\d+|V\d+)\b', sql):
        aliases.setdefault(table, set()).add(alias)
    names = {name for table in LARGE_TABLES for name in aliases[table]}
    plan = [line.strip() for line in explain(sql)]
    if connection.vendor == "postgresql":
        pattern = re.compile(r"Seq Scan on (\w+)(?: (\w+))?")
        return [line for line in plan if (m := pattern.search(line)) and {m[1], m[2]} & names]
    scans = [line for line in plan if line.startswith("SCAN ") and line.split()[1] in names]
    if filtered and sql.startswith("SELECT COUNT(*)"):
        scans += [line for line in plan if line.startswith("SEARCH ") and line.endswith("(publication=?)")]
    return scans


@pytest.mark.parametrize(("url", "params"), LISTS)
def test_no_full_scan_of_deals_or_parties(client, deals, url, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
        b"".join(response) if response.streaming else response.content
    assert response.status_code == 200

    filtered = bool(set(params) - {"ordering"})
    scans = {query["sql"]: full_scans(query["sql"], filtered) for query in queries.captured_queries}
    assert not {sql: lines for sql, lines in scans.items() if lines}


def _company_page_queries(client, monkeypatch, slug, walk):
    from deals.web.views import companies

    monkeypatch.setattr(companies, "WALK_ALL_DEALS_FROM", 0 if walk else 10**9)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/companies/{slug}/").status_code == 200
    return [query["sql"] for query in queries.captured_queries]


@pytest.mark.parametrize("walk", [True, False], ids=["walking-all-deals", "reading-its-deals"])
@pytest.mark.parametrize("slug", ["amazon", "anthropic"])
def test_no_full_scan_on_a_company_page(client, deals, monkeypatch, slug, walk):
    scans = {sql: full_scans(sql, filtered=False) for sql in _company_page_queries(client, monkeypatch, slug, walk)}
    assert not {sql: lines for sql, lines in scans.items() if lines}


def test_a_company_in_many_deals_reads_them_newest_first_and_stops_after_the_page(client, deals, monkeypatch):
    queries = _company_page_queries(client, monkeypatch, "amazon", walk=True)
    [newest] = [sql for sql in queries if sql.startswith('SELECT "deals_deal"."id"') and "EXISTS" in sql]
    plan = "\n".join(explain(newest))
    assert "deal_newest_first" in plan
    assert "TEMP B-TREE" not in plan and "Sort" not in plan


def test_the_largest_partners_are_read_in_index_order_on_each_side(client, deals, monkeypatch):
    """Only the first of each side are sorted together: one sort, of at most twice the page's partners."""
    queries = _company_page_queries(client, monkeypatch, "amazon", walk=False)
    [largest] = [sql for sql in queries if 'FROM "deals_alliance"' in sql and "UNION" in sql]
    plan = explain(largest)
    if connection.vendor == "sqlite":
        assert "alliance_a_largest_first" in "\n".join(plan) and "alliance_b_largest_first" in "\n".join(plan)
        assert [line for line in plan if "TEMP B-TREE" in line] == ["USE TEMP B-TREE FOR ORDER BY"]
    else:
        # On the tiny test tables PostgreSQL chooses among the indexes led by the side's company (these, the pair's
        # unique one) by statistics that depend on the tests run before: what holds is that no side is scanned.
        assert not [line for line in plan if "Seq Scan" in line]


@pytest.mark.parametrize("url", ["/deals/", "/api/v1/deals/"])
def test_a_company_filter_with_dates_reads_the_range_from_the_party_index(client, deals, url):
    """The parties' copy of their deal's date lets the index skip the company's deals outside the range."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, {"investor": "amazon", "announced_after": "2020-01-01"}).status_code == 200
    [count] = [query["sql"] for query in queries.captured_queries if query["sql"].startswith("SELECT COUNT(*)")]
    plan = explain(count)
    if connection.vendor == "postgresql":
        # On these tiny tables PostgreSQL may take either party index that holds the dates.
        party_indexes = ("party_company_role_date", "party_company_newest")
        scan = next((index for index, line in enumerate(plan) if any(name in line for name in party_indexes)), None)
        assert scan is not None, "\n".join(plan)
        assert "deal_announced_on >=" in plan[scan + 1], plan
    else:
        assert any("party_company_role_date" in line and "deal_announced_on>?" in line for line in plan), plan


@pytest.mark.parametrize("url", ["/deals/", "/api/v1/deals/"])
@pytest.mark.parametrize("params", [{"company": "amazon"}, {"investor": "amazon", "announced_after": "2020-01-01"}])
def test_a_company_list_finds_its_first_deals_walking_the_party_index_newest_first(client, deals, url, params):
    """deals.lists.newest_window: the date that bounds the page is read in index order, with no sort of the company's
    parties, and the deals are read from the parties dated from it on."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    [page] = [query["sql"] for query in queries.captured_queries if query["sql"].startswith('SELECT "deals_deal"."id"')]
    assert "OFFSET" in page
    plan = explain(page)
    if connection.vendor == "sqlite":
        bounded = [line for line in plan if "party_company_newest (company_id=? AND deal_published=?" in line]
        assert len(bounded) == 2, plan
        # At most the page's own deals are sorted.
        assert [line for line in plan if "TEMP B-TREE" in line] in ([], ["USE TEMP B-TREE FOR ORDER BY"]), plan
    else:
        assert any("party_company_newest" in line for line in plan), plan


def _sorts(plan: list[str]) -> list[str]:
    """The plan's lines that sort rows instead of reading them in an index's order."""
    if connection.vendor == "postgresql":
        return [line for line in plan if "Sort" in line]
    return [line for line in plan if "TEMP B-TREE" in line]


@pytest.mark.parametrize(
    ("url", "index"),
    [("/feeds/deals.atom", "deal_newest_published"), ("/es/feeds/deals.atom", "deal_newest_published")],
)
def test_the_feed_reads_the_newest_published_deals_in_index_order(client, deals, url, index):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    [newest] = [query["sql"] for query in queries.captured_queries if '"published_at" DESC' in query["sql"]]
    plan = explain(newest)
    assert any(index in line for line in plan), plan
    assert not _sorts(plan), plan


@pytest.mark.parametrize("url", ["/deals/", "/api/v1/deals/"])
@pytest.mark.parametrize(
    ("params", "index"),
    [
        ({"kind": "equity"}, "deal_kind_newest"),
        ({"status": "announced"}, "deal_status_newest"),
        ({"kind": "equity", "status": "announced"}, "deal_kind_status_newest"),
    ],
)
def test_a_filtered_list_newest_first_reads_its_page_in_index_order(client, deals, url, params, index):
    """Newest first with its tie-breakers (title, then id): no sort of every matching deal for one page."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    [page] = [query["sql"] for query in queries.captured_queries if query["sql"].startswith('SELECT "deals_deal"."id"')]
    plan = explain(page)
    if connection.vendor == "sqlite":
        assert any(index in line for line in plan), plan
    else:
        # On the tiny test tables PostgreSQL picks among the indexes that give this order by statistics the tests
        # before leave: what holds is that it reads one in order.
        assert any("Index Scan" in line for line in plan), plan
    assert not _sorts(plan), plan
