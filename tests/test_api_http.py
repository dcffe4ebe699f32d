"""HTTP around the data: throttling, conditional GET, CSV, CORS."""

import csv
import datetime
import io

import pytest
from django.utils import timezone
from django.utils.http import http_date

from deals.models import Company
from tests.api_world import token_client
from tests.factories import CompanyFactory, make_deal

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_data(shared_api_world):
    return shared_api_world


# Throttling


def test_anonymous_clients_past_the_rate_get_429_with_retry_after(api_client, api_data, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "3/minute"}}

    statuses = [api_client.get("/api/v1/deals/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    response = api_client.get("/api/v1/companies/")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert "Request was throttled" in response.json()["detail"]


def test_a_flood_of_distinct_list_filters_does_not_wipe_the_throttle(api_client, client, api_data, settings):
    # Each filter's total is remembered (deals.lists.counts) in the default cache, which culls a third of its entries
    # when full; the throttle's history is kept in a part of its own (settings.CACHES["throttle"]).
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "2/minute"}}
    assert [api_client.get("/api/v1/deals/").status_code for _ in range(2)] == [200, 200]
    for amount in range(320):
        assert client.get("/deals/", {"min_usd": amount}).status_code == 200
    assert api_client.get("/api/v1/deals/").status_code == 429


def test_staff_are_not_throttled(editor, api_data, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "1/minute"}}
    client = token_client(editor)

    assert {client.get("/api/v1/deals/").status_code for _ in range(3)} == {200}


def test_a_forged_forwarded_for_header_does_not_reset_the_count(api_client, api_data, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "1/minute"}}

    api_client.get("/api/v1/deals/", HTTP_X_FORWARDED_FOR="10.0.0.1")

    assert api_client.get("/api/v1/deals/", HTTP_X_FORWARDED_FOR="10.0.0.2").status_code == 429


def test_behind_one_proxy_forged_forwarded_for_values_are_still_one_client(api_client, api_data, settings):
    """The proxy appends the address it saw; whatever the client wrote before it is not trusted."""
    settings.NUM_PROXIES = 1
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "NUM_PROXIES": 1,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute"},
    }

    def through_the_proxy(forged, client_address="203.0.113.7"):
        return api_client.get(
            "/api/v1/deals/", REMOTE_ADDR="10.0.0.254", HTTP_X_FORWARDED_FOR=f"{forged}, {client_address}"
        ).status_code

    statuses = [through_the_proxy(f"198.51.100.{n}") for n in range(5)]

    assert statuses == [200, 200, 200, 429, 429]
    assert through_the_proxy("198.51.100.1", client_address="203.0.113.8") == 200, "another client has its own count"


# Conditional GET


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/deals/",
        "/api/v1/deals/amazon-anthropic-2023/",
        "/api/v1/companies/",
        "/api/v1/companies/amazon/",
        "/api/v1/alliances/",
        "/api/v1/alliances/amazon--anthropic/",
        "/api/v1/sources/",
        "/api/v1/deals/?format=csv",
    ],
)
def test_a_matching_if_none_match_gets_a_304(api_client, api_data, url):
    first = api_client.get(url)
    assert first.status_code == 200
    etag = first["ETag"]

    again = api_client.get(url, HTTP_IF_NONE_MATCH=etag)

    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert api_client.get(url, HTTP_IF_NONE_MATCH='"stale"').status_code == 200


def test_the_etag_changes_when_anything_shown_changes(api_client, api_data):
    before = api_client.get("/api/v1/deals/")["ETag"]

    # A party renamed: the deal itself is untouched, its row is not.
    Company.objects.filter(slug="amazon").update(name="Amazon.com")

    after = api_client.get("/api/v1/deals/", HTTP_IF_NONE_MATCH=before)
    assert after.status_code == 200
    assert after["ETag"] != before


def _stamp(*objects):
    for obj in objects:
        obj.refresh_from_db()
    return http_date(max(obj.updated_at for obj in objects).timestamp())


