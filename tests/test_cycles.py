"""Circular deals: the cycle search on small known graphs and on the seed, through the page and the API."""

import random
from decimal import Decimal
from unittest import mock

import networkx as nx
import pytest
from django.core.management import call_command
from django.db import transaction

from deals.core.choices import CompanyKind
from deals.figures import cycles
from deals.models import Company, Deal, Publication
from deals.rules import services
from tests.money_world import BILLION, IN_TALKS, buys, company, invests

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Build inside this block: the cycle search runs after the commit, as on the site."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def loops(api_client, **params):
    """Each loop as (company slugs in order, smaller flow) from the API."""
    response = api_client.get("/api/v1/cycles/", params)
    assert response.status_code == 200, response.content
    return [([c["slug"] for c in loop["companies"]], loop["smaller_flow_usd"]) for loop in response.json()["results"]]


# The search itself


def reference_cycles(edges, max_length):
    found = set()
    for cycle in nx.simple_cycles(nx.DiGraph(list(edges)), length_bound=max_length):
        if len(cycle) >= 2:
            first = cycle.index(min(cycle))
            found.add(tuple(cycle[first:] + cycle[:first]))
    return found


@pytest.mark.parametrize("seed", range(40))
def test_the_search_finds_what_networkx_finds_each_once_largest_smaller_flow_first(seed):
    rng = random.Random(seed)
    size, density, max_length = rng.randint(2, 8), rng.random() * 0.6, rng.randint(2, 6)
    values = {
        (a, b): None if rng.random() < 0.2 else Decimal(rng.randint(1, 9))
        for a in range(size)
        for b in range(size)
        if a != b and rng.random() < density
    }

    found = list(cycles.cycles_by_smaller_flow(values, max_length))

    assert len(found) == len(set(found))
    assert set(found) == reference_cycles(values, max_length)
    smallest = [[values[edge] for edge in zip(c, c[1:] + c[:1], strict=True)] for c in found]
    order = [(None in legs, -(min(legs) if None not in legs else 0)) for legs in smallest]
    assert order == sorted(order)


# Small known graphs


def test_no_loop_when_the_money_only_goes_one_way(client, api_client, committed):
    with committed():
        a, b, c = company("a"), company("b"), company("c")
        invests(a, b, 1)
        buys(b, c, 1)

    assert loops(api_client) == []
    assert "No circular deals match these filters." in client.get("/circular/").content.decode()


def test_a_two_company_loop_lists_its_deals_each_way_with_sources(client, api_client, committed):
    with committed():
        amazon, openai = company("amazon", name="Amazon"), company("openai", name="OpenAI")
        stake = invests(amazon, openai, 4, title="Amazon invests $4B in OpenAI")
        compute = buys(openai, amazon, 1, title="OpenAI buys $1B of compute from Amazon")

    assert loops(api_client) == [(["amazon", "openai"], "1000000000.00")]
    page = client.get("/circular/").content.decode()
    assert 'Amazon</a> <span aria-hidden="true">→</span> <a' in page
    assert f'href="{stake.get_absolute_url()}">Amazon invests $4B in OpenAI</a>' in page
    assert f'href="{compute.get_absolute_url()}">OpenAI buys $1B of compute from Amazon</a>' in page
    assert f'href="https://news.example.com/{stake.slug}"' in page
    assert "$4B" in page and "$1B" in page

    legs = api_client.get("/api/v1/cycles/").json()["results"][0]["legs"]
    assert [(leg["payer"]["slug"], leg["payee"]["slug"], leg["total_usd"]) for leg in legs] == [
        ("amazon", "openai", "4000000000.00"),
        ("openai", "amazon", "1000000000.00"),
    ]
    assert legs[0]["deals"][0]["sources"] == [
        {"title": f"Report on {stake.title}", "url": f"https://news.example.com/{stake.slug}"}
    ]


def test_a_three_company_loop(api_client, committed):
    with committed():
        nvidia, openai, coreweave = company("nvidia"), company("openai"), company("coreweave")
        invests(nvidia, openai, 2)
        buys(openai, coreweave, 3)
        buys(coreweave, nvidia, 5)

    assert loops(api_client) == [(["nvidia", "openai", "coreweave"], "2000000000.00")]


