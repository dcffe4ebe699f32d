"""Facet counts beside every public list (deals.lists.facets): each value's count is the total the list shows when
narrowed to it, under every other filter given; a value links to the narrowed list (the other filters kept, the page
reset), the value chosen links to the list without it; the counts are remembered under the content version."""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deals.core.choices import CompanyKind, DealKind
from deals.models import Deal, Publication, Source
from tests.factories import CompanyFactory, SourceFactory, make_deal

pytestmark = pytest.mark.django_db

FACET = re.compile(
    r'<h3 class="facet-title" id="facet-(?P<name>\w+)">(?P<label>.*?)</h3>(?P<values>.*?)</ul>', re.DOTALL
)
VALUE = re.compile(
    r'<a class="facet-value(?P<selected> selected)?" href="(?P<url>[^"]*)"[^>]*>\s*'
    r'<span class="facet-label">(?P<label>.*?)</span>\s*<span class="facet-count">(?P<count>[\d,]+)</span>',
    re.DOTALL,
)
# What a facet's GROUP BY query names its counts (deals.lists.facets.ROWS).
FACET_QUERY = '"facet_rows"'
LISTS = {
    "/deals/": {"kind", "status", "year", "currency", "company_kind", "company"},
    "/companies/": {"kind", "country"},
    "/alliances/": {"main_kind", "latest_year"},
    "/sources/": {"publisher", "language", "year"},
}
# Lists narrowed already: every facet still counts under the filters given (its own left out).
NARROWED = [
    ("/deals/", {}),
    ("/deals/", {"kind": "equity"}),
    ("/deals/", {"company": "amazon", "ordering": "-usd"}),
    ("/deals/", {"company_kind": "cloud", "year": "2025"}),
    ("/deals/", {"q": "openai", "currency": "usd"}),
    ("/companies/", {}),
    ("/companies/", {"kind": "big_tech"}),
    ("/companies/", {"role": "investor", "country": "jp"}),
    ("/alliances/", {}),
    ("/alliances/", {"kind": "equity"}),
    ("/alliances/", {"main_kind": "cloud_compute", "company": "openai"}),
    ("/sources/", {}),
    ("/sources/", {"language": "EN", "year": "2024"}),
]


def facets(content: str) -> dict[str, list[dict]]:
    """{filter name: [{label, count, url, selected}]} as the page shows them."""
    return {
        found["name"]: [
            {
                "label": html.unescape(value["label"]),
                "count": int(value["count"].replace(",", "")),
                "url": html.unescape(value["url"]),
                "selected": bool(value["selected"]),
            }
            for value in VALUE.finditer(found["values"])
        ]
        for found in FACET.finditer(content)
    }


