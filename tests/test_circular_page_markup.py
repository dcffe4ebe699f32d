"""The circular deals page's loops, written in Python (deals.web.rows.loop_articles from deals.figures.loops), as exact markup.

The expected markup is what the page showed before its loops were read as plain values and its figures
formatted once per language: the same bytes, every value escaped, in English and Spanish, with subsidiaries
folded into their group and kept apart.
"""

import datetime
import re
from pathlib import Path

import pytest

from deals.core.choices import DatePrecision
from tests.factories import CitationFactory, SourceFactory
from tests.money_world import IN_TALKS, buys, company, invests

pytestmark = pytest.mark.django_db


@pytest.fixture
def families(django_capture_on_commit_callbacks):
    """A GPU cloud three generations under its holding, and a lab's research arm, paying each other.

    The cloud invests five times in the research arm (the page lists the three largest and links to the
    alliance of the two groups for the rest); the arm buys compute from the cloud three times: once by the
    month, once in talks, once for an amount not stated.
    """
    with django_capture_on_commit_callbacks(execute=True):
        holding = company("holding", name="Holding & Sons")
        chips = company("chips", name="Chips <Group>", parent=holding)
        unit = company("chips-unit", name='The "Unit"', parent=chips)
        cloud = company("gpu-cloud", name="GPU Cloud", parent=unit)
        lab = company("lab", name="Lab")
        arm = company("lab-research", name="Lab Research", parent=lab)
        for number, billions in enumerate((3, None, 1.5, 7, 2)):
            on = datetime.date(2020 + number, 2, 10)
            invests(cloud, arm, billions, title=f"Round {number} <b>", slug=f"round-{number}", on=on)
        month = buys(arm, cloud, 2.25, title="Compute & storage", slug="compute", on=datetime.date(2024, 6, 1))
        month.announced_precision = DatePrecision.MONTH
        month.save()
        CitationFactory(deal=month, source=SourceFactory(title="Filing without an address", url=""))
        buys(arm, cloud, 40, title="Talks", slug="talks", on=datetime.date(2025, 1, 1), **IN_TALKS)
        buys(arm, cloud, None, title="Unpriced", slug="unpriced", on=datetime.date(2025, 3, 1))


def articles(response) -> str:
    assert response.status_code == 200
    return "".join(re.findall(r'<article class="card loop".*?</article>\n', response.content.decode(), re.DOTALL))


def expected(name: str) -> str:
    """tests/circular_markup/<name>.html: the page's loops as written before the change."""
    return (Path(__file__).parent / "circular_markup" / f"{name}.html").read_text(encoding="utf-8")


def without_ids(markup: str) -> str:
    """The markup with the loops' database ids, which depend on the order the tests run in, as N."""
    return re.sub(r'"loop-\d+"', '"loop-N"', markup)


def test_the_loop_of_two_groups_folded(client, families):
    assert without_ids(articles(client.get("/circular/"))) == expected("folded")


def test_the_loop_of_two_subsidiaries_links_to_the_alliance_of_their_groups(client, families):
    assert without_ids(articles(client.get("/circular/", {"separate": "true"}))) == expected("separate")


def test_the_loop_in_spanish(client, families):
    assert without_ids(articles(client.get("/es/circular/", {"separate": "true"}))) == expected("separate_es")


def test_the_api_shows_the_subsidiaries_and_their_pages(api_client, families):
    [loop] = api_client.get("/api/v1/cycles/", {"separate": "true"}).json()["results"]
    assert [(company["slug"], company["name"], company["html_url"]) for company in loop["companies"]] == [
        ("gpu-cloud", "GPU Cloud", "http://testserver/companies/gpu-cloud/"),
        ("lab-research", "Lab Research", "http://testserver/companies/lab-research/"),
    ]
    assert [len(leg["deals"]) for leg in loop["legs"]] == [5, 3]


def test_a_deep_family_costs_a_query_a_generation_beyond_the_grandparent(
    client, families, django_assert_max_num_queries
):
    # Six queries (content version, count, loops, legs, companies with their parents and grandparents, deals
    # with sources), and one for the holding above the cloud's grandparent; the count is remembered after.
    with django_assert_max_num_queries(7):
        assert client.get("/circular/", {"separate": "true"}).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get("/circular/").status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get("/circular/").status_code == 200
