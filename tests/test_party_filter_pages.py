"""A company's deals, newest first, page after page: each page holds exactly the deals the plain ordering puts there.

Pins what a cheaper page query (e.g. one reading only the deals from the page's last date on, found in the
party index) must keep: deals sharing a date (and a title), undated deals at the end, a company holding two
roles in one deal, drafts among the newest deals, pages of one, two and fifty deals.
"""

import re
from datetime import date

import pytest
from django.db.models import F

from deals.core.choices import Role
from deals.models import Deal, DealParty
from deals.rules.public import public_deals
from tests.api_world import token_client
from tests.factories import CompanyFactory, PartyFactory, make_deal, make_user

pytestmark = pytest.mark.django_db

API_ORDER = (F("announced_on").desc(nulls_last=True), "title", "pk")
SORTED_NEWEST_FIRST = (F("announced_on").desc(nulls_last=True), "pk")
PAGE_SIZES = (1, 2, 50)
INVESTING = (Role.INVESTOR, Role.LEAD_INVESTOR)


@pytest.fixture
def fund():
    """A fund's deals: ties on dates and titles, undated deals, two roles in one deal, drafts, another role."""
    fund = CompanyFactory(slug="fund")
    dated = [
        ("2023-06-01", "Newest draft", False),
        ("2023-06-01", "Another newest draft", False),
        ("2023-05-01", "B tie", True),
        ("2023-05-01", "A tie", True),
        ("2023-05-01", "A tie", True),
        ("2023-04-01", "April", True),
        ("2023-04-01", "April draft", False),
        ("2022-12-31", "Year end", True),
        ("2022-01-01", "New year", True),
        ("2021-07-01", "Summer", True),
        ("2021-07-01", "Summer", True),
        ("2019-03-01", "Long ago", True),
        (None, "Undated B", True),
        (None, "Undated A", True),
        (None, "Undated draft", False),
    ]
    for number, (announced_on, title, published) in enumerate(dated):
        make_deal(
            fund, CompanyFactory(), slug=f"deal-{number}", title=title, announced_on=announced_on, published=published
        )
    for slug in ("deal-3", "deal-9", "deal-12"):
        PartyFactory(deal=Deal.objects.get(slug=slug), company=fund, role=Role.LEAD_INVESTOR)
    lab = CompanyFactory()
    make_deal(lab, fund, slug="fund-raises", title="Fund raises", announced_on="2023-05-01")
    make_deal(lab, fund, slug="fund-raises-later", title="Fund raises", announced_on="2024-01-01")
    return fund


def expected(deals, roles, ordering, after=None, before=None) -> list[str]:
    """The plain query: every deal of the fund in those roles and dates, sorted, no boundary."""
    parties = DealParty.objects.filter(company__slug="fund")
    if roles:
        parties = parties.filter(role__in=roles)
    deals = deals.filter(pk__in=parties.values("deal_id"))
    if after:
        deals = deals.filter(announced_on__gte=after)
    if before:
        deals = deals.filter(announced_on__lte=before)
    return list(deals.order_by(*ordering).values_list("slug", flat=True))


def api_pages(client, params, page_size) -> list[str]:
    """The slugs of every page, first to last, checking each page's count and links on the way."""
    slugs, page = [], 1
    while True:
        response = client.get("/api/v1/deals/", {**params, "page_size": page_size, "page": page})
        assert response.status_code == 200, response.content
        body = response.json()
        slugs += [row["slug"] for row in body["results"]]
        assert len(body["results"]) == min(page_size, body["count"] - (page - 1) * page_size)
        if body["next"] is None:
            assert len(slugs) == body["count"]
            return slugs
        page += 1


def html_pages(client, params, page_size) -> list[str]:
    slugs, page = [], 1
    while True:
        response = client.get("/deals/", {**params, "page_size": page_size, "page": page})
        assert response.status_code == 200
        html = response.content.decode()
        linked = re.findall(r'href="/deals/(deal-\d+|fund-raises[\w-]*)/"', html)
        slugs += list(dict.fromkeys(linked))
        if f"page={page + 1}" not in html:
            return slugs
        page += 1


FILTERS = [
    ({"investor": "fund"}, INVESTING, None, None),
    (
        {"investor": "fund", "announced_after": "2021-07-01", "announced_before": "2023-05-01"},
        INVESTING,
        date(2021, 7, 1),
        date(2023, 5, 1),
    ),
    ({"investor": "fund", "announced_after": "2023-05-01"}, INVESTING, date(2023, 5, 1), None),
    ({"investor": "fund", "announced_before": "2022-12-31"}, INVESTING, None, date(2022, 12, 31)),
    ({"company": "fund"}, None, None, None),
    ({"company": "fund", "announced_after": "2020-01-01"}, None, date(2020, 1, 1), None),
    ({"investee": "fund"}, (Role.INVESTEE,), None, None),
    ({"investor": "fund", "announced_after": "2030-01-01"}, INVESTING, date(2030, 1, 1), None),
]


@pytest.mark.parametrize("page_size", PAGE_SIZES)
@pytest.mark.parametrize(("params", "roles", "after", "before"), FILTERS)
def test_api_pages_newest_first_are_the_plain_ordering_cut_in_pages(
    client, fund, params, roles, after, before, page_size
):
    assert api_pages(client, params, page_size) == expected(public_deals(), roles, API_ORDER, after, before)


@pytest.mark.parametrize("page_size", PAGE_SIZES)
@pytest.mark.parametrize(("params", "roles", "after", "before"), FILTERS[:3])
def test_staff_pages_count_the_drafts_in(fund, params, roles, after, before, page_size):
    staff = token_client(make_user("eve", "Editors"))
    pages = api_pages(staff, params, page_size)
    assert pages == expected(Deal.objects.all(), roles, API_ORDER, after, before)
    assert set(pages) > set(expected(public_deals(), roles, API_ORDER, after, before))


@pytest.mark.parametrize("page_size", PAGE_SIZES)
def test_sorted_newest_first_in_the_api_and_on_the_page(client, fund, page_size):
    params = {"investor": "fund", "ordering": "-announced"}
    plain = expected(public_deals(), INVESTING, SORTED_NEWEST_FIRST)
    assert api_pages(client, params, page_size) == plain
    assert html_pages(client, params, page_size) == plain


@pytest.mark.parametrize("page_size", PAGE_SIZES)
def test_other_filters_and_orders_keep_every_deal(client, fund, page_size):
    oldest_first = (F("announced_on").asc(nulls_last=True), "pk")
    assert api_pages(client, {"investor": "fund", "ordering": "announced"}, page_size) == expected(
        public_deals(), INVESTING, oldest_first
    )
    with_a_title = api_pages(client, {"investor": "fund", "q": "tie"}, page_size)
    assert with_a_title == [
        slug for slug in expected(public_deals(), INVESTING, API_ORDER) if slug in {"deal-2", "deal-3", "deal-4"}
    ]


def test_a_page_past_the_boundary_reads_no_deal_twice(client, fund):
    """deal-3 and deal-9 count once though the fund holds two roles in each: the pages neither skip nor repeat."""
    pages = api_pages(client, {"investor": "fund"}, 1)
    assert len(pages) == len(set(pages)) == 11