def test_lists_and_details_say_when_what_they_show_last_changed(api_client, api_data):
    detail = api_client.get("/api/v1/deals/amazon-anthropic-2023/")
    assert detail["Last-Modified"] == _stamp(api_data.published, api_data.amazon, api_data.anthropic, api_data.article)
    listing = api_client.get("/api/v1/companies/")
    assert listing["Last-Modified"] == _stamp(api_data.amazon, api_data.aws, api_data.anthropic)


def test_a_company_not_modified_since_gets_a_304(api_client, api_data):
    last_modified = api_client.get("/api/v1/companies/aws/")["Last-Modified"]

    assert api_client.get("/api/v1/companies/aws/", HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    # AWS shows its parent's name, so a later change to Amazon counts.
    Company.objects.filter(slug="amazon").update(updated_at=timezone.now() + datetime.timedelta(hours=1))
    assert api_client.get("/api/v1/companies/aws/", HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 200


def test_writes_and_errors_carry_no_etag(api_client, editor, api_data):
    assert "ETag" not in api_client.get("/api/v1/deals/?kind=nope")
    response = token_client(editor).patch("/api/v1/companies/amazon/", {"country": "US"}, format="json")
    assert response.status_code == 200
    assert "ETag" not in response


# CSV


def _rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_any_list_comes_as_csv(api_client, api_data):
    for collection in ("deals", "companies", "alliances", "sources"):
        by_parameter = api_client.get(f"/api/v1/{collection}/?format=csv")
        by_header = api_client.get(f"/api/v1/{collection}/", HTTP_ACCEPT="text/csv")
        for response in (by_parameter, by_header):
            assert response.status_code == 200
            assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert by_parameter.content == by_header.content
        assert _rows(by_parameter)


def test_csv_rows_flatten_nested_objects_and_keep_filters(api_client, api_data):
    rows = _rows(api_client.get("/api/v1/deals/?format=csv&kind=equity"))

    assert [row["slug"] for row in rows] == ["amazon-anthropic-2023"]
    assert rows[0]["amount_display"] == "up to $4B"
    assert '"company_name": "Amazon"' in rows[0]["parties"]
    assert rows[0]["api_url"] == "http://testserver/api/v1/deals/amazon-anthropic-2023/"
    alliance = _rows(api_client.get("/api/v1/alliances/?format=csv"))[0]
    assert alliance["company_a.name"] == "Amazon"
    assert alliance["company_b.slug"] == "anthropic"


def test_csv_defuses_formulas(api_client, api_data):
    evil = CompanyFactory(name='=HYPERLINK("http://evil.example","click")', slug="evil")
    make_deal(evil, api_data.anthropic, title="+cmd|' /C calc'!A0", slug="evil-deal")

    deals = _rows(api_client.get("/api/v1/deals/?format=csv&company=evil"))
    companies = _rows(api_client.get("/api/v1/companies/?format=csv&q=HYPERLINK"))

    assert deals[0]["title"] == "'+cmd|' /C calc'!A0"
    assert companies[0]["name"].startswith("'=HYPERLINK")


def test_an_empty_csv_list_still_has_its_header(api_client, api_data):
    response = api_client.get("/api/v1/deals/?format=csv&kind=acquisition")

    header = response.content.decode().splitlines()
    assert header == [header[0]]
    assert header[0].startswith("slug,title,kind,")


def test_errors_asked_for_as_csv_come_as_json(api_client, api_data):
    response = api_client.get("/api/v1/deals/?format=csv&kind=nope")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "kind" in response.json()


# CORS


def test_any_origin_may_read(api_client, api_data):
    response = api_client.get("/api/v1/deals/", HTTP_ORIGIN="https://dashboard.example.org")

    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]


def test_cross_origin_writes_are_not_allowed_by_preflight(api_client, api_data):
    response = api_client.options(
        "/api/v1/deals/",
        HTTP_ORIGIN="https://dashboard.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )

    assert "POST" not in response.get("Access-Control-Allow-Methods", "")


def test_pages_outside_the_api_send_no_cors_header(client, api_data):
    response = client.get("/deals/", HTTP_ORIGIN="https://dashboard.example.org")

    assert "Access-Control-Allow-Origin" not in response
