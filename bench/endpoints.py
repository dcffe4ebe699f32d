"""The benchmark's mix: every URL pattern of the site and the API, each with Datasette's closest JSON (or CSV) request.

Where one table answers (filters, sort and page size), Datasette gets its table API, which also counts the matching
rows as our lists do; conditions its filters cannot say go in `_where`. Where our page joins or aggregates, Datasette
gets the same SQL through its query API (which counts nothing). `export` marks the requests that send a whole table
or the whole graph: they are held to the ratio only, not to the 100 ms p95.
"""

from dataclasses import dataclass
from urllib.parse import quote, urlencode

DATASETTE_DB = "demo-100k"
WHOLE_TABLE = "whole table"
WHOLE_GRAPH = "whole graph"
PUBLISHED = {"publication": "published"}
NEWEST = {"_sort_desc": "announced_on", "_size": 20}
NEWEST_FIRST = "announced_on DESC NULLS LAST, title, id"
NOTHING = "zzqxnothingmatches"
RANGE = {"announced_after": "2020-01-01", "announced_before": "2024-12-31"}
INVESTING = "('investor', 'lead_investor')"


@dataclass
class Endpoint:
    name: str
    ours: str
    datasette: str
    export: str = ""


def _table(table: str, params: dict | list, fmt: str = "json") -> str:
    return f"/{DATASETTE_DB}/{table}.{fmt}?{urlencode(params)}"


def _csv(table: str, params: dict | list) -> str:
    pairs = list(params.items()) if isinstance(params, dict) else list(params)
    return _table(table, [*pairs, ("_stream", "on"), ("_size", "max")], fmt="csv")


def _query(sql: str) -> str:
    return f"/{DATASETTE_DB}.json?{urlencode({'sql': sql, '_shape': 'array'})}"


def _row(table: str, pk: int) -> str:
    return f"/{DATASETTE_DB}/{table}/{pk}.json"


def _like(text: str) -> str:
    return "'%" + text.replace("'", "''") + "%'"


def _deals_of(company_id: int, roles: str = "") -> str:
    role = f" AND role IN {roles}" if roles else ""
    return f"id IN (SELECT deal_id FROM deals_dealparty WHERE company_id = {company_id}{role})"


def _deal_search(text: str) -> str:
    like = _like(text)
    return (
        f"(title LIKE {like} OR summary LIKE {like} OR id IN (SELECT p.deal_id FROM deals_dealparty p "
        f"JOIN deals_company c ON c.id = p.company_id WHERE c.name LIKE {like} OR c.aliases LIKE {like}))"
    )


def _company_deals_sql(company_id: int, limit: int = 100) -> str:
    return (
        f"SELECT * FROM deals_deal WHERE publication = 'published' AND {_deals_of(company_id)} "
        f"ORDER BY {NEWEST_FIRST} LIMIT {limit}"
    )


def _alliance_of(company_id: int) -> str:
    return f"(company_a_id = {company_id} OR company_b_id = {company_id})"


def _alliance_deals_sql(alliance_id: int) -> str:
    return (
        "SELECT d.* FROM deals_deal d JOIN deals_alliance_deals ad ON ad.deal_id = d.id "
        f"WHERE ad.alliance_id = {alliance_id} AND d.publication = 'published' "
        "ORDER BY d.announced_on DESC NULLS LAST, d.title, d.id LIMIT 100"
    )


