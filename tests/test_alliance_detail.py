"""The alliance page: its deals in date order with totals; the other order of the slugs redirects."""

import datetime

from django.urls import reverse


def test_the_page_lists_the_deals_oldest_first_with_totals(client, world):
    response = client.get("/alliances/amazon--openai/")
    assert response.status_code == 200
    assert [deal.slug for deal in response.context["deals"]] == [
        "openai-aws-cloud",
        "openai-aws-expansion",
        "openai-110b-round",
    ]
    content = response.content.decode()
    assert "$98B" in content
    assert "November 2025" in content  # first deal
    assert "February 2026" in content  # latest deal
    assert 'href="/companies/amazon/"' in content and 'href="/companies/openai/"' in content


def test_the_other_order_redirects_permanently(client, world):
    response = client.get("/alliances/openai--amazon/")
    assert response.status_code == 301
    assert response["Location"] == "/alliances/amazon--openai/"


def test_the_other_order_redirects_in_spanish_too(client, world):
    response = client.get("/es/alliances/openai--amazon/")
    assert response.status_code == 301
    assert response["Location"] == "/es/alliances/amazon--openai/"


def test_the_url_is_built_from_the_alliance(client, world):
    alliance = client.get("/alliances/").context["page"].object_list[0]
    assert alliance.get_absolute_url() == reverse(
        "deals:alliance-detail", kwargs={"slug_a": alliance.company_a.slug, "slug_b": alliance.company_b.slug}
    )


def test_a_pair_without_published_deals_is_404(client, world):
    assert client.get("/alliances/anthropic--secret-co/").status_code == 404
    assert client.get("/alliances/amazon--google/").status_code == 404
    assert client.get("/alliances/amazon--amazon/").status_code == 404


def test_a_subsidiary_slug_is_not_an_alliance_address(client, world):
    assert client.get("/alliances/aws--openai/").status_code == 404


def test_a_long_alliance_lists_its_deals_a_page_at_a_time(client, db, monkeypatch):
    from tests.money_world import company, invests

    amazon, lab = company("amazon-pages"), company("lab-pages")
    for number in range(3):
        invests(amazon, lab, number + 1, title=f"Round {number + 1}", on=datetime.date(2024, number + 1, 1))
    monkeypatch.setattr("deals.web.views.alliances.DEALS_PER_PAGE", 2)
    first = client.get("/alliances/amazon-pages--lab-pages/").content.decode()
    assert "Round 1" in first and "Round 2" in first and "Round 3" not in first
    assert "?page=2" in first
    second = client.get("/alliances/amazon-pages--lab-pages/?page=2").content.decode()
    assert "Round 3" in second and "Round 1" not in second
