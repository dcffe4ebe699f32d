"""Reading the API: what each collection shows, to whom, in which order and in how many queries."""

import datetime

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deals.core.choices import RelationKind
from deals.models import DealRelation
from tests.api_world import token_client
from tests.factories import CompanyFactory, make_deal, saved_as_one_batch

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_data(shared_api_world):
    return shared_api_world


def _slugs(response):
    return [row["slug"] for row in response.json()["results"]]


def test_anonymous_clients_see_published_deals_only(api_client, api_data):
    response = api_client.get("/api/v1/deals/")

    assert response.status_code == 200
    assert response.json()["count"] == 2
    assert _slugs(response) == ["anthropic-aws-compute", "amazon-anthropic-2023"]
    assert api_client.get("/api/v1/deals/google-stealth/").status_code == 404


def test_a_deal_row_carries_what_a_table_needs(api_client, api_data):
    row = api_client.get("/api/v1/deals/").json()["results"][1]

    assert row["title"] == "Amazon invests up to $4B in Anthropic"
    assert row["kind"] == "equity"
    assert row["kind_display"] == "Equity investment"
    assert row["announced_on"] == "2023-09-25"
    assert row["amount"] == "4000000000.00"
    assert row["amount_usd"] == "4000000000.00"
    assert row["amount_display"] == "up to $4B"
    assert row["stake_percent"] == "15.000"
    assert row["citation_count"] == 1
    assert {(p["company"], p["company_name"], p["role"]) for p in row["parties"]} == {
        ("amazon", "Amazon", "investor"),
        ("anthropic", "Anthropic", "investee"),
    }
    assert row["api_url"] == "http://testserver/api/v1/deals/amazon-anthropic-2023/"
    assert row["html_url"] == "http://testserver/deals/amazon-anthropic-2023/"


def test_a_deal_carries_its_tranches_citations_and_related_deals(api_client, api_data):
    DealRelation.objects.create(from_deal=api_data.compute, to_deal=api_data.published, kind=RelationKind.EXPANDS)
    DealRelation.objects.create(from_deal=api_data.published, to_deal=api_data.draft, kind=RelationKind.SUPERSEDES)

    deal = api_client.get("/api/v1/deals/amazon-anthropic-2023/").json()

    assert deal["tranches"] == [
        {
            "position": 1,
            "label": "initial",
            "amount": "1250000000.00",
            "amount_qualifier": "exact",
            "commitment": "committed",
            "company": "amazon",
            "condition": "",
            "expected_on": None,
        }
    ]
    [citation] = deal["citations"]
    assert citation["source_title"] == "Amazon invests $4B in Anthropic"
    assert citation["source_publisher"] == "Reuters"
    assert citation["source_url"] == api_data.article.url
    assert citation["source_published_on"] == "2024-01-15"
    assert citation["quote"] == "up to $4 billion"
    # The relation to the draft stays hidden from anonymous clients.
    assert deal["related"] == [
        {
            "slug": "anthropic-aws-compute",
            "title": "Anthropic trains on AWS Trainium",
            "relation": "expands",
            "direction": "incoming",
        }
    ]


def test_staff_who_may_view_deals_see_drafts(editor, api_data):
    client = token_client(editor)

    assert "google-stealth" in _slugs(client.get("/api/v1/deals/"))
    draft = client.get("/api/v1/deals/google-stealth/").json()
    assert draft["publication"] == "draft"
    assert draft["html_url"] is None


def test_companies_are_those_the_public_pages_show(api_client, editor, api_data):
    assert _slugs(api_client.get("/api/v1/companies/")) == ["amazon", "aws", "anthropic"]
    assert api_client.get("/api/v1/companies/stealth-lab/").status_code == 404

    staff_view = _slugs(token_client(editor).get("/api/v1/companies/"))
    assert staff_view == ["amazon", "aws", "anthropic", "google", "stealth-lab"]


def test_a_company_shows_its_parent(api_client, api_data):
    aws = api_client.get("/api/v1/companies/aws/").json()

    assert aws["name"] == "Amazon Web Services"
    assert aws["kind"] == "cloud"
    assert aws["parent"] == "amazon"
    assert aws["parent_name"] == "Amazon"
    assert aws["html_url"] == "http://testserver/companies/aws/"


def test_sources_are_those_cited_by_a_published_deal(api_client, editor, api_data):
    public = api_client.get("/api/v1/sources/").json()["results"]

    titles = {source["title"] for source in public}
    assert "Amazon invests $4B in Anthropic" in titles
    assert "Rumour: Google and Stealth Lab" not in titles
    assert api_client.get(f"/api/v1/sources/{api_data.draft_only_article.pk}/").status_code == 404
    assert token_client(editor).get(f"/api/v1/sources/{api_data.draft_only_article.pk}/").status_code == 200


