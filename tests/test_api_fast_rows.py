"""The deals list builds its rows from plain values (deals.api.deal_rows): DealRowSerializer's, byte for byte."""

import datetime
from decimal import Decimal

import pytest
from django.test import RequestFactory
from django.utils import translation
from django.utils.http import http_date
from rest_framework.renderers import JSONRenderer

from deals.api.renderers import CSVRenderer
from deals.api.serializers import DealRowSerializer
from deals.api.views import NEWEST_FIRST
from deals.core.choices import DatePrecision, DealKind, DealStatus, Publication, Qualifier, Role
from deals.models import Company, Deal, DealParty
from tests.api_world import token_client
from tests.factories import CompanyFactory, DealFactory, PartyFactory, make_deal

pytestmark = pytest.mark.django_db


@pytest.fixture
def varied_deals(db):
    """Deals of every shape a row can take: currencies, missing figures, partial dates, drafts, party counts."""
    alpha = CompanyFactory(name='Ålpha "AI" <Labs>', slug="alpha")
    beta = CompanyFactory(name="Beta & Co", slug="Beta_Co")
    others = [CompanyFactory(name=f"Other {n}") for n in range(6)]
    shapes = [
        {"currency": "EUR", "usd_rate": Decimal("1.085"), "amount": Decimal("2500000000")},
        {"currency": "JPY", "usd_rate": Decimal("0.0067"), "amount": Decimal("15e9"), "amount_qualifier": "about"},
        {"currency": "GBP", "usd_rate": None, "amount": Decimal("750000"), "amount_qualifier": Qualifier.AT_LEAST},
        {"currency": "CHF", "usd_rate": Decimal("1.1"), "amount": Decimal("1234567.89")},
        {"amount": None, "announced_on": None, "status": DealStatus.REPORTED, "kind": DealKind.CLOUD_COMPUTE},
        {"amount": Decimal("4000000000"), "amount_qualifier": Qualifier.UP_TO, "stake_percent": Decimal("15")},
        {"announced_on": datetime.date(2022, 7, 1), "announced_precision": DatePrecision.MONTH},
        {"announced_on": datetime.date(2021, 1, 1), "announced_precision": DatePrecision.YEAR, "amount": Decimal("0")},
        {"stake_percent": Decimal("0.125"), "status": DealStatus.CANCELLED, "kind": DealKind.ACQUISITION},
    ]
    for number, shape in enumerate(shapes):
        make_deal(alpha, beta, title=f"Shape {number}", slug=f"shape-{number}", **shape)
    make_deal(beta, alpha, published=False, title="A draft", slug="a-draft", status=DealStatus.IN_TALKS)

    no_parties = DealFactory(title="Nobody yet", slug="nobody-yet", announced_on=datetime.date(2020, 5, 5))
    Deal.objects.filter(pk=no_parties.pk).update(publication=Publication.PUBLISHED)

    crowded = make_deal(alpha, beta, title="A crowded round", slug="crowded", amount=Decimal("900000000"))
    roles = [Role.LEAD_INVESTOR, Role.INVESTOR, Role.INVESTOR, Role.PROVIDER, Role.CUSTOMER, Role.PARTNER]
    for company, role in zip(others, roles, strict=True):
        PartyFactory(deal=crowded, company=company, role=role, amount=Decimal("100000000.5"))
    DealParty.objects.filter(deal=crowded, company=alpha).update(amount=Decimal("300000000"))


def _expected_rows(slugs, language, host="testserver"):
    """DealRowSerializer over model instances, as the list served them before deal_rows."""
    deals = Deal.objects.filter(slug__in=slugs).with_parties().with_citation_count().order_by(*NEWEST_FIRST)
    request = RequestFactory().get("/api/v1/deals/", HTTP_HOST=host)
    with translation.override(language):
        return DealRowSerializer(deals, many=True, context={"request": request}).data


