"""The companies list: filters, search, sorting by totals, errors, and a fixed number of queries."""

import pytest
from django.core.cache import caches
from django.urls import reverse

from tests.factories import CompanyFactory, make_deal, saved_as_one_batch

URL = reverse("deals:company-list")


def listed(client, **params):
    response = client.get(URL, {"page_size": 100, **params})
    assert response.status_code == 200, response.content
    return [company.slug for company in response.context["page"].object_list]


def test_only_companies_of_published_deals_are_listed(client, world):
    assert set(listed(client)) == {
        "amazon",
        "aws",
        "anthropic",
        "google",
        "google-cloud",
        "openai",
        "nvidia",
        "softbank",
    }


def test_a_parent_without_deals_of_its_own_is_not_listed_but_has_a_page(client, db):
    parent = CompanyFactory(slug="holding")
    subsidiary = CompanyFactory(slug="operating-unit", parent=parent)
    make_deal(subsidiary, CompanyFactory(slug="startup"))
    assert "holding" not in listed(client)
    assert client.get("/companies/holding/").status_code == 200
    assert client.get("/companies/", {"parent": "holding"}).context["page"].object_list[0].slug == "operating-unit"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "cloud"}, ["aws", "google-cloud"]),
        ({"country": "jp"}, ["softbank"]),
        ({"parent": "amazon"}, ["aws"]),
        ({"role": "investor"}, ["amazon", "google", "nvidia", "softbank"]),
        ({"role": "investee"}, ["anthropic", "openai"]),
        ({"role": "provider"}, ["aws", "google-cloud"]),
        ({"role": "customer"}, ["anthropic", "openai"]),
        ({"q": "aws"}, ["aws"]),  # an alias
        ({"q": "goo"}, ["google", "google-cloud"]),
    ],
)
def test_each_filter(client, world, params, expected):
    assert listed(client, **params) == expected


def test_sort_by_name(client, world):
    names = listed(client, ordering="-name")
    assert names[0] == "softbank" and names[-1] == "amazon"


def test_sort_by_total_invested_and_received(client, world):
    # Amazon: $4B in Anthropic + its $50B share of OpenAI's round; Google $2B; Nvidia and SoftBank $30B each.
    assert listed(client, ordering="-invested")[:4] == ["amazon", "nvidia", "softbank", "google"]
    assert listed(client, ordering="-received")[:2] == ["openai", "anthropic"]
    assert listed(client, ordering="invested")[0] == "google"


def test_sort_by_number_of_deals(client, world):
    assert listed(client, ordering="-deals")[:2] == ["openai", "anthropic"]


def test_the_rows_show_totals(client, world):
    content = client.get(URL, {"ordering": "-invested"}).content.decode()
    assert "$54B" in content  # Amazon invested
    assert "$110B" in content  # OpenAI received
    assert "part of Amazon" in content


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"kind": "bank"}, "Select a valid choice."),
        ({"country": "USA"}, "two-letter ISO 3166 country code"),
        ({"parent": "secret-co"}, "No company with this name or slug: secret-co."),
        ({"role": "thief"}, "Select a valid choice."),
        ({"ordering": "-profit"}, "Select a valid choice."),
    ],
)
def test_an_invalid_filter_shows_a_form_error(client, world, params, message):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize("ordering", ["", "-invested", "-deals"])
def test_the_query_count_does_not_grow_with_the_page_size(client, db, django_assert_max_num_queries, ordering):
    with saved_as_one_batch():
        for _ in range(60):
            make_deal(CompanyFactory(), CompanyFactory())
    counts = []
    for size in (10, 100):
        caches["default"].clear()  # each counted and looked up afresh (deals.lists.counts, deals.lists.filters)
        # The content version, the count, the page with parents and stored totals, one GROUP BY per facet (kind,
        # country).
        with django_assert_max_num_queries(3 + 2) as captured:
            assert client.get(URL, {"page_size": size, "ordering": ordering}).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