def test_alliances_join_groups_and_list_their_published_deals(api_client, api_data):
    [alliance] = api_client.get("/api/v1/alliances/").json()["results"]

    # AWS counts as Amazon: the investment and the compute deal make one alliance.
    assert alliance["slug"] == "amazon--anthropic"
    assert alliance["company_a"] == {"slug": "amazon", "name": "Amazon"}
    assert alliance["company_b"] == {"slug": "anthropic", "name": "Anthropic"}
    assert alliance["deal_count"] == 2
    # "Up to $4B", of which a $1.25B tranche is committed: the rest is further money, never committed.
    assert (alliance["total_usd"], alliance["further_usd"]) == ("1250000000.00", "2750000000.00")
    assert alliance["total_display"] == "$1.25B committed, up to $4B"
    assert alliance["html_url"] == "http://testserver/alliances/amazon--anthropic/"

    detail = api_client.get("/api/v1/alliances/amazon--anthropic/").json()
    assert [deal["slug"] for deal in detail["deals"]] == ["anthropic-aws-compute", "amazon-anthropic-2023"]


def test_alliances_are_read_only(editor, api_data):
    client = token_client(editor)

    assert client.post("/api/v1/alliances/", {}, format="json").status_code == 405
    assert client.patch("/api/v1/alliances/amazon--anthropic/", {}, format="json").status_code == 405


@pytest.mark.parametrize(
    ("method", "url"),
    [("delete", "/api/v1/companies/amazon/?format=csv"), ("trace", "/api/v1/deals/amazon-anthropic-2023/?format=csv")],
)
def test_a_method_an_endpoint_lacks_is_405_for_anyone(api_client, api_data, method, url):
    response = api_client.generic(method.upper(), url)

    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("url", ["/api/v1/sources/0.5/", "/api/v1/sources/abc/", "/api/v1/deals/no.such.deal/"])
def test_a_malformed_key_is_a_json_404(api_client, api_data, url):
    response = api_client.get(url)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_the_api_answers_in_the_language_asked_for(api_client, api_data):
    response = api_client.get("/api/v1/deals/", HTTP_ACCEPT_LANGUAGE="es")

    assert response["Content-Language"] == "es"
    assert "Accept-Language" in response["Vary"]
    # Spanish money: millions with a dot for thousands and the US$ symbol.
    assert "4.000" in response.json()["results"][1]["amount_display"]
    assert "US$" in response.json()["results"][1]["amount_display"]


# Pagination


def _many_deals(count):
    investor, investee = CompanyFactory(), CompanyFactory()
    with saved_as_one_batch():
        for day in range(count):
            make_deal(investor, investee, announced_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=day % 5))


def test_pages_carry_the_total_count_and_links(api_client):
    _many_deals(25)

    first = api_client.get("/api/v1/deals/?page_size=10").json()
    assert first["count"] == 25
    assert len(first["results"]) == 10
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/deals/?page=2&page_size=10"
    last = api_client.get("/api/v1/deals/?page_size=10&page=3").json()
    assert len(last["results"]) == 5
    assert last["next"] is None


def test_the_default_order_is_stable_across_pages(api_client):
    _many_deals(25)

    pages = [_slugs(api_client.get(f"/api/v1/deals/?page_size=7&page={page}")) for page in (1, 2, 3, 4)]
    seen = [slug for page in pages for slug in page]
    assert len(seen) == len(set(seen)) == 25
    assert pages == [_slugs(api_client.get(f"/api/v1/deals/?page_size=7&page={page}")) for page in (1, 2, 3, 4)]


def test_page_size_is_capped_at_100(api_client):
    _many_deals(101)

    response = api_client.get("/api/v1/deals/?page_size=500")
    assert response.json()["count"] == 101
    assert len(response.json()["results"]) == 100


@pytest.mark.parametrize("query", ["page_size=0", "page_size=-3", "page_size=ten", "page=0", "page=first"])
def test_a_bad_page_or_page_size_is_a_400(api_client, query):
    name = query.split("=")[0]

    response = api_client.get(f"/api/v1/deals/?{query}")

    assert response.status_code == 400
    assert response.json() == {name: ["Enter a whole number of at least 1."]}


def test_a_page_past_the_end_is_a_404(api_client, api_data):
    assert api_client.get("/api/v1/deals/?page=9").status_code == 404


def test_empty_parameters_count_as_absent(api_client, api_data):
    response = api_client.get("/api/v1/deals/?page=&page_size=&format=&kind=&announced_after=&has_stake=")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["count"] == 2


# Query counts: a fixed number per request, whatever the page size


def _query_count(client, url):
    caches["default"].clear()  # counted and looked up afresh (deals.lists.counts, deals.lists.filters)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("collection", ["deals", "companies", "alliances", "sources"])
def test_lists_run_the_same_queries_at_page_size_10_and_100(api_client, editor, collection):
    investors = [CompanyFactory() for _ in range(12)]
    investee = CompanyFactory()
    with saved_as_one_batch():
        for investor in investors:
            make_deal(investor, investee)
            make_deal(investee, investor)

    for client in (api_client, token_client(editor)):
        small = _query_count(client, f"/api/v1/{collection}/?page_size=10")
        large = _query_count(client, f"/api/v1/{collection}/?page_size=100")
        assert small == large <= 7  # an editor: also the token and the user


def test_a_deal_detail_runs_a_fixed_number_of_queries(api_client, api_data, django_assert_max_num_queries):
    # The deal, its parties, tranches, warrants and options, citations, related deals both ways; the content version
    # (dealsite.page_cache keys on it).
    with django_assert_max_num_queries(8):
        assert api_client.get("/api/v1/deals/amazon-anthropic-2023/").status_code == 200
