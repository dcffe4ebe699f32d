"""The public pages' filters, through the API: each one narrows the list, each kind of bad value is a 400."""

import datetime
from decimal import Decimal

import pytest

from deals.core.choices import CompanyKind, DealKind, DealStatus
from deals.models import Role
from tests.factories import CompanyFactory, PartyFactory, make_deal
from tests.shared_data import shared_fixture

pytestmark = pytest.mark.django_db


@shared_fixture
def api_filters_market():
    """Amazon and Google back Anthropic, which uses AWS; OpenAI buys Microsoft's cloud and Nvidia's chips."""
    c = {
        slug: CompanyFactory(name=name, slug=slug, kind=kind, country=country)
        for slug, name, kind, country in [
            ("amazon", "Amazon", CompanyKind.BIG_TECH, "US"),
            ("google", "Google", CompanyKind.BIG_TECH, "US"),
            ("anthropic", "Anthropic", CompanyKind.AI_LAB, "US"),
            ("openai", "OpenAI", CompanyKind.AI_LAB, "US"),
            ("microsoft", "Microsoft", CompanyKind.BIG_TECH, "US"),
            ("nvidia", "Nvidia", CompanyKind.CHIPMAKER, "US"),
            ("mistral", "Mistral AI", CompanyKind.AI_LAB, "FR"),
        ]
    }
    c["aws"] = CompanyFactory(name="Amazon Web Services", slug="aws", kind=CompanyKind.CLOUD, parent=c["amazon"])
    make_deal(
        c["amazon"],
        c["anthropic"],
        title="Amazon invests in Anthropic",
        slug="amazon-anthropic",
        amount=Decimal("4000000000"),
        stake_percent=Decimal("10"),
        announced_on=datetime.date(2023, 9, 25),
    )
    make_deal(
        c["google"],
        c["anthropic"],
        title="Google invests in Anthropic",
        slug="google-anthropic",
        amount=Decimal("2000000000"),
        announced_on=datetime.date(2023, 10, 27),
        status=DealStatus.COMPLETED,
    )
    _trade(c["openai"], c["microsoft"], "openai-azure", DealKind.CLOUD_COMPUTE, Decimal("250000000000"), 2025)
    _trade(c["openai"], c["nvidia"], "nvidia-chips", DealKind.CHIP_SUPPLY, None, 2025, currency="EUR")
    _trade(c["anthropic"], c["aws"], "anthropic-aws", DealKind.CLOUD_COMPUTE, None, 2024)
    make_deal(c["mistral"], c["google"], published=False, title="A draft", slug="draft")
    return c


@pytest.fixture
def market(api_filters_market):
    return api_filters_market


def _trade(customer, provider, slug, kind, amount, year, **fields):
    deal = make_deal(
        customer, provider, slug=slug, title=slug, kind=kind, amount=amount, announced_on=datetime.date(year, 1, 1)
    )
    deal.parties.all().delete()
    PartyFactory(deal=deal, company=customer, role=Role.CUSTOMER)
    PartyFactory(deal=deal, company=provider, role=Role.PROVIDER)
    for name, value in fields.items():
        setattr(deal, name, value)
    deal.save()


