"""The deals list: each filter narrows to exactly the expected deals, each sort order, search, errors, queries."""

import pytest
from django.core.cache import caches
from django.urls import reverse

from tests.factories import CompanyFactory, make_deal, saved_as_one_batch

URL = reverse("deals:deal-list")


def listed(client, **params):
    response = client.get(URL, {"page_size": 100, **params})
    assert response.status_code == 200, response.content
    return [deal.slug for deal in response.context["page"].object_list]


def slugs(world, *keys):
    return {world.deals[key].slug for key in keys}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "equity"}, {"amazon-anthropic", "google-anthropic"}),
        ({"status": "reported"}, {"google-anthropic"}),
        ({"company": "anthropic"}, {"amazon-anthropic", "google-anthropic", "google-cloud-tpus"}),
        ({"investor": "amazon"}, {"amazon-anthropic", "openai-round"}),
        ({"investee": "openai"}, {"openai-round"}),
        ({"provider": "aws"}, {"openai-aws", "openai-aws-expansion"}),
        ({"customer": "anthropic"}, {"google-cloud-tpus"}),
        ({"announced_after": "2025-11-03"}, {"openai-aws", "openai-aws-expansion", "openai-round"}),
        ({"announced_before": "2023-12-31"}, {"amazon-anthropic", "google-anthropic"}),
        (
            {"announced_after": "2023-10-01", "announced_before": "2025-10-31"},
            {"google-anthropic", "google-cloud-tpus", "softbank-openai-eur"},
        ),
        ({"min_usd": "10000000000"}, {"openai-aws", "openai-aws-expansion", "openai-round"}),
        ({"max_usd": "2000000000"}, {"google-anthropic", "softbank-openai-eur"}),
        ({"min_usd": "1000000000", "max_usd": "1100000000"}, {"softbank-openai-eur"}),
        ({"currency": "EUR"}, {"softbank-openai-eur"}),
        ({"currency": "eur"}, {"softbank-openai-eur"}),
        ({"has_stake": "true"}, {"google-anthropic"}),
        ({"investor": "amazon", "announced_after": "2024-01-01"}, {"openai-round"}),
    ],
)
def test_each_filter_narrows_to_exactly_the_expected_deals(client, world, params, expected):
    assert set(listed(client, **params)) == slugs(world, *expected)


def test_has_stake_false_lists_the_deals_without_one(client, world):
    published_without_stake = {key for key in world.deals if key not in ("google-anthropic", "draft")}
    assert set(listed(client, has_stake="false")) == slugs(world, *published_without_stake)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("trainium", {"amazon-anthropic"}),  # summary
        ("cloud deal", {"openai-aws", "openai-aws-expansion"}),  # title
        ("SoftBank", {"openai-round", "softbank-openai-eur"}),  # party name
        ("AWS", {"amazon-anthropic", "openai-aws", "openai-aws-expansion"}),  # alias and summary
        ("nothing like this", set()),
    ],
)
def test_free_text_search(client, world, text, expected):
    assert set(listed(client, q=text)) == slugs(world, *expected)


def test_drafts_are_never_listed(client, world):
    assert "secret-investment" not in listed(client)
    assert "Secret Co" not in client.get(URL).content.decode()


def test_a_company_only_in_drafts_is_not_a_valid_filter(client, world):
    response = client.get(URL, {"company": "secret-co"})
    assert response.status_code == 400
    assert "No company with this name or slug: secret-co." in response.content.decode()


def test_sort_by_amount_puts_undisclosed_amounts_last_both_ways(client, world):
    ascending = listed(client, ordering="usd")
    descending = listed(client, ordering="-usd")
    assert ascending[:3] == ["softbank-openai-europe", "google-backs-anthropic", "amazon-invests-in-anthropic"]
    assert descending[:3] == ["openai-110b-round", "openai-aws-cloud", "openai-aws-expansion"]
    assert ascending[-1] == descending[-1] == "anthropic-google-cloud-tpus"


