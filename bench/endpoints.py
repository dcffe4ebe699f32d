"""The benchmark's mix: each endpoint of ours, Datasette's equivalent JSON request, and the bare SQL under both.

Where one table answers (filters, sort and page size on deals, alliances, cycles), Datasette gets its
table API, which also counts the matching rows, as our lists do. Where our endpoint joins (a company's
deals, deals by investor), Datasette gets the same SQL through its query API (which counts nothing).
The bare SQL is what Datasette's request runs, timed straight on the database: the floor for both.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

DATASETTE_DB = "demo-100k"
THREE_FILTERS = {"kind": "cloud_compute", "status": "announced", "announced_after": "2020-01-01"}
CSV_FILTERS = {"kind": "cloud_compute", "announced_after": "2024-01-01"}
INVESTOR_RANGE = {"announced_after": "2020-01-01", "announced_before": "2024-12-31"}
NEWEST_FIRST = "announced_on DESC NULLS LAST, title, id"


@dataclass
class Endpoint:
    name: str
    ours: str
    datasette: str
    sql: list[tuple[str, tuple]] = field(default_factory=list)
    requests: int | None = None


def _table(table: str, params: dict, fmt: str = "json") -> str:
    return f"/{DATASETTE_DB}/{table}.{fmt}?{urlencode(params)}"


def _query(sql: str, params: tuple) -> str:
    """Datasette's query API takes named parameters; the bare SQL uses positional ones."""
    named = sql
    values = {}
    for number, value in enumerate(params):
        named = named.replace("%s", f":p{number}", 1)
        values[f"p{number}"] = value
    return f"/{DATASETTE_DB}.json?{urlencode({'sql': named, **values, '_shape': 'array'})}"


def _with_count(page_sql: str, count_sql: str, params: tuple) -> list[tuple[str, tuple]]:
    return [(page_sql, params), (count_sql, params)]


def mix(top_company: dict, investor: dict, csv_requests: int) -> list[Endpoint]:
    """The endpoints, given the company with the most deals and a busy investor ({"id", "slug"})."""
    three = ("published", "cloud_compute", "announced", "2020-01-01")
    three_where = "publication = %s AND kind = %s AND status = %s AND announced_on >= %s"
    company_where = "publication = %s AND id IN (SELECT deal_id FROM deals_dealparty WHERE company_id = %s)"
    investor_where = (
        "publication = %s AND announced_on >= %s AND announced_on <= %s AND id IN "
        "(SELECT deal_id FROM deals_dealparty WHERE company_id = %s AND role IN ('investor', 'lead_investor'))"
    )
    investor_params = ("published", "2020-01-01", "2024-12-31", investor["id"])
    company_sql = f"SELECT * FROM deals_deal WHERE {company_where} ORDER BY {NEWEST_FIRST} LIMIT 100"
    investor_sql = f"SELECT * FROM deals_deal WHERE {investor_where} ORDER BY {NEWEST_FIRST} LIMIT 50"
    alliance_sql = (
        "SELECT a.*, ca.name, cb.name FROM deals_alliance a JOIN deals_company ca ON ca.id = a.company_a_id "
        "JOIN deals_company cb ON cb.id = a.company_b_id ORDER BY a.total_usd DESC NULLS LAST, a.slug LIMIT 20"
    )
    return [
        Endpoint(
            "deal list, three filters",
            f"/deals/?{urlencode(THREE_FILTERS)}",
            _table(
                "deals_deal",
                {
                    "publication": "published",
                    "kind": "cloud_compute",
                    "status": "announced",
                    "announced_on__gte": "2020-01-01",
                    "_sort_desc": "announced_on",
                    "_size": 20,
                },
            ),
            _with_count(
                f"SELECT * FROM deals_deal WHERE {three_where} ORDER BY {NEWEST_FIRST} LIMIT 20",
                f"SELECT COUNT(*) FROM deals_deal WHERE {three_where}",
                three,
            ),
        ),
        Endpoint(
            "deal list by amount",
            "/deals/?ordering=-usd",
            _table("deals_deal", {"publication": "published", "_sort_desc": "amount_usd", "_size": 20}),
            _with_count(
                "SELECT * FROM deals_deal WHERE publication = %s ORDER BY amount_usd DESC NULLS LAST, id LIMIT 20",
                "SELECT COUNT(*) FROM deals_deal WHERE publication = %s",
                ("published",),
            ),
        ),
        Endpoint(
            f"company page ({top_company['deals']} deals)",
            f"/companies/{top_company['slug']}/",
            _query(company_sql, ("published", top_company["id"])),
            _with_count(
                company_sql,
                f"SELECT COUNT(*) FROM deals_deal WHERE {company_where}",
                ("published", top_company["id"]),
            ),
        ),
        Endpoint(
            "alliance list by total",
            "/alliances/?ordering=-total",
            _table("deals_alliance", {"_sort_desc": "total_usd", "_size": 20, "_labels": "on"}),
            [(alliance_sql, ()), ("SELECT COUNT(*) FROM deals_alliance", ())],
        ),
        Endpoint(
            "circular deals page",
            "/circular/",
            _table("deals_cycle", {"folded": 1, "_sort_desc": "smaller_flow_usd", "_size": 20}),
            _with_count(
                "SELECT * FROM deals_cycle WHERE folded = %s "
                "ORDER BY smaller_flow_usd DESC NULLS LAST, length, signature LIMIT 20",
                "SELECT COUNT(*) FROM deals_cycle WHERE folded = %s",
                (True,),
            ),
        ),
        Endpoint(
            "API deals by investor and dates (50)",
            f"/api/v1/deals/?{urlencode({'investor': investor['slug'], **INVESTOR_RANGE, 'page_size': 50})}",
            _query(investor_sql, investor_params),
            _with_count(investor_sql, f"SELECT COUNT(*) FROM deals_deal WHERE {investor_where}", investor_params),
        ),
        Endpoint(
            "API company detail",
            f"/api/v1/companies/{top_company['slug']}/",
            f"/{DATASETTE_DB}/deals_company/{top_company['id']}.json",
            [("SELECT * FROM deals_company WHERE id = %s", (top_company["id"],))],
        ),
        Endpoint(
            "CSV export, filtered",
            f"/deals/export.csv?{urlencode(CSV_FILTERS)}",
            _table(
                "deals_deal",
                {
                    "publication": "published",
                    "kind": "cloud_compute",
                    "announced_on__gte": "2024-01-01",
                    "_sort_desc": "announced_on",
                    "_stream": "on",
                    "_size": "max",
                },
                fmt="csv",
            ),
            [
                (
                    "SELECT * FROM deals_deal WHERE publication = %s AND kind = %s AND announced_on >= %s "
                    f"ORDER BY {NEWEST_FIRST}",
                    ("published", "cloud_compute", "2024-01-01"),
                )
            ],
            requests=csv_requests,
        ),
    ]
