"""The API in a browser: a browser (Accept: text/html) gets a web page of the same data, every other client JSON
(or CSV when asked), and every answer says it varies on Accept, so neither the whole-page cache nor a cache
between client and site gives one kind of client the other's answer."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


@pytest.fixture
def data(shared_api_world):
    return shared_api_world


def _vary(response) -> set[str]:
    return {name.strip().lower() for name in response.get("Vary", "").split(",")}


@pytest.mark.parametrize("address", ["/api/v1/", "/api/v1/deals/", "/api/v1/companies/", "/api/v1/sources/"])
def test_a_browser_gets_a_web_page_of_the_data_with_the_sites_own_scripts(client, data, address):
    response = client.get(address, HTTP_ACCEPT=BROWSER_ACCEPT)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "/static/rest_framework/js/jquery" in page and "/static/rest_framework/css/bootstrap" in page
    # Nothing fetched from elsewhere: no script, style or font from another host.
    assert 'src="http' not in page and 'href="http://cdn' not in page and "//cdn" not in page
    assert '<a class="navbar-brand" href="/">Dealsite</a>' in page
    assert "Accept" in _vary(response) or "accept" in _vary(response)


def test_the_web_page_shows_the_same_rows_as_the_json(client, data):
    rows = client.get("/api/v1/deals/", {"kind": "equity"}).json()["results"]
    page = client.get("/api/v1/deals/", {"kind": "equity"}, HTTP_ACCEPT=BROWSER_ACCEPT).content.decode()

    assert rows
    for row in rows:
        assert f"&quot;slug&quot;: &quot;{row['slug']}&quot;" in page


def test_an_anonymous_visitor_is_offered_no_form_to_write(client, data):
    page = client.get("/api/v1/deals/", HTTP_ACCEPT=BROWSER_ACCEPT).content.decode()

    assert 'id="post-object-form"' not in page and "raw-tab" not in page


@pytest.mark.parametrize(
    ("accept", "query", "content_type"),
    [
        (None, {}, "application/json"),
        ("*/*", {}, "application/json"),
        ("application/json", {}, "application/json"),
        (BROWSER_ACCEPT, {"format": "json"}, "application/json"),
        (BROWSER_ACCEPT, {"format": "csv"}, "text/csv"),
        ("text/csv", {}, "text/csv"),
        ("*/*", {"format": "api"}, "text/html"),
    ],
)
def test_other_clients_get_json_or_what_they_ask_for(client, data, accept, query, content_type):
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    response = client.get("/api/v1/deals/", query, **headers)

    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert "accept" in _vary(response)


def test_a_not_modified_answer_keeps_the_vary_header(client, data):
    etag = client.get("/api/v1/deals/")["ETag"]
    response = client.get("/api/v1/deals/", HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert "accept" in _vary(response)


def test_the_json_and_the_web_page_have_different_etags(client, data):
    assert (
        client.get("/api/v1/companies/")["ETag"] != client.get("/api/v1/companies/", HTTP_ACCEPT=BROWSER_ACCEPT)["ETag"]
    )


def test_an_unknown_format_names_the_three(client, data):
    response = client.get("/api/v1/deals/", {"format": "xml"})

    assert response.status_code == 400
    assert response.json() == {"format": ["Unknown format. Use one of: json, api, csv."]}


@override_settings(PAGE_CACHE_SECONDS=600)
def test_the_page_cache_keeps_json_apart_from_the_browsers_page(client, data):
    json_first = client.get("/api/v1/deals/", HTTP_ACCEPT="*/*")
    json_again = client.get("/api/v1/deals/", HTTP_ACCEPT="*/*")
    page = client.get("/api/v1/deals/", HTTP_ACCEPT=BROWSER_ACCEPT)
    json_after = client.get("/api/v1/deals/", HTTP_ACCEPT="*/*")

    assert (json_first["X-Cache"], json_again["X-Cache"], json_after["X-Cache"]) == ("miss", "hit", "hit")
    assert json_after["Content-Type"] == "application/json" and json_after.content == json_first.content
    assert page["X-Cache"] == "miss" and page["Content-Type"].startswith("text/html")
    assert "accept" in _vary(json_again)


@override_settings(PAGE_CACHE_SECONDS=600)
def test_a_kept_json_answer_is_not_given_to_a_browser_asking_after_it(client, data):
    client.get("/api/v1/companies/")
    client.get("/api/v1/companies/")

    for _ in range(2):
        page = client.get("/api/v1/companies/", HTTP_ACCEPT=BROWSER_ACCEPT)
        assert page["Content-Type"].startswith("text/html") and b"<html" in page.content


def test_web_pages_count_against_the_anonymous_rate(client, data, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "2/minute"}}

    statuses = [
        client.get("/api/v1/deals/", HTTP_ACCEPT=BROWSER_ACCEPT).status_code,
        client.get("/api/v1/deals/").status_code,
        client.get("/api/v1/deals/", HTTP_ACCEPT=BROWSER_ACCEPT).status_code,
    ]

    assert statuses == [200, 200, 429]


def test_the_schema_documents_json_and_csv_not_the_web_page(client, data):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    media_types = {
        media_type
        for path in schema["paths"].values()
        for operation in path.values()
        for response in operation.get("responses", {}).values()
        for media_type in response.get("content", {})
    }

    assert "text/html" not in media_types
    assert {"application/json", "text/csv"} <= media_types


def test_sources_take_the_source_list_filters(client, data):
    every = client.get("/api/v1/sources/").json()
    language = every["results"][0]["language"]
    filtered = client.get("/api/v1/sources/", {"language": language}).json()

    assert filtered["count"] >= 1
    assert {row["language"] for row in filtered["results"]} == {language}


@pytest.mark.parametrize("address", ["/api/v1/deals/?page_size=100", "/api/v1/companies/", "/api/v1/sources/"])
def test_the_web_page_reads_no_more_than_the_json(client, data, address):
    client.get(address)
    client.get(address, HTTP_ACCEPT=BROWSER_ACCEPT)
    with CaptureQueriesContext(connection) as json_queries:
        client.get(address)
    with CaptureQueriesContext(connection) as page_queries:
        client.get(address, HTTP_ACCEPT=BROWSER_ACCEPT)

    assert len(page_queries) == len(json_queries)