def shown_total(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    found = re.search(r"Showing [\d,]+–[\d,]+ of ([\d,]+)", response.content.decode())
    return int(found.group(1).replace(",", "")) if found else 0


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


@pytest.mark.parametrize(("url", "params"), NARROWED)
def test_each_value_counts_the_rows_its_link_lists(client, world, url, params):
    response = client.get(url, {**params, "page": 1, "page_size": 2})
    assert response.status_code == 200
    shown = facets(response.content.decode())
    assert shown, "no facet shown"
    assert set(shown) <= LISTS[url]
    for name, values in shown.items():
        assert values, name
        for value in values:
            target = query_of(value["url"])
            assert urlsplit(value["url"]).path == url
            assert "page" not in target
            # The other filters (and the order, and the page size) are kept.
            for other, given in params.items():
                if other != name:
                    assert target[other] == [given], (name, value)
            if value["selected"]:
                assert name not in target
            else:
                assert target[name] != [params.get(name)]
                assert shown_total(client, value["url"]) == value["count"], (name, value)


def test_every_list_shows_its_facets(client, world):
    for url, names in LISTS.items():
        shown = facets(client.get(url).content.decode())
        assert set(shown) == names, url


def test_the_deal_facets_count_what_the_world_holds(client, world):
    shown = facets(client.get("/deals/").content.decode())
    kinds = {value["label"]: value["count"] for value in shown["kind"]}
    assert kinds["Equity investment"] == Deal.objects.filter(publication=Publication.PUBLISHED, kind="equity").count()
    assert {value["label"] for value in shown["currency"]} == {"USD", "EUR"}
    assert shown["company"][0]["label"] == "OpenAI"  # in the most published deals
    years = [value["label"] for value in shown["year"]]
    assert years == sorted(years, reverse=True)
    counts = [value["count"] for value in shown["kind"]]
    assert counts == sorted(counts, reverse=True)
    assert "Secret Co" not in {value["label"] for value in shown["company"]}  # in a draft only


def test_a_facet_counts_under_the_other_filters_and_not_its_own(client, world):
    shown = facets(client.get("/deals/", {"kind": "equity"}).content.decode())
    # Its own: every kind, to choose another instead.
    assert {value["label"] for value in shown["kind"]} >= {"Equity investment", "Cloud / compute commitment"}
    # The others: the equity deals only.
    assert {value["label"] for value in shown["company"]} == {"Amazon", "Anthropic", "Google"}
    assert sum(value["count"] for value in shown["status"]) == shown_total(client, "/deals/?kind=equity")


def test_the_value_chosen_is_selected_and_its_link_removes_it(client, world):
    content = client.get("/deals/", {"kind": "equity", "company": "anthropic", "page": 2}).content.decode()
    shown = facets(content)
    [kind] = [value for value in shown["kind"] if value["selected"]]
    assert kind["label"] == "Equity investment"
    assert kind["count"] == 2
    assert query_of(kind["url"]) == {"company": ["anthropic"]}
    assert 'aria-current="true"' in content and "(remove this filter)" in content
    [company] = [value for value in shown["company"] if value["selected"]]
    assert company["label"] == "Anthropic" and query_of(company["url"]) == {"kind": ["equity"]}
    only = facets(client.get("/deals/", {"kind": "equity"}).content.decode())
    [kind] = [value for value in only["kind"] if value["selected"]]
    assert kind["url"] == "/deals/#results"


def test_a_chosen_value_outside_the_top_values_is_still_shown(client, world):
    """The company facet lists the ten companies in most deals; a company chosen beyond them shows with the list's
    total, and a text filter's value matches its facet's whatever its case."""
    hub = CompanyFactory(slug="hub", name="Hub")
    for _ in range(11):
        make_deal(hub, CompanyFactory())
    small = CompanyFactory(slug="small-one", name="Small One", country="NZ")
    make_deal(small, CompanyFactory(kind=CompanyKind.INVESTOR))
    shown = facets(client.get("/deals/", {"company": "small-one"}).content.decode())
    [chosen] = [value for value in shown["company"] if value["selected"]]
    assert (chosen["label"], chosen["count"]) == ("Small One", 1)
    assert len(shown["company"]) == 11
    countries = facets(client.get("/companies/", {"country": "nz"}).content.decode())["country"]
    [chosen] = [value for value in countries if value["selected"]]
    assert chosen["label"] == "NZ"
    assert chosen["count"] == shown_total(client, "/companies/?country=nz")


def test_facet_counts_are_remembered_until_the_content_changes(client, world):
    def grouped_queries(params):
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/deals/", params).status_code == 200
        return [query["sql"] for query in captured.captured_queries if FACET_QUERY in query["sql"]]

    caches["default"].clear()
    assert len(grouped_queries({"kind": "equity"})) == 6
    assert grouped_queries({"kind": "equity", "page_size": 5, "ordering": "-usd"}) == []
    # Narrowed by one more facet: only the other facets are counted again, not that facet's own.
    assert len(grouped_queries({"kind": "equity", "status": "reported"})) == 5
    before = facets(client.get("/deals/", {"kind": "equity"}).content.decode())["status"]
    make_deal(CompanyFactory(), CompanyFactory(), kind=DealKind.EQUITY, status="reported")
    after = facets(client.get("/deals/", {"kind": "equity"}).content.decode())["status"]
    assert {v["label"]: v["count"] for v in after}["Rumoured / reported"] == (
        {v["label"]: v["count"] for v in before}["Rumoured / reported"] + 1
    )


@pytest.mark.parametrize(
    ("url", "params", "facet_queries"),
    [
        ("/deals/", {}, 6),  # the company facet of the whole list reads the stored totals
        ("/deals/", {"company": "amazon", "q": "openai", "ordering": "-usd"}, 6),
        ("/companies/", {"kind": "ai_lab"}, 2),
        ("/alliances/", {"company": "openai"}, 2),
        ("/sources/", {"language": "en"}, 3),
    ],
)
def test_the_facets_cost_one_query_each_whatever_the_page_size(
    client, world, django_assert_max_num_queries, url, params, facet_queries
):
    for _ in range(30):
        make_deal(CompanyFactory(), CompanyFactory())
    counts = []
    for size in (5, 100):
        caches["default"].clear()
        # The list's own queries (at most 6: tests/test_deal_list.py and the others) and one per facet.
        with django_assert_max_num_queries(6 + len(LISTS[url])) as captured:
            assert client.get(url, {**params, "page_size": size}).status_code == 200
        queries = [query["sql"] for query in captured.captured_queries]
        assert len([sql for sql in queries if FACET_QUERY in sql]) == facet_queries
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_repeated_list_reads_its_facets_from_the_cache(client, world, django_assert_max_num_queries):
    for url, params in NARROWED:
        assert client.get(url, params).status_code == 200
        with django_assert_max_num_queries(4, info=url) as captured:
            assert client.get(url, {**params, "page": 1}).status_code == 200
        assert not [query for query in captured.captured_queries if FACET_QUERY in query["sql"]], (url, params)


def test_facet_values_are_escaped(client, world):
    hostile = '<img src=x onerror="alert(1)">&'
    company = CompanyFactory(slug="hostile", name=hostile)
    make_deal(company, CompanyFactory(), kind=DealKind.EQUITY)
    Source.objects.update(publisher=hostile)
    SourceFactory(publisher="Uncited")  # the list and its facets leave it out
    for url in ("/sources/", "/deals/?kind=equity", "/deals/?company=hostile"):
        content = client.get(url).content.decode()
        assert hostile not in content, url
        assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;" in content, url
    shown = facets(client.get("/sources/").content.decode())
    [publisher] = shown["publisher"]
    assert publisher["label"] == hostile
    assert query_of(publisher["url"]) == {"publisher": [hostile]}
    assert shown_total(client, publisher["url"]) == publisher["count"]


def test_invalid_filters_show_no_facets(client, world):
    for url, params in [("/deals/", {"year": "soon"}), ("/deals/", {"company_kind": "bank"})]:
        response = client.get(url, params)
        assert response.status_code == 400
        assert 'class="facets"' not in response.content.decode()


def test_the_facets_read_in_spanish(client, world):
    content = client.get("/es/deals/").content.decode()
    assert "Acotar" in content
    shown = facets(content)
    assert "Inversión en capital" in {value["label"] for value in shown["kind"]}
    assert all(urlsplit(value["url"]).path == "/es/deals/" for values in shown.values() for value in values)