def mix(our: dict, theirs: dict) -> list[Endpoint]:
    """The endpoints, given picks.pick() from our database (slugs, our keys) and from the SQLite file (its keys)."""
    busy, quiet, investor = our["busy"], our["quiet"], our["investor"]
    deal, alliance, cycle = our["deal"], our["alliance"], our["cycle"]
    ds_busy, ds_quiet, ds_investor = theirs["busy"]["id"], theirs["quiet"]["id"], theirs["investor"]["id"]
    ds_deal, ds_alliance, ds_member = theirs["deal"]["id"], theirs["alliance"]["id"], theirs["cycle"]["member_id"]
    word = busy["name"].split()[0].lower()
    prefix = word[:3]
    deals_page_200 = _query(
        f"SELECT * FROM deals_deal WHERE publication = 'published' ORDER BY {NEWEST_FIRST} LIMIT 20 OFFSET 3980"
    )
    by_amount_page_200 = _query(
        "SELECT * FROM deals_deal WHERE publication = 'published' "
        "ORDER BY amount_usd DESC NULLS LAST, id LIMIT 20 OFFSET 3980"
    )
    labelled_alliances = {"_sort_desc": "total_usd", "_labels": "on"}
    cycles = {"folded": 1, "_sort_desc": "smaller_flow_usd", "_size": 20}
    return [
        # Pages without a list.
        Endpoint("home", "/", _table("deals_deal", {**PUBLISHED, **NEWEST, "_size": 10})),
        Endpoint("figures explained", "/figures/", "/-/metadata.json"),
        Endpoint("healthz", "/healthz", "/-/versions.json"),
        # Deal lists.
        Endpoint("deals", "/deals/", _table("deals_deal", {**PUBLISHED, **NEWEST})),
        Endpoint(
            f"deals, q={word}",
            f"/deals/?q={quote(word)}",
            _table("deals_deal", {**PUBLISHED, **NEWEST, "_where": _deal_search(word)}),
        ),
        Endpoint(
            "deals, three filters",
            "/deals/?kind=cloud_compute&status=announced&announced_after=2020-01-01",
            _table(
                "deals_deal",
                {**PUBLISHED, "kind": "cloud_compute", "status": "announced", "announced_on__gte": "2020-01-01"}
                | NEWEST,
            ),
        ),
        Endpoint(
            "deals by amount",
            "/deals/?ordering=-usd",
            _table("deals_deal", {**PUBLISHED, "_sort_desc": "amount_usd", "_size": 20}),
        ),
        Endpoint(
            "deals, busy company",
            f"/deals/?company={busy['slug']}",
            _table("deals_deal", {**PUBLISHED, **NEWEST, "_where": _deals_of(ds_busy)}),
        ),
        Endpoint(
            "deals, investor and dates",
            f"/deals/?investor={investor['slug']}&{urlencode(RANGE)}",
            _table(
                "deals_deal",
                {
                    **PUBLISHED,
                    **NEWEST,
                    "announced_on__gte": RANGE["announced_after"],
                    "announced_on__lte": RANGE["announced_before"],
                    "_where": _deals_of(ds_investor, INVESTING),
                },
            ),
        ),
        Endpoint(
            "deals, amount range, currency",
            "/deals/?min_usd=1000000000&max_usd=5000000000&currency=USD",
            _table(
                "deals_deal",
                {**PUBLISHED, **NEWEST, "amount_usd__gte": 1e9, "amount_usd__lte": 5e9, "currency": "USD"},
            ),
        ),
        Endpoint("deals, page 200", "/deals/?page=200", deals_page_200),
        Endpoint(
            "deals, oldest first, equity",
            "/deals/?kind=equity&ordering=announced",
            _table("deals_deal", {**PUBLISHED, "kind": "equity", "_sort": "announced_on", "_size": 20}),
        ),
        Endpoint(
            "deals, nothing matches",
            f"/deals/?q={NOTHING}&kind=equity",
            _table("deals_deal", {**PUBLISHED, **NEWEST, "kind": "equity", "title__contains": NOTHING}),
        ),
        Endpoint(
            "deals, Spanish, kind",
            "/es/deals/?kind=equity",
            _table("deals_deal", {**PUBLISHED, **NEWEST, "kind": "equity"}),
        ),
        Endpoint("deal page", f"/deals/{deal['slug']}/", _row("deals_deal", ds_deal)),
        Endpoint("deal page, Spanish", f"/es/deals/{deal['slug']}/", _row("deals_deal", ds_deal)),
        # Companies.
        Endpoint("companies", "/companies/", _table("deals_company", {"has_page": 1, "_sort": "name", "_size": 20})),
        Endpoint(
            f"companies, q={prefix}",
            f"/companies/?q={quote(prefix)}",
            _table(
                "deals_company",
                {
                    "has_page": 1,
                    "_sort": "name",
                    "_size": 20,
                    "_where": f"(name LIKE {_like(prefix)} OR aliases LIKE {_like(prefix)})",
                },
            ),
        ),
        Endpoint(
            "companies by invested",
            "/companies/?ordering=-invested",
            _table("deals_companytotals", {"_sort_desc": "invested_usd", "_size": 20, "_labels": "on"}),
        ),
        Endpoint(
            "companies, role, kind, country",
            "/companies/?role=investor&kind=investor&country=US",
            _table(
                "deals_company",
                {
                    "has_page": 1,
                    "kind": "investor",
                    "country": "US",
                    "_sort": "name",
                    "_size": 20,
                    "_where": f"id IN (SELECT company_id FROM deals_dealparty WHERE role IN {INVESTING})",
                },
            ),
        ),
        Endpoint(
            f"company page, busy ({busy['deals']} deals)",
            f"/companies/{busy['slug']}/",
            _query(_company_deals_sql(ds_busy)),
        ),
        Endpoint(
            f"company page, quiet ({quiet['deals']} deals)",
            f"/companies/{quiet['slug']}/",
            _query(_company_deals_sql(ds_quiet)),
        ),
        Endpoint("company page, busy, Spanish", f"/es/companies/{busy['slug']}/", _query(_company_deals_sql(ds_busy))),
        Endpoint(
            f"company suggestions, q={prefix}",
            f"/companies/suggest.json?q={quote(prefix)}",
            _table("deals_company", {"has_page": 1, "_sort": "name", "_size": 10, "name__contains": prefix}),
        ),
        Endpoint("company feed, busy", f"/companies/{busy['slug']}/feed.atom", _query(_company_deals_sql(ds_busy, 50))),
        Endpoint(
            "companies CSV, a kind",
            "/companies/export.csv?kind=ai_lab",
            _csv("deals_company", {"has_page": 1, "kind": "ai_lab", "_sort": "name"}),
        ),
        Endpoint(
            "companies CSV",
            "/companies/export.csv",
            _csv("deals_company", {"has_page": 1, "_sort": "name"}),
            WHOLE_TABLE,
        ),
        # Alliances.
        Endpoint(
            "alliances by total",
            "/alliances/?ordering=-total",
            _table("deals_alliance", {**labelled_alliances, "_size": 20}),
        ),
        Endpoint(
            f"alliances, q={word}",
            f"/alliances/?q={quote(word)}",
            _table(
                "deals_alliance",
                {
                    **labelled_alliances,
                    "_size": 20,
                    "_where": f"(company_a_id IN (SELECT id FROM deals_company WHERE name LIKE {_like(word)}) "
                    f"OR company_b_id IN (SELECT id FROM deals_company WHERE name LIKE {_like(word)}))",
                },
            ),
        ),
        Endpoint(
            "alliances, company, kind, year",
            f"/alliances/?company={busy['slug']}&kind=equity&year_from=2020",
            _table(
                "deals_alliance",
                {
                    **labelled_alliances,
                    "_size": 20,
                    "latest_announced__gte": "2020-01-01",
                    "_where": f"{_alliance_of(ds_busy)} AND id IN (SELECT ad.alliance_id FROM deals_alliance_deals "
                    "ad JOIN deals_deal d ON d.id = ad.deal_id WHERE d.kind = 'equity')",
                },
            ),
        ),
        Endpoint(
            "alliance page",
            f"/alliances/{alliance['slug_a']}--{alliance['slug_b']}/",
            _query(_alliance_deals_sql(ds_alliance)),
        ),
        Endpoint(
            "alliances CSV, a company's",
            f"/alliances/export.csv?company={busy['slug']}",
            _csv("deals_alliance", {**labelled_alliances, "_where": _alliance_of(ds_busy)}),
        ),
        Endpoint("alliances CSV", "/alliances/export.csv", _csv("deals_alliance", labelled_alliances), WHOLE_TABLE),
        # Deal exports and feeds.
        Endpoint(
            "deals CSV, kind and date",
            "/deals/export.csv?kind=cloud_compute&announced_after=2024-01-01",
            _csv(
                "deals_deal",
                {**PUBLISHED, "kind": "cloud_compute", "announced_on__gte": "2024-01-01", "_sort_desc": "announced_on"},
            ),
        ),
        Endpoint(
            "deals CSV, busy company since 2024",
            f"/deals/export.csv?company={busy['slug']}&announced_after=2024-01-01",
            _csv(
                "deals_deal",
                {
                    **PUBLISHED,
                    "announced_on__gte": "2024-01-01",
                    "_sort_desc": "announced_on",
                    "_where": _deals_of(ds_busy),
                },
            ),
        ),
        Endpoint(
            "deals CSV",
            "/deals/export.csv",
            _csv("deals_deal", {**PUBLISHED, "_sort_desc": "announced_on"}),
            WHOLE_TABLE,
        ),
        Endpoint(
            "deal parties CSV, quiet company",
            f"/deals/parties.csv?company={quiet['slug']}",
            _csv(
                "deals_dealparty",
                {
                    "deal_published": 1,
                    "_labels": "on",
                    "_where": f"deal_id IN (SELECT deal_id FROM deals_dealparty WHERE company_id = {ds_quiet})",
                },
            ),
        ),
        Endpoint(
            "deal parties CSV",
            "/deals/parties.csv",
            _csv("deals_dealparty", {"deal_published": 1, "_labels": "on"}),
            WHOLE_TABLE,
        ),
        Endpoint(
            "feed, all deals",
            "/feeds/deals.atom",
            _table("deals_deal", {**PUBLISHED, **NEWEST, "_size": 50}),
        ),
        # Money pages.
        Endpoint("circular deals", "/circular/", _table("deals_cycle", cycles)),
        Endpoint(
            "circular deals, a company's",
            f"/circular/?company={cycle['member_slug']}",
            _table("deals_cycle", {**cycles, "members__contains": f",{ds_member},"}),
        ),
        Endpoint(
            "circular deals, year, apart",
            "/circular/?year=2022&separate=true",
            _table("deals_cycle", {**cycles, "folded": 0, "first_year__lte": 2022, "last_year__gte": 2022}),
        ),
        Endpoint("network page", "/network/", _table("deals_alliance", {**labelled_alliances, "_size": 300})),
        Endpoint(
            "network page, filtered",
            "/network/?company_kind=ai_lab&year=2024",
            _table(
                "deals_alliance",
                {
                    **labelled_alliances,
                    "_size": 300,
                    "_where": "company_a_id IN (SELECT id FROM deals_company WHERE kind = 'ai_lab') "
                    "OR company_b_id IN (SELECT id FROM deals_company WHERE kind = 'ai_lab')",
                },
            ),
        ),
        Endpoint("network.json", "/network.json", _csv("deals_alliance", labelled_alliances), WHOLE_GRAPH),
        Endpoint("network.graphml", "/network.graphml", _csv("deals_alliance", labelled_alliances), WHOLE_GRAPH),
        Endpoint(
            "proxy war",
            "/proxy-war/",
            _query(
                "SELECT f.payee_id, f.payer_id, SUM(f.committed_usd) FROM deals_moneyflow f "
                "JOIN deals_company c ON c.id = f.payee_id WHERE c.kind = 'ai_lab' AND f.purpose = 'equity' "
                "AND f.counted GROUP BY f.payee_id, f.payer_id ORDER BY 3 DESC LIMIT 400"
            ),
        ),
        Endpoint(
            "charts",
            "/charts/",
            _query(
                "SELECT strftime('%Y', f.announced_on) AS year, (CAST(strftime('%m', f.announced_on) AS INTEGER) "
                "+ 2) / 3 AS quarter, d.kind, SUM(f.committed_usd), SUM(f.further_usd), COUNT(DISTINCT f.deal_id) "
                "FROM deals_moneyflow f JOIN deals_deal d ON d.id = f.deal_id WHERE f.counted AND "
                "f.announced_on IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
            ),
        ),
        Endpoint(
            "company chart, busy",
            f"/charts/companies/{busy['slug']}/",
            _table("deals_companyyear", {"company_id": ds_busy, "_sort": "year"}),
        ),
        # The API.
        Endpoint("API root", "/api/v1/", "/-/databases.json"),
        Endpoint("API deals", "/api/v1/deals/", _table("deals_deal", {**PUBLISHED, **NEWEST})),
        Endpoint(
            f"API deals, q={word}",
            f"/api/v1/deals/?q={quote(word)}",
            _table("deals_deal", {**PUBLISHED, **NEWEST, "_where": _deal_search(word)}),
        ),
        Endpoint(
            "API deals by investor and dates (50)",
            f"/api/v1/deals/?investor={investor['slug']}&{urlencode(RANGE)}&page_size=50",
            _table(
                "deals_deal",
                {
                    **PUBLISHED,
                    **NEWEST,
                    "_size": 50,
                    "announced_on__gte": RANGE["announced_after"],
                    "announced_on__lte": RANGE["announced_before"],
                    "_where": _deals_of(ds_investor, INVESTING),
                },
            ),
        ),
        Endpoint("API deals by amount, page 200", "/api/v1/deals/?ordering=-usd&page=200", by_amount_page_200),
        Endpoint(
            "API deals, nothing matches",
            "/api/v1/deals/?kind=equity&min_usd=1000000000000000",
            _table("deals_deal", {**PUBLISHED, **NEWEST, "kind": "equity", "amount_usd__gte": 1e15}),
        ),
        Endpoint("API deal detail", f"/api/v1/deals/{deal['slug']}/", _row("deals_deal", ds_deal)),
        Endpoint(
            "API deals CSV, busy company",
            f"/api/v1/deals/?company={busy['slug']}&format=csv",
            _table("deals_deal", {**PUBLISHED, **NEWEST, "_where": _deals_of(ds_busy)}, fmt="csv"),
        ),
        Endpoint(
            f"API companies, q={prefix}",
            f"/api/v1/companies/?q={quote(prefix)}",
            _table(
                "deals_company",
                {"has_page": 1, "_sort": "name", "_size": 20, "_where": f"name LIKE {_like(prefix)}"},
            ),
        ),
        Endpoint(
            "API companies by deals",
            "/api/v1/companies/?ordering=-deals",
            _table("deals_companytotals", {"_sort_desc": "deal_count", "_size": 20, "_labels": "on"}),
        ),
        Endpoint(
            "API company detail", f"/api/v1/companies/{busy['slug']}/", _row("deals_company", theirs["busy"]["id"])
        ),
        Endpoint(
            "API alliances, busy company",
            f"/api/v1/alliances/?company={busy['slug']}",
            _table("deals_alliance", {**labelled_alliances, "_size": 20, "_where": _alliance_of(ds_busy)}),
        ),
        Endpoint(
            "API alliance detail", f"/api/v1/alliances/{alliance['slug']}/", _query(_alliance_deals_sql(ds_alliance))
        ),
        Endpoint(
            "API sources", "/api/v1/sources/", _table("deals_source", {"cited_publicly": 1, "_sort": "id", "_size": 20})
        ),
        Endpoint(
            "API source detail", f"/api/v1/sources/{our['source']['id']}/", _row("deals_source", theirs["source"]["id"])
        ),
        Endpoint("API cycles", "/api/v1/cycles/", _table("deals_cycle", cycles)),
        Endpoint(
            "API cycles, a company's",
            f"/api/v1/cycles/?company={cycle['member_slug']}",
            _table("deals_cycle", {**cycles, "members__contains": f",{ds_member},"}),
        ),
        Endpoint("API schema", "/api/v1/schema/", "/-/metadata.json"),
    ]
