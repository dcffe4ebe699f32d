"""Dollar equivalents follow the deal's currency and rate: the deal's, its parties' and the totals built on them."""

from decimal import Decimal

import pytest

from deals.models import Alliance, CompanyTotals, Deal, DealParty, Role
from tests.api_world import token_client
from tests.factories import CompanyFactory, make_deal, make_user

pytestmark = pytest.mark.django_db

URL = "/api/v1/deals/softbank-openai-eur/"


@pytest.fixture
def euro_deal():
    """SoftBank puts €1B into OpenAI, €600M of it its own, at $1.10 per euro."""
    softbank = CompanyFactory(name="SoftBank", slug="softbank")
    openai = CompanyFactory(name="OpenAI", slug="openai")
    deal = make_deal(
        softbank,
        openai,
        slug="softbank-openai-eur",
        currency="EUR",
        amount=Decimal("1000000000"),
        usd_rate=Decimal("1.1"),
    )
    investor = DealParty.objects.get(deal=deal, role=Role.INVESTOR)
    investor.amount = Decimal("600000000")
    investor.save()
    return deal


@pytest.fixture
def editor_api():
    return token_client(make_user("erin", "Editors"))


def _state(deal):
    deal.refresh_from_db()
    investor = DealParty.objects.get(deal=deal, role=Role.INVESTOR)
    return {
        "deal_usd": deal.amount_usd,
        "share_usd": investor.amount_usd,
        "invested_usd": CompanyTotals.objects.get(company=investor.company).invested_usd,
        "alliance_usd": Alliance.objects.get().total_usd,
    }


def test_the_starting_point(euro_deal):
    assert _state(euro_deal) == {
        "deal_usd": Decimal("1100000000.00"),
        "share_usd": Decimal("660000000.00"),
        "invested_usd": Decimal("660000000.00"),
        "alliance_usd": Decimal("660000000.00"),
    }


def test_a_new_rate_restates_the_deal_its_parties_and_the_totals(euro_deal, editor_api):
    response = editor_api.patch(URL, {"usd_rate": "1.2"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["amount_usd"] == "1200000000.00"
    assert {p["role"]: p["amount_usd"] for p in response.json()["parties"]}["investor"] == "720000000.00"
    assert _state(euro_deal) == {
        "deal_usd": Decimal("1200000000.00"),
        "share_usd": Decimal("720000000.00"),
        "invested_usd": Decimal("720000000.00"),
        "alliance_usd": Decimal("720000000.00"),
    }


def test_switching_the_currency_to_dollars_makes_the_amounts_dollars(euro_deal, editor_api):
    response = editor_api.patch(URL, {"currency": "USD", "usd_rate": None}, format="json")

    assert response.status_code == 200, response.content
    assert _state(euro_deal)["deal_usd"] == Decimal("1000000000.00")
    assert _state(euro_deal)["share_usd"] == Decimal("600000000.00")


def test_a_dollar_figure_the_editor_typed_is_kept_when_the_rate_changes(euro_deal, editor_api):
    typed = editor_api.patch(URL, {"amount_usd": "1150000000"}, format="json")
    assert typed.status_code == 200, typed.content

    response = editor_api.patch(URL, {"usd_rate": "1.2"}, format="json")

    assert response.status_code == 200, response.content
    assert _state(euro_deal)["deal_usd"] == Decimal("1150000000.00")
    assert _state(euro_deal)["share_usd"] == Decimal("720000000.00")


def test_a_change_that_leaves_the_rate_alone_changes_no_dollar_figure(euro_deal, editor_api):
    before = _state(euro_deal)

    response = editor_api.patch(URL, {"summary": "A European venture."}, format="json")

    assert response.status_code == 200, response.content
    assert _state(euro_deal) == before
    assert Deal.objects.get(pk=euro_deal.pk).summary == "A European venture."
