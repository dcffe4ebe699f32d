"""The home page: headline figures, the latest deals, the largest alliances, a search box."""

from django.urls import reverse

URL = reverse("deals:home")


def test_headline_figures(client, world):
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["company_count"] == 8  # Secret Co is only in a draft
    assert response.context["deal_count"] == 7
    # Committed: 2 + 38 + 10 + 110. Amazon's "up to $4B" is further money, never committed; the TPU deal has no
    # amount (one undisclosed flow); the EUR partnership moves no money between its partners; the draft is left out.
    assert response.context["committed_total"] == 160_000_000_000
    assert response.context["further_total"] == 4_000_000_000
    assert response.context["undisclosed_count"] == 1
    content = response.content.decode()
    assert "$160B" in content
    assert "up to $4B" in content
    assert 'href="/figures/"' in content


def test_deals_in_talks_or_cancelled_add_nothing_to_the_total(client, world):
    world.deals["openai-round"].status = "in_talks"
    world.deals["openai-round"].save()
    world.deals["openai-aws"].status = "cancelled"
    world.deals["openai-aws"].save()
    response = client.get(URL)
    assert response.context["deal_count"] == 7
    assert response.context["committed_total"] == 12_000_000_000
    assert response.context["further_total"] == 4_000_000_000


def test_latest_deals_and_largest_alliances(client, world):
    response = client.get(URL)
    latest = [deal.slug for deal in response.context["latest_deals"]]
    assert latest[:3] == ["openai-110b-round", "openai-aws-expansion", "openai-aws-cloud"]
    assert "secret-investment" not in latest
    largest = [alliance.slug for alliance in response.context["largest_alliances"]]
    assert largest[0] == "amazon--openai"
    content = response.content.decode()
    assert 'href="/alliances/amazon--openai/"' in content
    assert 'href="/deals/openai-110b-round/"' in content


def test_the_search_box_searches_the_whole_site(client, world):
    content = client.get(URL).content.decode()
    assert '<form class="search" action="/search/" method="get" role="search">' in content
    assert 'name="q"' in content


def test_an_empty_site_still_renders(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    assert "No deals have been published yet." in response.content.decode()


def test_the_home_page_runs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    # the content version; money, deal count, company count; latest deals, their parties, largest alliances
    with django_assert_max_num_queries(7):
        client.get(URL)
    # The headline figures are kept under the content version: the next visitor's page reads only the rest.
    with django_assert_max_num_queries(4):
        assert client.get(URL).context["committed_total"] == 160_000_000_000


def test_kept_headline_figures_follow_the_next_save(client, world):
    assert client.get(URL).context["committed_total"] == 160_000_000_000
    world.deals["openai-round"].status = "cancelled"
    world.deals["openai-round"].save()
    assert client.get(URL).context["committed_total"] == 160_000_000_000 - 110_000_000_000