def _served(client, language, query=""):
    response = client.get(f"/api/v1/deals/?page_size=100{query}", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("language", ["en", "es"])
def test_public_rows_are_the_serializers(api_client, varied_deals, language):
    response = _served(api_client, language)
    slugs = [row["slug"] for row in response.data["results"]]

    assert "a-draft" not in slugs and {"nobody-yet", "crowded", "shape-4"} <= set(slugs)
    expected = _expected_rows(slugs, language)
    assert JSONRenderer().render(response.data["results"]) == JSONRenderer().render(expected)


@pytest.mark.parametrize("language", ["en", "es"])
def test_staff_rows_with_drafts_are_the_serializers(editor, varied_deals, language):
    response = _served(token_client(editor), language)
    rows = {row["slug"]: row for row in response.data["results"]}

    assert rows["a-draft"]["html_url"] is None and rows["a-draft"]["publication"] == "draft"
    expected = _expected_rows(list(rows), language)
    assert JSONRenderer().render(response.data["results"]) == JSONRenderer().render(expected)


def test_filtered_pages_keep_the_serializers_rows_and_order(api_client, varied_deals):
    response = _served(api_client, "en", "&company=alpha&page_size=3&page=2")
    slugs = [row["slug"] for row in response.data["results"]]

    assert len(slugs) == 3
    assert JSONRenderer().render(response.data["results"]) == JSONRenderer().render(_expected_rows(slugs, "en"))


def test_the_csv_of_a_page_is_the_serializers(api_client, varied_deals):
    response = api_client.get("/api/v1/deals/?page_size=100&format=csv", HTTP_ACCEPT_LANGUAGE="es")
    slugs = [row["slug"] for row in _served(api_client, "es").data["results"]]

    class View:
        def get_serializer(self):
            return DealRowSerializer()

    with translation.override("es"):
        expected = CSVRenderer().render(_expected_rows(slugs, "es"), renderer_context={"view": View()})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content == expected


def test_rows_link_to_the_host_asked(api_client, varied_deals):
    row = api_client.get("/api/v1/deals/?page_size=1", HTTP_HOST="localhost").data["results"][0]

    assert row["api_url"].startswith("http://localhost/api/v1/deals/")
    assert row["html_url"].startswith("http://localhost/deals/")


def test_last_modified_is_the_latest_deal_or_party_company_shown(api_client, varied_deals):
    response = _served(api_client, "en")
    deals = Deal.objects.filter(slug__in=[row["slug"] for row in response.data["results"]])
    times = [deal.updated_at for deal in deals]
    times += [party.company.updated_at for deal in deals for party in deal.parties.select_related("company")]

    assert response["Last-Modified"] == http_date(int(max(times).timestamp()))
    again = api_client.get("/api/v1/deals/?page_size=100", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_last_modified_follows_a_party_company_changed_after_its_deals(api_client, varied_deals):
    # Just short of a second past: Last-Modified shows whole seconds, rounded down, on both databases.
    later = datetime.datetime(2031, 3, 4, 5, 6, 7, 999999, tzinfo=datetime.UTC)
    Company.objects.filter(slug="Beta_Co").update(updated_at=later)

    response = _served(api_client, "en")

    assert response["Last-Modified"] == "Tue, 04 Mar 2031 05:06:07 GMT"


def test_a_detail_ignores_the_lists_filters(api_client, varied_deals):
    # The filters choose rows of a list; an object asked for by its key is found whatever they say.
    assert api_client.get("/api/v1/companies/alpha/?kind=no-such-kind").status_code == 200
    assert api_client.get("/api/v1/deals/crowded/?company=no-such-company").status_code == 200


def test_serializer_fields_are_fresh_for_each_request(api_client, varied_deals):
    # Fields are built once per serializer class and copied: a copy must not keep another request's host.
    first = api_client.get("/api/v1/companies/alpha/", HTTP_HOST="localhost").json()
    second = api_client.get("/api/v1/companies/alpha/").json()

    assert first["api_url"] == "http://localhost/api/v1/companies/alpha/"
    assert second["api_url"] == "http://testserver/api/v1/companies/alpha/"