def test_two_overlapping_loops_sorted_by_their_smaller_flow(api_client, committed):
    with committed():
        a, b, c = company("a"), company("b"), company("c")
        invests(a, b, 10)
        buys(b, a, 1)
        buys(b, c, 6)
        invests(c, a, 7)

    assert loops(api_client) == [
        (["a", "b", "c"], "6000000000.00"),
        (["a", "b"], "1000000000.00"),
    ]


def test_a_loop_with_a_leg_of_unknown_money_comes_last(api_client, committed):
    with committed():
        a, b, c, d = company("a"), company("b"), company("c"), company("d")
        invests(a, b, 1)
        buys(b, a)
        invests(c, d, 1)
        buys(d, c, 1)

    assert loops(api_client) == [(["c", "d"], "1000000000.00"), (["a", "b"], None)]


def test_an_unpublished_deal_breaks_the_loop_and_publishing_it_again_restores_it(api_client, committed):
    with committed():
        a, b = company("a"), company("b")
        invests(a, b, 1)
        back = buys(b, a, 1)
    assert len(loops(api_client)) == 1

    with committed():
        services.set_publication([back], Publication.DRAFT)
    assert loops(api_client) == []

    with committed():
        services.set_publication([Deal.objects.get(pk=back.pk)], Publication.PUBLISHED)
    assert len(loops(api_client)) == 1

    with committed():
        Deal.objects.get(pk=back.pk).delete()
    assert loops(api_client) == []


def test_a_draft_loop_is_never_shown(api_client, committed):
    with committed():
        a, b = company("a"), company("b")
        invests(a, b, 1)
        buys(b, a, 1, published=False)

    assert loops(api_client) == []


def test_subsidiaries_fold_into_their_parent_unless_kept_apart(client, api_client, committed):
    with committed():
        amazon = company("amazon", CompanyKind.BIG_TECH, name="Amazon")
        aws = company("aws", CompanyKind.CLOUD, parent=amazon, name="Amazon Web Services")
        anthropic = company("anthropic", CompanyKind.AI_LAB, name="Anthropic")
        invests(amazon, anthropic, 4)
        buys(anthropic, aws, 1)

    assert loops(api_client) == [(["amazon", "anthropic"], "1000000000.00")]
    assert loops(api_client, company="aws") == [(["amazon", "anthropic"], "1000000000.00")]
    assert loops(api_client, separate="true") == []
    assert loops(api_client, separate="false") == [(["amazon", "anthropic"], "1000000000.00")]
    assert "No circular deals match these filters." in client.get("/circular/?separate=true").content.decode()


def test_a_new_parent_regroups_the_loops(api_client, committed):
    with committed():
        amazon, aws, anthropic = company("amazon"), company("aws"), company("anthropic")
        invests(amazon, anthropic, 4)
        buys(anthropic, aws, 1)
    assert loops(api_client) == []

    with committed():
        aws.parent = amazon
        aws.save()
    assert loops(api_client) == [(["amazon", "anthropic"], "1000000000.00")]


def test_money_in_talks_is_listed_but_not_counted(client, api_client, committed):
    with committed():
        a, b = company("a"), company("b")
        invests(a, b, 10, **IN_TALKS)
        invests(a, b, 1)
        buys(b, a, 5)

    assert loops(api_client) == [(["a", "b"], "1000000000.00")]
    leg = api_client.get("/api/v1/cycles/").json()["results"][0]["legs"][0]
    assert leg["total_usd"] == "1000000000.00"
    assert leg["complete"] is False
    assert {(d["amount_usd"], d["committed"]) for d in leg["deals"]} == {
        ("10000000000.00", False),
        ("1000000000.00", True),
    }
    page = client.get("/circular/").content.decode()
    assert "$1B, plus undisclosed amounts" in page
    assert "In talks" in page


