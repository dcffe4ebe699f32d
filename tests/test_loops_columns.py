"""The loops' legs, companies and deals are read in SQL: each value comes out as the ORM gave it, on SQLite (which
keeps decimals as floats and JSON as text) as on PostgreSQL.

Amounts with cents, a deal without a date, a deal without a source and a source cited twice, on the page and in
the API.
"""

import re

import pytest

from deals.core.choices import CitedField
from deals.models import Citation
from tests.factories import CitationFactory
from tests.money_world import buys, company, invests

pytestmark = pytest.mark.django_db


@pytest.fixture
def odd_loop(django_capture_on_commit_callbacks):
    """Alpha invests $1,234,567.89 in Beta; Beta buys from Alpha twice: once undated and unsourced, once for
    $2B citing the same report for the deal and for its amount."""
    with django_capture_on_commit_callbacks(execute=True):
        alpha, beta = company("alpha"), company("beta")
        invests(alpha, beta, "0.00123456789", title="Seed & more", slug="seed")
        undated = buys(beta, alpha, None, title="Undated", slug="undated", on=None)
        Citation.objects.filter(deal=undated).delete()
        cited_twice = buys(beta, alpha, 2, title="Compute", slug="compute")
        CitationFactory(deal=cited_twice, source=cited_twice.citations.get().source, supports=CitedField.AMOUNT)


def test_the_api_gives_each_leg_and_deal_as_stored(api_client, odd_loop):
    [loop] = api_client.get("/api/v1/cycles/").json()["results"]
    legs = [
        (
            leg["payer"]["slug"],
            leg["payee"]["slug"],
            leg["total_usd"],
            leg["complete"],
            leg["deal_count"],
            [
                (deal["slug"], deal["announced_on"], deal["amount_usd"], deal["committed"], deal["sources"])
                for deal in leg["deals"]
            ],
        )
        for leg in loop["legs"]
    ]
    seed_report = {"title": "Report on Seed & more", "url": "https://news.example.com/seed"}
    compute_report = {"title": "Report on Compute", "url": "https://news.example.com/compute"}
    assert legs == [
        ("alpha", "beta", "1234567.89", True, 1, [("seed", "2024-03-15", "1234567.89", True, [seed_report])]),
        (
            "beta",
            "alpha",
            "2000000000.00",
            False,
            2,
            [
                ("compute", "2024-03-15", "2000000000.00", True, [compute_report]),
                ("undated", None, None, True, []),
            ],
        ),
    ]


@pytest.mark.parametrize(
    ("url", "texts"),
    [
        ("/circular/", ("$1.23M", "$2B, plus undisclosed amounts", "<time>Date unknown</time>", "amount not stated")),
        (
            "/es/circular/",
            (
                "1,23 millones de US$",
                "2.000 millones de US$, más importes no divulgados",
                "<time>Fecha desconocida</time>",
                "importe no",
            ),
        ),
    ],
)
def test_the_page_shows_cents_unknown_dates_and_each_source_once(client, odd_loop, url, texts):
    page = client.get(url).content.decode()
    [article] = re.findall(r'<article class="card loop".*?</article>', page, re.DOTALL)
    for text in texts:
        assert text in article
    [undated] = re.findall(
        r"<li>\s*<time>[^<]*</time>\s*<a href=\"[^\"]*/undated/\">Undated</a>.*?</li>", article, re.S
    )
    assert "leg-sources" not in undated
    assert article.count(">Report on Compute<") == 1
    assert article.count('<time datetime="2024-03-15">') == 2
    assert ">Seed &amp; more</a>" in article and ">Report on Seed &amp; more<" in article
