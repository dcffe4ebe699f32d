"""Totals keep the certainty of their money and count each dollar once, on the pages, in the API and in the CSVs.

Each test builds the shape of a real deal that the site used to overstate, then reads the figure a visitor, an
API client and a spreadsheet user would see.
"""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command

from deals.core.choices import CompanyKind, DealKind, RelationKind
from deals.models import Commitment, DealRelation, Qualifier, Role
from tests.factories import TrancheFactory
from tests.money_world import BILLION, buys, company, deal, invests

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def figure(page: str, label: str) -> str:
    """The value shown beside a label of a page's figures."""
    return re.search(rf"{re.escape(label)} (.+?) (?:Invested|Received|Sold|Bought|First deal|Partners)", page).group(1)


@pytest.fixture
def amazon():
    return company("amazon", CompanyKind.BIG_TECH, name="Amazon")


@pytest.fixture
def aws(amazon):
    return company("aws", CompanyKind.CLOUD, name="AWS", parent=amazon)


@pytest.fixture
def lab():
    return company("lab", CompanyKind.AI_LAB, name="Lab")


def test_up_to_money_is_never_shown_or_summed_as_committed(client, amazon, lab):
    invests(amazon, lab, 4, amount_qualifier=Qualifier.UP_TO)
    invests(amazon, lab, 1)

    page = text(client.get("/alliances/amazon--lab/"))
    assert "$1B committed, up to $5B" in page
    assert "Money both ways (US$) $1B committed, up to $5B" in page

    api = client.get("/api/v1/alliances/amazon--lab/").json()
    assert (api["total_usd"], api["further_usd"], api["up_to_usd"]) == (
        "1000000000.00",
        "4000000000.00",
        "5000000000.00",
    )
    assert api["total_display"] == "$1B committed, up to $5B"

    (row,) = csv_rows(client.get("/alliances/export.csv"))
    assert (row["committed_usd"], row["further_usd"]) == ("1000000000.00", "4000000000.00")

    company_page = text(client.get("/companies/amazon/"))
    assert "Invested $1B committed, up to $5B" in company_page
    (amazon_row,) = [r for r in csv_rows(client.get("/companies/export.csv")) if r["slug"] == "amazon"]
    assert (amazon_row["invested_usd"], amazon_row["invested_further_usd"]) == ("1000000000.00", "4000000000.00")

    home = text(client.get("/"))
    assert "Committed money (US$) $1B" in home
    assert "Further, up to or conditional (US$) $4B" in home


def test_a_conditional_tranche_is_further_money(client, amazon, lab):
    round_ = deal(
        [(amazon, Role.INVESTOR, 50 * BILLION), (lab, Role.INVESTEE)], amount=50 * BILLION, kind=DealKind.EQUITY
    )
    TrancheFactory(deal=round_, position=1, label="initial", amount=15 * BILLION, company=amazon)
    TrancheFactory(
        deal=round_,
        position=2,
        label="on conditions",
        amount=35 * BILLION,
        company=amazon,
        commitment=Commitment.CONDITIONAL,
        condition="Subject to certain conditions",
    )

    assert "$15B committed, up to $50B" in text(client.get("/alliances/amazon--lab/"))
    api = client.get("/api/v1/alliances/amazon--lab/").json()
    assert (api["total_usd"], api["further_usd"]) == ("15000000000.00", "35000000000.00")


def test_a_non_binding_letter_of_intent_commits_nothing(client, amazon, lab):
    invests(amazon, lab, 100, commitment=Commitment.NON_BINDING)

    assert "Money both ways (US$) up to $100B" in text(client.get("/alliances/amazon--lab/"))
    assert client.get("/api/v1/alliances/amazon--lab/").json()["total_usd"] == "0.00"


def test_a_container_and_its_parts_count_each_dollar_once(client, lab, aws):
    container = buys(lab, aws, 10)
    part = buys(lab, aws, 4)
    DealRelation.objects.create(from_deal=part, to_deal=container, kind=RelationKind.PART_OF)

    assert "Money both ways (US$) $10B" in text(client.get("/alliances/amazon--lab/"))
    assert client.get("/api/v1/alliances/amazon--lab/").json()["total_usd"] == "10000000000.00"
    assert "Bought as customer $10B" in text(client.get("/companies/lab/"))


def test_a_superseded_deal_is_listed_but_not_counted(client, amazon, lab):
    talks = invests(amazon, lab, 10)
    final = invests(amazon, lab, 12)
    DealRelation.objects.create(from_deal=final, to_deal=talks, kind=RelationKind.SUPERSEDES)

    api = client.get("/api/v1/alliances/amazon--lab/").json()
    assert (api["deal_count"], api["total_usd"]) == (2, "12000000000.00")


