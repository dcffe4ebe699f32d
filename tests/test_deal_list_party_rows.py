"""The deal lists reuse one query of party rows and one set of labels per language: each request still shows its
own deals' parties, in its own language, with amounts as DealRowSerializer writes them."""

from decimal import Decimal

import pytest
from django.utils.http import http_date

from deals.core.choices import DealKind, DealStatus, Role
from deals.models import DealParty
from tests.factories import CompanyFactory, make_deal

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_deals(db):
    alpha, beta = CompanyFactory(name="Alpha", slug="alpha"), CompanyFactory(name="Beta", slug="beta")
    gamma, delta = CompanyFactory(name="Gamma", slug="gamma"), CompanyFactory(name="Delta", slug="delta")
    first = make_deal(
        alpha,
        beta,
        slug="first",
        kind=DealKind.EQUITY,
        status=DealStatus.ANNOUNCED,
        amount=Decimal("1234567.8"),
        stake_percent=Decimal("12.5"),
    )
    DealParty.objects.filter(deal=first, company=alpha).update(amount=Decimal("5"), amount_usd=Decimal("5"))
    make_deal(gamma, delta, slug="second", kind=DealKind.EQUITY, status=DealStatus.ANNOUNCED)


def _parties(api_client, query, language="en"):
    response = api_client.get(f"/api/v1/deals/?{query}", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return {
        row["slug"]: [(p["company"], p["role_display"]) for p in row["parties"]] for row in response.json()["results"]
    }


def test_each_request_lists_the_parties_of_its_own_deals(api_client, client, two_deals):
    # Parties come in the order of their roles' values: investee before investor.
    assert _parties(api_client, "company=alpha") == {"first": [("beta", "Investee"), ("alpha", "Investor")]}
    assert _parties(api_client, "company=gamma") == {"second": [("delta", "Investee"), ("gamma", "Investor")]}

    # The rows only: the facets beside them name every company in the list's other filters.
    first_rows = _rows(client.get("/deals/?company=alpha").content.decode())
    second_rows = _rows(client.get("/deals/?company=gamma").content.decode())
    assert '/companies/beta/">Beta</a>' in first_rows and "Gamma" not in first_rows
    assert '/companies/delta/">Delta</a>' in second_rows and "Beta" not in second_rows


def _rows(page: str) -> str:
    return page[page.index("<tbody>") : page.index("</tbody>")]


def test_labels_follow_each_requests_language(api_client, two_deals):
    for language, labels in [
        ("es", ["Inversión en capital", "Anunciado", "Receptor de la inversión", "Inversor"]),
        ("en", ["Equity investment", "Announced", "Investee", "Investor"]),
        ("es", ["Inversión en capital", "Anunciado", "Receptor de la inversión", "Inversor"]),
    ]:
        response = api_client.get("/api/v1/deals/?company=alpha", HTTP_ACCEPT_LANGUAGE=language)
        [row] = response.json()["results"]
        roles = [party["role_display"] for party in row["parties"]]
        assert [row["kind_display"], row["status_display"], *roles] == labels


def test_amounts_are_written_with_their_fields_places(api_client, two_deals):
    [row] = api_client.get("/api/v1/deals/?company=alpha").json()["results"]

    assert (row["amount"], row["stake_percent"]) == ("1234567.80", "12.500")
    assert [(p["amount"], p["amount_usd"]) for p in row["parties"]] == [(None, None), ("5.00", "5.00")]


def test_last_modified_is_that_of_the_latest_party_company(api_client, two_deals):
    beta = DealParty.objects.get(deal__slug="first", role=Role.INVESTEE).company
    beta.save()  # saved after everything else on the page

    response = api_client.get("/api/v1/deals/?company=alpha")
    assert response["Last-Modified"] == http_date(int(beta.updated_at.timestamp()))
