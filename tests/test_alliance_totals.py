"""Alliance rows and totals follow every change to deals and parties."""

from decimal import Decimal

import pytest

from deals.models import Alliance, DealParty, Publication
from tests.factories import CompanyFactory, make_deal

pytestmark = pytest.mark.django_db


@pytest.fixture
def amazon():
    return CompanyFactory(name="Amazon", slug="amazon")


@pytest.fixture
def anthropic():
    return CompanyFactory(name="Anthropic", slug="anthropic")


def alliance(slug="amazon--anthropic"):
    return Alliance.objects.filter(slug=slug).first()


def test_created_edited_unpublished_and_deleted(amazon, anthropic):
    first = make_deal(amazon, anthropic, amount=Decimal("4000000000"))
    second = make_deal(amazon, anthropic, amount=Decimal("2750000000"))
    assert (alliance().deal_count, alliance().total_usd) == (2, Decimal("6750000000"))
    assert alliance().company_a == amazon, "the pair is stored in slug order"

    second.amount = Decimal("4000000000")
    second.save()
    assert alliance().total_usd == Decimal("8000000000")

    second.publication = Publication.DRAFT
    second.save()
    assert (alliance().deal_count, alliance().total_usd) == (1, Decimal("4000000000"))

    first.delete()
    assert alliance() is None


def test_talks_count_as_deals_but_not_money(amazon, anthropic):
    make_deal(amazon, anthropic, amount=Decimal("10"), status="in_talks")
    make_deal(amazon, anthropic, amount=Decimal("5"))

    assert (alliance().deal_count, alliance().total_usd) == (2, Decimal("5"))


def test_removing_a_party_removes_the_pair(amazon, anthropic):
    google = CompanyFactory(name="Google", slug="google")
    deal = make_deal(amazon, anthropic)
    DealParty.objects.create(deal=deal, company=google, role="investor")
    assert alliance("anthropic--google") is not None

    DealParty.objects.get(deal=deal, company=google).delete()
    assert alliance("anthropic--google") is None
    assert alliance() is not None


def test_a_subsidiary_joins_its_parent_and_leaves_it(amazon, anthropic):
    aws = CompanyFactory(name="AWS", slug="aws", parent=amazon)
    make_deal(aws, anthropic, amount=Decimal("7"))
    assert alliance().total_usd == Decimal("7")

    aws.parent = None
    aws.save()
    assert alliance() is None
    assert alliance("anthropic--aws").total_usd == Decimal("7")


def test_shares_go_to_their_investor_and_joint_amounts_to_nobody(amazon):
    openai, nvidia = CompanyFactory(name="OpenAI", slug="openai"), CompanyFactory(name="Nvidia", slug="nvidia")
    deal = make_deal(amazon, openai, amount=Decimal("110"))
    DealParty.objects.filter(deal=deal, company=amazon).update(amount=Decimal("50"))
    DealParty.objects.get(deal=deal, company=amazon).save()
    DealParty.objects.create(deal=deal, company=nvidia, role="investor")

    assert alliance("amazon--openai").total_usd == Decimal("50")
    assert alliance("nvidia--openai").total_usd == Decimal("0")
    assert alliance("amazon--nvidia") is None