def test_sort_by_date_both_ways(client, world):
    assert listed(client, ordering="announced")[:2] == ["amazon-invests-in-anthropic", "google-backs-anthropic"]
    assert listed(client, ordering="-announced")[:2] == ["openai-110b-round", "openai-aws-expansion"]
    assert listed(client) == listed(client, ordering="-announced")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"announced_after": "2023-13-45"}, "Enter a valid date."),
        ({"min_usd": "a lot"}, "Enter a number."),
        ({"max_usd": "-5"}, "Ensure this value is greater than or equal to 0."),
        ({"kind": "bribe"}, "Select a valid choice."),
        ({"status": "'; DROP TABLE deals_deal; --"}, "Select a valid choice."),
        ({"investor": "nobody"}, "No company with this name or slug: nobody."),
        ({"currency": "dollars"}, "three-letter ISO 4217 currency code"),
        ({"ordering": "title"}, "Select a valid choice."),
        ({"has_stake": "perhaps"}, "Enter true or false."),
    ],
)
def test_an_invalid_filter_shows_a_form_error_not_a_500(client, world, params, message):
    response = client.get(URL, params)
    assert response.status_code == 400
    content = response.content.decode()
    assert "Some filters could not be used" in content
    assert message in content
    assert "No results to show." in content


def test_pagination_keeps_the_filters_and_caps_the_page_size(client, world):
    investor = CompanyFactory(slug="big-investor")
    with saved_as_one_batch():
        for number in range(105):
            make_deal(investor, world.companies["openai"], slug=f"round-{number:03}", title=f"Round {number:03}")
    first = client.get(URL, {"investor": "big-investor", "page_size": 1000})
    assert len(first.context["page"].object_list) == 100
    assert 'href="?investor=big-investor&amp;page_size=1000&amp;page=2"' in first.content.decode()
    second = client.get(URL, {"investor": "big-investor", "page_size": 1000, "page": 2})
    assert len(second.context["page"].object_list) == 5


@pytest.mark.parametrize("page", ["abc", "-1", "99999"])
def test_odd_page_numbers_still_show_a_page(client, world, page):
    assert client.get(URL, {"page": page}).status_code == 200


def test_the_list_shows_what_a_visitor_needs(client, world):
    content = client.get(URL).content.decode()
    assert "Amazon invests up to $4B in Anthropic" in content
    assert "up to $4B" in content
    assert "Sept. 25, 2023" in content
    assert "October 2023" in content  # a date known to the month
    assert "€1B" in content and "≈ $1.1B" in content
    assert 'href="/companies/openai/"' in content
    assert 'href="/deals/export.csv?"' in content


def test_the_export_link_carries_the_filters(client, world):
    content = client.get(URL, {"investor": "amazon", "page": 1, "page_size": 5}).content.decode()
    assert 'href="/deals/export.csv?investor=amazon"' in content


def _many_deals(count):
    investors = [CompanyFactory(slug=f"investor-{number}") for number in range(4)]
    investee = CompanyFactory()
    with saved_as_one_batch():
        for number in range(count):
            make_deal(investors[number % 4], investee)


# The content version, the count, the page of deals, their parties, one look-up per company slug in the filters,
# and one GROUP BY per facet (deals.lists.facets.DEAL_FACETS); nothing per row.
QUERIES = 5 + 6


@pytest.mark.parametrize("params", [{}, {"investor": "investor-0", "q": "Deal", "ordering": "-usd"}])
def test_the_query_count_does_not_grow_with_the_page_size(client, db, django_assert_max_num_queries, params):
    _many_deals(120)
    counts = []
    for size in (10, 100):
        caches["default"].clear()  # each counted and looked up afresh (deals.lists.counts, deals.lists.filters)
        with django_assert_max_num_queries(QUERIES) as captured:
            response = client.get(URL, {**params, "page_size": size})
        assert response.status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
