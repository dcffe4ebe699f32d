"""Stored company totals follow every change to deals and parties, and always equal a fresh computation."""

from decimal import Decimal

import pytest

from deals.figures.figures_check import differences
from deals.models import CompanyTotals, DealParty, Publication, Role
from tests.factories import CompanyFactory, PartyFactory, make_deal

pytestmark = pytest.mark.django_db


@pytest.fixture
def amazon():
    return CompanyFactory(name="Amazon", slug="amazon")


@pytest.fixture
def anthropic():
    return CompanyFactory(name="Anthropic", slug="anthropic")


COMPANY_TOTALS = ("invested_usd", "received_usd", "provided_usd", "bought_usd", "deal_count")


def stored(company) -> dict:
    return CompanyTotals.objects.filter(company=company).values(*COMPANY_TOTALS).get()


def assert_in_step(*companies):
    """Every stored figure equals what a rebuild from the deals gives (manage.py check_figures)."""
    assert [str(d) for d in differences()] == []


def test_a_new_company_has_empty_totals(amazon):
    assert stored(amazon) == {
        "invested_usd": None,
        "received_usd": None,
        "provided_usd": None,
        "bought_usd": None,
        "deal_count": 0,
    }


def test_created_edited_unpublished_and_deleted(amazon, anthropic):
    first = make_deal(amazon, anthropic, amount=Decimal("4000000000"))
    second = make_deal(amazon, anthropic, amount=Decimal("2750000000"))
    assert stored(amazon)["invested_usd"] == Decimal("6750000000")
    assert stored(anthropic)["received_usd"] == Decimal("6750000000")
    assert stored(anthropic)["deal_count"] == 2

    second.amount = Decimal("4000000000")
    second.save()
    assert stored(amazon)["invested_usd"] == Decimal("8000000000")

    second.publication = Publication.DRAFT
    second.save()
    assert (stored(amazon)["invested_usd"], stored(amazon)["deal_count"]) == (Decimal("4000000000"), 1)

    first.delete()
    assert (stored(amazon)["invested_usd"], stored(amazon)["deal_count"]) == (None, 0)
    assert_in_step(amazon, anthropic)


def test_talks_count_as_deals_but_not_money(amazon, anthropic):
    deal = make_deal(amazon, anthropic, amount=Decimal("10"))
    deal.status = "in_talks"
    deal.save()

    assert (stored(amazon)["invested_usd"], stored(amazon)["deal_count"]) == (None, 1)


def test_a_second_investor_without_share_takes_the_whole_amount_from_the_first(amazon, anthropic):
    deal = make_deal(amazon, anthropic, amount=Decimal("100"))
    assert stored(amazon)["invested_usd"] == Decimal("100")

    google = CompanyFactory(name="Google", slug="google")
    PartyFactory(deal=deal, company=google, role=Role.INVESTOR)

    assert stored(amazon)["invested_usd"] is None, "a joint amount is credited to neither investor"
    assert stored(google)["deal_count"] == 1
    assert_in_step(amazon, anthropic, google)


def test_a_party_moved_to_another_company_moves_its_totals(amazon, anthropic):
    deal = make_deal(amazon, anthropic, amount=Decimal("7"))
    nvidia = CompanyFactory(name="Nvidia", slug="nvidia")

    party = DealParty.objects.get(deal=deal, company=amazon)
    party.company = nvidia
    party.save()

    assert (stored(amazon)["invested_usd"], stored(amazon)["deal_count"]) == (None, 0)
    assert (stored(nvidia)["invested_usd"], stored(nvidia)["deal_count"]) == (Decimal("7"), 1)


def test_removing_a_party_and_stated_shares(amazon, anthropic):
    openai = CompanyFactory(name="OpenAI", slug="openai")
    nvidia = CompanyFactory(name="Nvidia", slug="nvidia")
    deal = make_deal(amazon, openai, amount=Decimal("110"))
    PartyFactory(deal=deal, company=nvidia, role=Role.INVESTOR, amount=Decimal("30"))
    amazon_party = DealParty.objects.get(deal=deal, company=amazon)
    amazon_party.amount = Decimal("50")
    amazon_party.save()
    assert (stored(amazon)["invested_usd"], stored(nvidia)["invested_usd"]) == (Decimal("50"), Decimal("30"))

    DealParty.objects.get(deal=deal, company=nvidia).delete()

    assert stored(nvidia)["deal_count"] == 0
    assert stored(amazon)["invested_usd"] == Decimal("50")
    assert_in_step(amazon, openai, nvidia, anthropic)
