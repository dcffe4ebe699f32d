"""Who pays whom: the money flows derived from each published deal's parties."""

from decimal import Decimal

import pytest

from deals.core.choices import CompanyKind, DealKind
from deals.figures.flows import flows
from deals.models import Company, Deal, Role
from tests.money_world import BILLION, CANCELLED, IN_TALKS, buys, company, deal, invests

pytestmark = pytest.mark.django_db


def by_names(found):
    slugs = dict(Company.objects.values_list("pk", "slug"))
    return sorted((slugs[flow.payer_id], slugs[flow.payee_id], flow.amount_usd) for flow in found)


def test_each_paying_role_pays_its_counterpart_and_partners_pay_nobody():
    lab, cloud, buyer, target, friend = (company(s) for s in ("lab", "cloud", "buyer", "target", "friend"))
    invests(cloud, lab, 4)
    buys(lab, cloud, 1)
    deal([(buyer, Role.ACQUIRER), (target, Role.TARGET)], amount=Decimal(2) * BILLION, kind=DealKind.ACQUISITION)
    deal([(lab, Role.PARTNER), (friend, Role.PARTNER)], kind=DealKind.PARTNERSHIP)

    assert by_names(flows()) == [
        ("buyer", "target", 2 * BILLION),
        ("cloud", "lab", 4 * BILLION),
        ("lab", "cloud", 1 * BILLION),
    ]


def test_a_stated_share_is_the_payers_amount_and_co_investors_without_one_are_unknown():
    amazon, nvidia, softbank, openai = (company(s) for s in ("amazon", "nvidia", "softbank", "openai"))
    deal(
        [
            (amazon, Role.INVESTOR, 50 * BILLION),
            (nvidia, Role.INVESTOR),
            (softbank, Role.INVESTOR),
            (openai, Role.INVESTEE),
        ],
        amount=110 * BILLION,
        kind=DealKind.FUNDING_ROUND,
    )

    assert by_names(flows()) == [
        ("amazon", "openai", 50 * BILLION),
        ("nvidia", "openai", None),
        ("softbank", "openai", None),
    ]


def test_a_joint_round_without_shares_credits_no_investor_with_the_whole_round():
    microsoft, nvidia, inflection = company("microsoft"), company("nvidia"), company("inflection")
    deal(
        [(microsoft, Role.INVESTOR), (nvidia, Role.LEAD_INVESTOR), (inflection, Role.INVESTEE)],
        amount=Decimal("1.3") * BILLION,
        kind=DealKind.FUNDING_ROUND,
    )

    assert by_names(flows()) == [("microsoft", "inflection", None), ("nvidia", "inflection", None)]


def test_a_share_in_another_currency_is_counted_in_us_dollars():
    fund, lab = company("fund"), company("lab")
    deal(
        [(fund, Role.INVESTOR, Decimal(1_000_000)), (lab, Role.INVESTEE)],
        amount=Decimal(3_000_000),
        currency="EUR",
        usd_rate=Decimal("1.10"),
    )

    assert by_names(flows()) == [("fund", "lab", Decimal("1100000.00"))]


def test_drafts_and_cancelled_deals_make_no_flow_and_talks_are_not_committed():
    a, b = company("a"), company("b")
    invests(a, b, 1, published=False)
    invests(a, b, 2, **CANCELLED)
    invests(a, b, 3, **IN_TALKS)

    (flow,) = flows()
    assert flow.amount_usd == 3 * BILLION
    assert flow.committed is False
    assert flow.counted_usd is None


def test_subsidiaries_fold_into_their_parent_unless_kept_apart():
    amazon = company("amazon", CompanyKind.BIG_TECH)
    aws = company("aws", CompanyKind.CLOUD, parent=amazon)
    anthropic = company("anthropic", CompanyKind.AI_LAB)
    buys(anthropic, aws, 1)
    buys(amazon, aws, 5)

    assert by_names(flows()) == [("anthropic", "amazon", BILLION)]
    assert by_names(flows(fold=False)) == [("amazon", "aws", 5 * BILLION), ("anthropic", "aws", BILLION)]


def test_two_units_of_one_group_in_one_deal_make_one_flow_of_their_stated_shares():
    google = company("google", CompanyKind.BIG_TECH)
    google_cloud = company("google-cloud", CompanyKind.CLOUD, parent=google)
    lab = company("lab", CompanyKind.AI_LAB)
    deal(
        [(google, Role.INVESTOR, 2 * BILLION), (google_cloud, Role.INVESTOR, BILLION), (lab, Role.INVESTEE)],
        amount=3 * BILLION,
    )

    assert by_names(flows()) == [("google", "lab", 3 * BILLION)]


def test_flows_of_some_deals_only(django_assert_num_queries):
    a, b, c = company("a"), company("b"), company("c")
    wanted = invests(a, b, 1)
    invests(b, c, 2)

    with django_assert_num_queries(1):
        found = flows(Deal.objects.filter(pk=wanted.pk), fold=False)
    assert [(flow.deal_id, flow.amount_usd) for flow in found] == [(wanted.pk, BILLION)]


@pytest.mark.parametrize("deal_count", [3, 30])
def test_the_number_of_queries_does_not_grow_with_the_deals(deal_count, django_assert_num_queries):
    lab = company("lab")
    for number in range(deal_count):
        invests(company(f"fund-{number}"), lab, 1)

    # One query: the rows hold their groups.
    with django_assert_num_queries(1):
        assert len(flows()) == deal_count