def test_a_share_belongs_to_its_party_in_its_role(client, amazon, aws, lab):
    """One agreement both ways: Amazon invests $2B in the lab, and the lab buys $1B of AWS's cloud."""
    deal(
        [
            (amazon, Role.INVESTOR, 2 * BILLION),
            (lab, Role.INVESTEE),
            (lab, Role.CUSTOMER, 1 * BILLION),
            (aws, Role.PROVIDER),
        ],
        amount=2 * BILLION,
        kind=DealKind.EQUITY,
    )

    assert client.get("/api/v1/alliances/amazon--lab/").json()["total_usd"] == "3000000000.00"
    amazon_page = text(client.get("/companies/amazon/"))
    assert "Invested $2B" in amazon_page
    # The group's totals include its cloud subsidiary's sales, as its partners table does.
    assert "Sold as provider $1B" in amazon_page
    lab_page = text(client.get("/companies/lab/"))
    assert "Received $2B" in lab_page
    assert "Bought as customer $1B" in lab_page


def test_named_investors_without_shares_are_not_credited_with_the_round(client, lab):
    microsoft = company("microsoft", CompanyKind.BIG_TECH, name="Microsoft")
    nvidia = company("nvidia", CompanyKind.CHIPMAKER, name="Nvidia")
    deal(
        [(microsoft, Role.INVESTOR), (nvidia, Role.INVESTOR), (lab, Role.INVESTEE)],
        amount=Decimal("1.3") * BILLION,
        amount_qualifier=Qualifier.ABOUT,
        kind=DealKind.FUNDING_ROUND,
    )

    assert "Invested —" in text(client.get("/companies/microsoft/"))
    assert "Received $1.3B" in text(client.get("/companies/lab/"))
    proxy_war = text(client.get("/proxy-war/"))
    assert "$0" not in proxy_war
    assert "the money they put in: $1.3B" in proxy_war
    assert "Of it, $1.3B in rounds that name their investors but not each one's share" in proxy_war
    api = client.get("/api/v1/alliances/lab--microsoft/").json()
    assert (api["total_usd"], api["total_display"], api["undisclosed_count"]) == (None, None, 1)


def test_a_round_with_unnamed_co_investors_credits_the_named_one_with_its_share_only(client, amazon, lab):
    deal([(amazon, Role.INVESTOR), (lab, Role.INVESTEE)], amount=6 * BILLION, others_unnamed=True)

    assert "Invested —" in text(client.get("/companies/amazon/"))
    assert "Received $6B" in text(client.get("/companies/lab/"))
    (row,) = csv_rows(client.get("/alliances/export.csv"))
    assert (row["committed_usd"], row["further_usd"], row["undisclosed_flows"]) == ("", "", "1")


def test_circular_deals_keep_up_to_money_apart(client, amazon, aws, lab, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invests(amazon, lab, 4, amount_qualifier=Qualifier.UP_TO)
        buys(lab, aws, 2)

    page = text(client.get("/circular/"))
    assert "Amazon → pays Lab : up to $4B" in page
    assert "Smaller of the flows none committed" in page
    assert "at least" not in page
    leg = next(
        leg for leg in client.get("/api/v1/cycles/").json()["results"][0]["legs"] if leg["payer"]["slug"] == "amazon"
    )
    assert (leg["total_usd"], leg["further_usd"]) == ("0.00", "4000000000.00")


def test_check_figures_finds_no_difference_and_reports_a_tampered_total(amazon, lab, capsys):
    invests(amazon, lab, 4, amount_qualifier=Qualifier.UP_TO)
    call_command("check_figures")
    assert "0 differences" in capsys.readouterr().out

    from deals.models import Alliance

    Alliance.objects.update(total_usd=4 * BILLION)
    with pytest.raises(Exception, match="1 figures differ"):
        call_command("check_figures")
    assert "alliances ('amazon--lab',): total_usd stored 4E+9 vs 0" in capsys.readouterr().out


def test_publishing_the_superseding_deal_stops_the_old_one_counting(client, amazon, lab):
    talks = invests(amazon, lab, 10)
    final = invests(amazon, lab, 12, published=False)
    DealRelation.objects.create(from_deal=final, to_deal=talks, kind=RelationKind.SUPERSEDES)
    assert client.get("/api/v1/alliances/amazon--lab/").json()["total_usd"] == "10000000000.00"

    final.publication = "published"
    final.save()

    assert client.get("/api/v1/alliances/amazon--lab/").json()["total_usd"] == "12000000000.00"


@pytest.mark.parametrize(
    "url", ["/", "/alliances/", "/companies/", "/circular/", "/network/", "/proxy-war/", "/charts/", "/es/alliances/"]
)
def test_every_page_with_totals_links_to_how_they_are_counted(client, url):
    page = client.get(url).content.decode()
    assert 'class="small" href="/figures/"' in page or 'class="small" href="/es/figures/"' in page
