"""The circular deals page reads its loops in index order and writes each shared leg once, showing it in each loop."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deals.figures.loops import loops
from deals.models import Cycle
from tests.money_world import buys, company, invests
from tests.plans import explain

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_loops_sharing_a_leg(django_capture_on_commit_callbacks):
    # a → b is a leg of both loops: a → b → a and a → b → c → a.
    with django_capture_on_commit_callbacks(execute=True):
        a, b, c = company("a"), company("b"), company("c")
        invests(a, b, 10)
        buys(b, a, 1)
        buys(b, c, 6)
        invests(c, a, 7)


@pytest.mark.parametrize(
    ("params", "index"), [({}, "cycle_page_folded"), ({"separate": "true"}, "cycle_page_separate")]
)
@pytest.mark.parametrize("url", ["/circular/", "/api/v1/cycles/"])
def test_a_page_of_loops_is_read_in_index_order_without_a_sort(client, two_loops_sharing_a_leg, url, params, index):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    [page] = [
        query["sql"] for query in queries.captured_queries if query["sql"].startswith('SELECT "deals_cycle"."id"')
    ]
    plan = "\n".join(explain(page))
    assert index in plan
    assert "TEMP B-TREE" not in plan and "Sort" not in plan


def test_loops_sharing_a_leg_share_its_leg(two_loops_sharing_a_leg):
    longer, shorter = loops(Cycle.objects.filter(folded=True))
    assert longer.legs[0] is shorter.legs[0]
    assert (longer.legs[0].payer.slug, longer.legs[0].payee.slug) == ("a", "b")


def test_a_shared_leg_is_shown_in_each_of_its_loops(client, api_client, two_loops_sharing_a_leg):
    page = client.get("/circular/").content.decode()
    articles = re.findall(r'<article class="card loop".*?</article>', page, re.DOTALL)
    assert len(articles) == 2
    for article in articles:
        assert re.search(r"<strong>A <span.*?</span> B</strong>:\s*\$10B", article, re.DOTALL)

    results = api_client.get("/api/v1/cycles/").json()["results"]
    legs = [
        [(leg["payer"]["slug"], leg["payee"]["slug"], leg["total_usd"]) for leg in loop["legs"]] for loop in results
    ]
    assert legs == [
        [("a", "b", "10000000000.00"), ("b", "c", "6000000000.00"), ("c", "a", "7000000000.00")],
        [("a", "b", "10000000000.00"), ("b", "a", "1000000000.00")],
    ]
