"""The alliances list: every pair with a published deal, filters, sorting, errors, queries."""

import pytest
from django.core.cache import caches
from django.urls import reverse

from tests.factories import CompanyFactory, make_deal, saved_as_one_batch

URL = reverse("deals:alliance-list")


def listed(client, **params):
    response = client.get(URL, {"page_size": 100, **params})
    assert response.status_code == 200, response.content
    return [alliance.slug for alliance in response.context["page"].object_list]


ALL = {"amazon--anthropic", "anthropic--google", "amazon--openai", "nvidia--openai", "openai--softbank"}


def test_every_pair_that_deals_together_and_subsidiaries_fold_into_their_group(client, world):
    # AWS's deals count for Amazon; co-investors in OpenAI's round are not allied with each other.
    assert set(listed(client)) == ALL


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"company": "anthropic"}, {"amazon--anthropic", "anthropic--google"}),
        ({"company": "aws"}, {"amazon--openai"}),
        ({"kind": "partnership"}, {"openai--softbank"}),
        ({"kind": "equity"}, {"amazon--anthropic", "anthropic--google"}),
        ({"year_from": "2026"}, {"amazon--openai", "nvidia--openai", "openai--softbank"}),
        ({"year_to": "2023"}, {"amazon--anthropic", "anthropic--google"}),
        ({"year_from": "2024", "year_to": "2025"}, {"amazon--openai", "anthropic--google", "openai--softbank"}),
        ({"q": "soft"}, {"openai--softbank"}),
    ],
)
def test_each_filter(client, world, params, expected):
    assert set(listed(client, **params)) == expected


def test_sort_orders(client, world):
    assert listed(client, ordering="-total")[0] == "amazon--openai"  # 38 + 10 + 50 committed
    assert listed(client, ordering="-deals")[0] == "amazon--openai"
    assert listed(client, ordering="-latest")[0] in {"amazon--openai", "nvidia--openai", "openai--softbank"}
    assert listed(client, ordering="latest")[0] == "amazon--anthropic"
    assert listed(client, ordering="total")[0] == "amazon--anthropic"  # nothing committed: "up to $4B"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"year_from": "twenty"}, "Enter a number."),
        ({"year_to": "2023.5"}, "Ensure that there are no more than 0 decimal places."),
        ({"kind": "marriage"}, "Select a valid choice."),
        ({"company": "secret-co"}, "No company with this name or slug: secret-co."),
        ({"ordering": "name"}, "Select a valid choice."),
    ],
)
def test_an_invalid_filter_shows_a_form_error(client, world, params, message):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_query_count_does_not_grow_with_the_page_size(client, db, django_assert_max_num_queries):
    hub = CompanyFactory(slug="hub")
    with saved_as_one_batch():
        for _ in range(60):
            make_deal(hub, CompanyFactory())
    counts = []
    for size in (10, 100):
        caches["default"].clear()  # each counted and looked up afresh (deals.lists.counts, deals.lists.filters)
        # The content version, the hub's slug, the count, the page with both companies, one GROUP BY per facet (main
        # kind, latest year).
        with django_assert_max_num_queries(4 + 2) as captured:
            assert client.get(URL, {"page_size": size, "company": "hub"}).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