def _slugs(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return {row["slug"] for row in response.json()["results"]}


@pytest.mark.parametrize(
    "query, expected",
    [
        ("q=google", {"google-anthropic"}),
        ("q=Anthropic", {"amazon-anthropic", "google-anthropic", "anthropic-aws"}),
        ("kind=chip_supply", {"nvidia-chips"}),
        ("status=completed", {"google-anthropic"}),
        ("company=anthropic", {"amazon-anthropic", "google-anthropic", "anthropic-aws"}),
        ("investor=amazon", {"amazon-anthropic"}),
        ("investee=anthropic", {"amazon-anthropic", "google-anthropic"}),
        ("provider=nvidia", {"nvidia-chips"}),
        ("customer=openai", {"openai-azure", "nvidia-chips"}),
        ("announced_after=2023-10-01", {"google-anthropic", "openai-azure", "nvidia-chips", "anthropic-aws"}),
        ("announced_before=2023-10-01", {"amazon-anthropic"}),
        ("announced_after=2023-09-01&announced_before=2023-12-31", {"amazon-anthropic", "google-anthropic"}),
        ("min_usd=3000000000", {"amazon-anthropic", "openai-azure"}),
        ("max_usd=3000000000", {"google-anthropic"}),
        ("currency=eur", {"nvidia-chips"}),
        ("has_stake=true", {"amazon-anthropic"}),
        ("has_stake=false", {"google-anthropic", "openai-azure", "nvidia-chips", "anthropic-aws"}),
    ],
)
def test_every_deal_filter(api_client, market, query, expected):
    assert _slugs(api_client, f"/api/v1/deals/?{query}") == expected


def test_deals_sort_by_amount_with_empty_amounts_last(api_client, market):
    for ordering in ("usd", "-usd"):
        rows = api_client.get(f"/api/v1/deals/?ordering={ordering}").json()["results"]
        assert {row["slug"] for row in rows[-2:]} == {"nvidia-chips", "anthropic-aws"}
    ascending = [row["slug"] for row in api_client.get("/api/v1/deals/?ordering=usd").json()["results"]]
    assert ascending[:3] == ["google-anthropic", "amazon-anthropic", "openai-azure"]
    oldest = api_client.get("/api/v1/deals/?ordering=announced").json()["results"][0]
    assert oldest["slug"] == "amazon-anthropic"


@pytest.mark.parametrize(
    "query, expected",
    [
        ("q=amaz", {"amazon", "aws"}),
        ("kind=chipmaker", {"nvidia"}),
        ("country=us", {"amazon", "aws", "google", "anthropic", "openai", "microsoft", "nvidia"}),
        ("parent=amazon", {"aws"}),
        ("role=investor", {"amazon", "google"}),
        ("role=investee", {"anthropic"}),
        ("role=provider", {"microsoft", "nvidia", "aws"}),
        ("role=customer", {"openai", "anthropic"}),
    ],
)
def test_every_company_filter(api_client, market, query, expected):
    assert _slugs(api_client, f"/api/v1/companies/?{query}") == expected


def test_companies_sort_by_money_invested(api_client, market):
    rows = api_client.get("/api/v1/companies/?ordering=-invested").json()["results"]

    assert [row["slug"] for row in rows[:2]] == ["amazon", "google"]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("q=nvid", {"nvidia--openai"}),
        ("company=anthropic", {"amazon--anthropic", "anthropic--google"}),
        ("kind=cloud_compute", {"microsoft--openai", "amazon--anthropic"}),
        ("year_from=2025", {"microsoft--openai", "nvidia--openai"}),
        ("year_to=2023", {"amazon--anthropic", "anthropic--google"}),
    ],
)
def test_every_alliance_filter(api_client, market, query, expected):
    assert _slugs(api_client, f"/api/v1/alliances/?{query}") == expected


def test_alliances_sort_by_total(api_client, market):
    rows = api_client.get("/api/v1/alliances/?ordering=total").json()["results"]

    assert [row["slug"] for row in rows][:2] == ["nvidia--openai", "anthropic--google"]


@pytest.mark.parametrize(
    "url, field, reason",
    [
        ("/api/v1/deals/?kind=lottery", "kind", "Select a valid choice"),
        ("/api/v1/deals/?status=maybe", "status", "Select a valid choice"),
        ("/api/v1/deals/?announced_after=2023-13-45", "announced_after", "Enter a valid date"),
        ("/api/v1/deals/?min_usd=lots", "min_usd", "Enter a number"),
        ("/api/v1/deals/?max_usd=-5", "max_usd", "greater than or equal to 0"),
        ("/api/v1/deals/?min_usd=1.001", "min_usd", "decimal places"),
        ("/api/v1/deals/?company=nobody", "company", "No company with this slug: nobody."),
        ("/api/v1/deals/?investor=mistral", "investor", "No company with this slug: mistral."),
        ("/api/v1/deals/?currency=dollars", "currency", "three-letter"),
        ("/api/v1/deals/?has_stake=perhaps", "has_stake", "Enter true or false."),
        ("/api/v1/deals/?ordering=price", "ordering", "Select a valid choice"),
        ("/api/v1/deals/?q=" + "x" * 201, "q", "at most 200 characters"),
        ("/api/v1/companies/?kind=bank", "kind", "Select a valid choice"),
        ("/api/v1/companies/?country=USA", "country", "two-letter"),
        ("/api/v1/companies/?role=lender", "role", "Select a valid choice"),
        ("/api/v1/companies/?parent=unknown", "parent", "No company with this slug"),
        ("/api/v1/alliances/?year_from=99999", "year_from", "less than or equal to 2200"),
        ("/api/v1/alliances/?year_to=soon", "year_to", "Enter a number"),
        ("/api/v1/alliances/?company=nobody", "company", "No company with this slug"),
        ("/api/v1/deals/?format=xml", "format", "Unknown format"),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_the_field_and_the_reason(api_client, market, url, field, reason):
    response = api_client.get(url)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    errors = response.json()
    assert list(errors) == [field]
    assert reason in " ".join(errors[field])


def test_every_bad_value_at_once_is_reported_at_once(api_client, market):
    response = api_client.get("/api/v1/deals/?kind=x&status=y&announced_before=never")

    assert response.status_code == 400
    assert set(response.json()) == {"kind", "status", "announced_before"}
