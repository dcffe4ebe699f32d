"""Every public page with an API equivalent points to it (deals.web.api_links): a `<link rel="alternate">` in the
head and small "JSON" / "CSV" links under the heading, carrying the page's filters and pagination in the API's
parameter names, so that the JSON holds the rows the page shows."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.django_db


def _alternates(page: str) -> dict[str, str]:
    """The API addresses a page's head announces, by media type."""
    links = re.findall(r'<link rel="alternate" type="(application/json|text/csv)" href="([^"]+)"', page)
    return {media_type: unescape(href) for media_type, href in links}


def _visible(page: str) -> dict[str, str]:
    block = re.search(r'<p class="api-links small">(.*?)</p>', page, re.S)
    assert block, "no visible API links"
    return {label: unescape(href) for href, label in re.findall(r'<a href="([^"]+)"[^>]*>(JSON|CSV)</a>', block[1])}


def _query(address: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(address).query)


def test_the_deal_list_links_its_filters_and_page_to_the_api(client, world):
    page = client.get("/deals/", {"kind": "equity", "investor": "amazon", "min_usd": "", "utm_source": "x"})
    html = page.content.decode()

    alternates = _alternates(html)
    assert alternates["application/json"] == "/api/v1/deals/?kind=equity&investor=amazon"
    assert alternates["text/csv"] == "/api/v1/deals/?kind=equity&investor=amazon&format=csv"
    assert _visible(html) == {"JSON": alternates["application/json"], "CSV": alternates["text/csv"]}


def test_the_page_number_and_size_are_carried_and_the_json_has_the_same_rows(client, world):
    html = client.get("/deals/", {"ordering": "-usd", "page": "2", "page_size": "2"}).content.decode()
    json_address = _alternates(html)["application/json"]

    assert _query(json_address) == {"ordering": ["-usd"], "page": ["2"], "page_size": ["2"]}
    rows = client.get(json_address).json()["results"]
    assert len(rows) == 2
    for row in rows:
        assert f'href="/deals/{row["slug"]}/"' in html


def test_the_json_of_an_unfiltered_list_is_the_pages_first_rows(client, world):
    html = client.get("/deals/").content.decode()
    rows = client.get(_alternates(html)["application/json"]).json()["results"]
    shown = re.findall(r'class="deal-title" href="/deals/([^/"]+)/"', html)

    assert [row["slug"] for row in rows] == list(dict.fromkeys(shown))[: len(rows)]


def test_a_company_typed_by_name_reaches_the_api_as_its_slug(client, world):
    response = client.get("/deals/", {"investor": "Amazon"}, follow=True)

    assert _query(_alternates(response.content.decode())["application/json"]) == {"investor": ["amazon"]}


def test_a_size_past_the_cap_is_written_as_the_page_applied_it(client, world):
    html = client.get("/companies/", {"page_size": "5000"}).content.decode()

    assert _query(_alternates(html)["application/json"]) == {"page_size": ["100"]}


@pytest.mark.parametrize(
    ("address", "api", "query"),
    [
        ("/companies/?kind=ai_lab&ordering=name", "/api/v1/companies/", {"kind": ["ai_lab"], "ordering": ["name"]}),
        ("/alliances/?company=openai", "/api/v1/alliances/", {"company": ["openai"]}),
        ("/sources/?publisher=Example+News", "/api/v1/sources/", {"publisher": ["Example News"]}),
        ("/circular/?year=2025", "/api/v1/cycles/", {"year": ["2025"]}),
    ],
)
def test_every_list_links_its_collection_with_its_filters_in_json_and_csv(client, world, address, api, query):
    html = client.get(address).content.decode()
    alternates = _alternates(html)

    assert urlsplit(alternates["application/json"]).path == api
    assert _query(alternates["application/json"]) == query
    assert _query(alternates["text/csv"]) == {**query, "format": ["csv"]}
    json_response = client.get(alternates["application/json"])
    assert json_response.status_code == 200 and json_response["Content-Type"] == "application/json"
    csv_response = client.get(alternates["text/csv"])
    assert csv_response.status_code == 200 and csv_response["Content-Type"].startswith("text/csv")


def test_each_detail_page_links_its_object_in_json(client, world):
    deal = world.deals["openai-round"]
    source = deal.citations.first().source
    pages = {
        deal.get_absolute_url(): f"/api/v1/deals/{deal.slug}/",
        "/companies/anthropic/": "/api/v1/companies/anthropic/",
        "/alliances/amazon--anthropic/": "/api/v1/alliances/amazon--anthropic/",
        f"/sources/{source.pk}/": f"/api/v1/sources/{source.pk}/",
    }
    for address, api in pages.items():
        html = client.get(address).content.decode()
        assert _alternates(html) == {"application/json": api}, address
        assert _visible(html) == {"JSON": api}, address
        assert client.get(api).status_code == 200, api


def test_the_json_of_a_deal_page_is_that_deal(client, world):
    deal = world.deals["amazon-anthropic"]
    html = client.get(deal.get_absolute_url()).content.decode()

    assert client.get(_alternates(html)["application/json"]).json()["slug"] == deal.slug


def test_a_list_with_invalid_filters_links_no_api_rows(client, world):
    response = client.get("/deals/", {"kind": "nonsense"})

    assert response.status_code == 400
    assert _alternates(response.content.decode()) == {}


def test_the_spanish_pages_link_the_same_api(client, world):
    html = client.get("/es/deals/", {"kind": "equity"}).content.decode()

    assert _alternates(html)["application/json"] == "/api/v1/deals/?kind=equity"
    assert "Esta página en la API" in html


def test_the_api_links_of_a_list_add_no_query(client, world, django_assert_max_num_queries):
    client.get("/deals/", {"kind": "equity"})
    with django_assert_max_num_queries(4):
        client.get("/deals/", {"kind": "equity", "page_size": "3"})