def test_filter_by_company_and_year(api_client, committed):
    with committed():
        a, b, c, d = company("a"), company("b"), company("c"), company("d")
        invests(a, b, 1, on="2023-05-01")
        buys(b, a, 1, on="2025-02-01")
        invests(c, d, 2, on="2021-01-01")
        buys(d, c, 2, on="2021-06-01")

    assert [slugs for slugs, _flow in loops(api_client, company="a")] == [["a", "b"]]
    assert [slugs for slugs, _flow in loops(api_client, year=2024)] == [["a", "b"]]
    assert [slugs for slugs, _flow in loops(api_client, year=2021)] == [["c", "d"]]
    assert loops(api_client, year=2022) == []
    assert loops(api_client, company="d", year=2023) == []


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"year": "20x4"}, "year", "Enter a number."),
        ({"company": "nobody"}, "company", "No company with this slug: nobody."),
        ({"separate": "maybe"}, "separate", "Enter true or false."),
    ],
)
def test_bad_filters_are_a_400_with_the_reason(client, api_client, query, field, message):
    company("a")
    response = api_client.get("/api/v1/cycles/", query)
    assert response.status_code == 400
    assert response.json()[field] == [message]

    page = client.get("/circular/", query)
    assert page.status_code == 400
    assert message in page.content.decode()


def test_a_page_and_an_api_page_run_a_fixed_number_of_queries(
    client, api_client, committed, django_assert_max_num_queries
):
    with committed():
        hub = company("hub")
        for number in range(12):
            other = company(f"c{number}")
            invests(hub, other, number + 1)
            buys(other, hub, number + 1)
    assert len(loops(api_client, page_size=100)) == 12

    for size in (2, 12):
        with django_assert_max_num_queries(6):
            assert client.get("/circular/", {"page_size": size}).status_code == 200
        with django_assert_max_num_queries(5):
            assert api_client.get("/api/v1/cycles/", {"page_size": size}).status_code == 200


def test_many_changes_in_one_transaction_search_once(committed):
    with mock.patch("deals.figures.cycles.refresh", return_value=0) as refresh, committed(), transaction.atomic():
        a, b = company("a"), company("b")
        invests(a, b, 1)
        buys(b, a, 1)
    assert refresh.call_count == 1


def test_the_search_keeps_the_loops_that_moved_the_most(committed):
    with committed():
        a, b, c, d = company("a"), company("b"), company("c"), company("d")
        invests(a, b, 1)
        buys(b, a, 1)
        invests(c, d, 9)
        buys(d, c, 8)

    (kept,) = cycles.find(limit=1)
    assert kept.smaller_flow_usd == 8 * BILLION
    assert [Company.objects.get(pk=pk).slug for pk in kept.company_ids] == ["c", "d"]


def test_the_circular_page_in_spanish(client, committed):
    with committed():
        a, b = company("a"), company("b")
        invests(a, b, 4)
        buys(b, a, 1)

    page = client.get("/es/circular/").content.decode()
    assert '<html lang="es">' in page
    assert "1000 millones de US$" in page.replace(".", "")


def test_the_api_lists_cycles_in_its_schema(api_client):
    schema = api_client.get("/api/v1/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/cycles/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"company", "year", "separate", "page", "page_size"}


# The seed articles


@pytest.fixture
def seeded(db, committed):
    with committed():
        call_command("load_seed_data", verbosity=0)


def test_the_seed_shows_the_amazon_openai_anthropic_and_nvidia_loops(seeded, api_client, client):
    assert loops(api_client) == [
        (["openai", "amazon"], "15000000000.00"),  # Amazon's $15B committed; $35B on conditions apart
        (["amazon", "anthropic"], None),
        (["nvidia", "coreweave"], None),
        (["openai", "coreweave", "nvidia"], None),
    ]
    assert [slugs for slugs, _flow in loops(api_client, separate="true")] == [
        ["nvidia", "coreweave"],
        ["openai", "coreweave", "nvidia"],
    ]
    page = client.get("/circular/").content.decode()
    assert "OpenAI signs a $38B cloud computing deal with AWS" in page
    assert "Amazon invests up to $4B in Anthropic" in page


def test_the_page_lists_the_largest_deals_of_a_leg_and_links_to_the_rest(client, api_client, committed):
    with committed():
        a, b = company("a"), company("b")
        for billions in range(1, 6):
            invests(a, b, billions, title=f"A invests ${billions}B in B")
        buys(b, a, 1)
    page = client.get("/circular/").content.decode()
    assert [f"A invests ${n}B in B" in page for n in range(1, 6)] == [False, False, True, True, True]
    assert '<a href="/alliances/a--b/">and 2 more deals: see the alliance</a>' in page
    leg = next(leg for leg in api_client.get("/api/v1/cycles/").json()["results"][0]["legs"] if leg["deal_count"] == 5)
    assert len(leg["deals"]) == 5
