"""A valid filter that matches nothing says so; it is not mistaken for a filter that cannot be used."""

import pytest
from django.urls import reverse

INVALID_NOTICE = "Some filters have values that cannot be used"


@pytest.mark.parametrize(
    ("url_name", "params", "empty_message"),
    [
        ("deals:deal-list", {"q": "no such words anywhere"}, "No deals match these filters."),
        ("deals:deal-list", {"announced_after": "2099-01-01"}, "No deals match these filters."),
        ("deals:company-list", {"q": "no such company"}, "No companies match these filters."),
        ("deals:alliance-list", {"year_from": "2099"}, "No alliances match these filters."),
    ],
)
def test_a_valid_filter_matching_nothing_shows_the_empty_message(client, world, url_name, params, empty_message):
    response = client.get(reverse(url_name), params)

    assert response.status_code == 200
    html = response.content.decode()
    assert empty_message in html
    assert INVALID_NOTICE not in html
    assert response.context["page"].paginator.count == 0


@pytest.mark.parametrize(
    ("url_name", "params"),
    [
        ("deals:deal-list", {"announced_after": "2023-13-45"}),
        ("deals:company-list", {"kind": "no-such-kind"}),
        ("deals:alliance-list", {"year_from": "soon"}),
    ],
)
def test_an_unusable_filter_shows_the_notice_and_no_rows(client, world, url_name, params):
    response = client.get(reverse(url_name), params)

    assert response.status_code == 400
    html = response.content.decode()
    assert INVALID_NOTICE in html
    assert "match these filters" not in html
