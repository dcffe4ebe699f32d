"""Column headers that sort the public lists (deals.templatetags.lists.sort_header): each sortable header links to the
list in that column's order (again: the other way), keeping the filters and starting at page one, and shows the
current order with an arrow and aria-sort. Only the orderings each FilterSet allows; a bad one is still a 400."""

import html
import re
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from django.db.models import F

from deals.models import Deal, Publication

pytestmark = pytest.mark.django_db

HEADER = re.compile(
    r'<th scope="col" class="sortable[^"]*"(?: aria-sort="(?P<sort>\w+)")?><a class="sort-link" href="(?P<url>[^"]*)">'
    r"(?P<label>[^<]*)<span class=\"sort-arrow\" aria-hidden=\"true\">(?P<arrow>.)</span>"
)
# {list: {header: (its ordering, the first click's direction)}}
SORTABLE = {
    "/deals/": {"Announced": ("announced", "-"), "Amount": ("usd", "-")},
    "/companies/": {
        "Company": ("name", ""),
        "Deals": ("deals", "-"),
        "Invested": ("invested", "-"),
        "Received": ("received", "-"),
    },
    "/alliances/": {"Deals": ("deals", "-"), "Total value": ("total", "-"), "Latest deal": ("latest", "-")},
    "/sources/": {"Source": ("title", ""), "Publisher": ("publisher", ""), "Date": ("published", "-")},
}
# What each list is sorted by when no order is asked for.
DEFAULT = {"/deals/": "-announced", "/companies/": "name", "/alliances/": "-total", "/sources/": "-published"}
# Each list's rows as the page shows them, in order: the column a test reads to check the order.
ROW_NAMES = {
    "/deals/": r'<a class="deal-title" href="[^"]*">([^<]*)</a>',
    "/companies/": r'<a class="company-name" href="[^"]*">([^<]*)</a>',
    "/alliances/": r'<a class="pair" href="([^"]*)">',
    "/sources/": r'<td data-label="Source"><a href="[^"]*">([^<]*)</a>',
}


def headers(content: str) -> dict[str, dict]:
    return {
        found["label"]: {"url": html.unescape(found["url"]), "sort": found["sort"], "arrow": found["arrow"]}
        for found in HEADER.finditer(content)
    }


def rows(client, url: str, params: dict) -> list[str]:
    response = client.get(url, params)
    assert response.status_code == 200, (url, params)
    return re.findall(ROW_NAMES[url], response.content.decode())


def _ordering(link: str) -> str:
    return parse_qs(urlsplit(link).query)["ordering"][0]


@pytest.mark.parametrize("url", SORTABLE)
def test_each_sortable_header_links_to_its_order_and_shows_the_current_one(client, world, url):
    shown = headers(client.get(url).content.decode())
    assert set(shown) == set(SORTABLE[url])
    for label, (key, first) in SORTABLE[url].items():
        header = shown[label]
        if DEFAULT[url].lstrip("-") == key:
            # The list's own order: shown, and the link reverses it.
            descending = DEFAULT[url].startswith("-")
            assert header["sort"] == ("descending" if descending else "ascending")
            assert header["arrow"] == ("▼" if descending else "▲")
            assert _ordering(header["url"]) == (key if descending else f"-{key}")
        else:
            assert header["sort"] is None and header["arrow"] == "⇅"
            assert _ordering(header["url"]) == f"{first}{key}"


@pytest.mark.parametrize("url", SORTABLE)
def test_a_second_click_reverses_the_order(client, world, url):
    for label, (key, first) in SORTABLE[url].items():
        once = headers(client.get(url, {"ordering": f"{first}{key}"}).content.decode())[label]
        assert once["sort"] == ("descending" if first else "ascending")
        reversed_order = key if first else f"-{key}"
        assert _ordering(once["url"]) == reversed_order
        twice = headers(client.get(urljoin(url, once["url"])).content.decode())[label]
        assert twice["sort"] == ("ascending" if first else "descending")
        assert _ordering(twice["url"]) == f"{first}{key}"


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/deals/", {"kind": "equity", "page": "2", "page_size": "1"}),
        ("/companies/", {"kind": "big_tech", "page": "2", "page_size": "1"}),
        ("/alliances/", {"company": "openai", "page": "2", "page_size": "1"}),
        ("/sources/", {"language": "en", "page": "2", "page_size": "1"}),
    ],
)
def test_a_header_keeps_the_filters_and_starts_at_page_one(client, world, url, params):
    for header in headers(client.get(url, params).content.decode()).values():
        query = parse_qs(urlsplit(header["url"]).query)
        assert "page" not in query
        assert {name: values[0] for name, values in query.items() if name != "ordering"} == {
            name: value for name, value in params.items() if name != "page"
        }


def test_a_header_orders_the_rows(client, world):
    assert rows(client, "/companies/", {"ordering": "name"}) == sorted(rows(client, "/companies/", {}))
    assert rows(client, "/companies/", {"ordering": "-name"}) == sorted(rows(client, "/companies/", {}), reverse=True)
    published = Deal.objects.filter(publication=Publication.PUBLISHED)
    for ordering, column in (("announced", "announced_on"), ("usd", "amount_usd")):
        for direction in ("asc", "desc"):
            expected = published.order_by(getattr(F(column), direction)(nulls_last=True), "pk")
            requested = ordering if direction == "asc" else f"-{ordering}"
            assert rows(client, "/deals/", {"ordering": requested}) == [deal.title for deal in expected], requested
    titles = rows(client, "/sources/", {"ordering": "title"})
    assert titles == sorted(titles)
    assert rows(client, "/sources/", {"ordering": "-title"}) == sorted(titles, reverse=True)


def test_a_search_shows_no_column_as_its_order(client, world):
    """A search lists the best matches first: no header claims the order until one is chosen."""
    shown = headers(client.get("/deals/", {"q": "openai"}).content.decode())
    assert all(header["sort"] is None for header in shown.values())
    chosen = headers(client.get("/deals/", {"q": "openai", "ordering": "usd"}).content.decode())
    assert chosen["Amount"]["sort"] == "ascending"
    assert parse_qs(urlsplit(chosen["Amount"]["url"]).query) == {"q": ["openai"], "ordering": ["-usd"]}


@pytest.mark.parametrize("url", SORTABLE)
def test_an_ordering_the_filterset_does_not_allow_is_still_a_400(client, world, url):
    for bad in ("-profit", "kind", "announced_on", ",", "name,"):
        response = client.get(url, {"ordering": bad})
        assert response.status_code == 400, (url, bad)
        assert "Select a valid choice." in response.content.decode()
        assert 'class="sort-link"' not in response.content.decode()


@pytest.mark.parametrize(
    "url", ["/companies/amazon/", "/alliances/amazon--openai/", "/search/?q=openai", "/deals/openai-110b-round/"]
)
def test_tables_without_an_ordering_filter_have_no_sort_links(client, world, url):
    response = client.get(url)
    assert response.status_code == 200
    assert 'class="sort-link"' not in response.content.decode()
    assert "aria-sort" not in response.content.decode()


def test_the_headers_read_in_spanish(client, world):
    content = client.get("/es/deals/", {"ordering": "usd"}).content.decode()
    shown = headers(content)
    assert set(shown) == {"Anunciado", "Importe"}
    assert urlsplit(shown["Importe"]["url"]).query == "ordering=-usd"
    assert "(ordenar de forma descendente)" in content
