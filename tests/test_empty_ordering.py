"""An ordering with an empty item (`?ordering=,`, `-usd,`) is refused on every list like any unusable filter: a 400
naming it on the API and the CSV exports, the form's error on the pages; never a 500."""

import pytest

PAGES = ["/deals/", "/companies/", "/alliances/"]
CSV_EXPORTS = ["/deals/export.csv", "/companies/export.csv", "/alliances/export.csv"]
API_LISTS = ["/api/v1/deals/", "/api/v1/companies/", "/api/v1/alliances/"]
EMPTY_ITEMS = [",", "-usd,", ",-total", ",,", " , "]


@pytest.mark.parametrize("value", EMPTY_ITEMS)
@pytest.mark.parametrize("url", API_LISTS + CSV_EXPORTS)
def test_an_empty_ordering_item_is_a_400_naming_the_ordering(client, world, url, value):
    response = client.get(url, {"ordering": value}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400, response.status_code
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if url.startswith("/api/"):
        assert "ordering" in response.json(), body
    else:
        assert b"ordering: " in body, body


@pytest.mark.parametrize("value", EMPTY_ITEMS)
@pytest.mark.parametrize("url", PAGES)
def test_an_empty_ordering_item_is_a_form_error_on_the_page(client, world, url, value):
    response = client.get(url, {"ordering": value}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


@pytest.mark.parametrize("url", PAGES + CSV_EXPORTS + API_LISTS)
def test_a_usable_ordering_still_sorts(client, world, url):
    ordering = {"deals": "-usd", "companies": "-invested", "alliances": "-total"}[
        next(name for name in ("deals", "companies", "alliances") if name in url)
    ]

    assert client.get(url, {"ordering": ordering}).status_code == 200
