"""The site-wide search page: every kind of record grouped with its count, best first, escaped, in Spanish too."""

import pytest
from django.urls import reverse

from tests.factories import CompanyFactory, make_deal

pytestmark = pytest.mark.django_db

URL = reverse("deals:search")


@pytest.fixture
def market():
    nvidia = CompanyFactory(name="Nvidia", slug="nvidia", aliases="Team Green")
    lab = CompanyFactory(name="<b>Lab</b> & Co", slug="lab")
    deal = make_deal(nvidia, lab, title="Nvidia invests in a lab", slug="nvidia-lab")
    citation = deal.citations.get()
    citation.source.title = "Nvidia's bet on <script>labs</script>"
    citation.source.save()
    return deal


def test_every_group_shows_its_matches_count_and_link_to_its_whole_list(client, market):
    response = client.get(URL, {"q": "nvidia"})
    page = response.content.decode()

    assert response.status_code == 200
    assert '<a href="/companies/nvidia/">Nvidia</a>' in page
    assert '<a href="/deals/nvidia-lab/">Nvidia invests in a lab</a>' in page
    assert "/alliances/lab--nvidia/" in page
    assert "Nvidia&#x27;s bet on &lt;script&gt;labs&lt;/script&gt;" in page
    for group in ("search-companies", "search-deals", "search-alliances", "search-sources"):
        assert f'id="{group}"' in page
    assert page.count('<span class="count">(1)</span>') == 4
    assert 'href="/deals/?q=nvidia"' in page
    assert 'href="/companies/?q=nvidia"' in page
    assert 'href="/alliances/?q=nvidia"' in page


def test_names_are_escaped(client, market):
    page = client.get(URL, {"q": "lab"}).content.decode()
    assert "&lt;b&gt;Lab&lt;/b&gt; &amp; Co" in page
    assert "<b>Lab</b>" not in page
    hostile = client.get(URL, {"q": '"><script>alert(1)</script>'}).content.decode()
    assert "<script>alert(1)</script>" not in hostile
    assert "&quot;&gt;&lt;script&gt;" in hostile


def test_nothing_found_says_so_in_each_group(client, market):
    page = client.get(URL, {"q": "zzzz"}).content.decode()
    assert page.count("Nothing found.") == 4
    assert page.count('<span class="count">(0)</span>') == 4


def test_without_words_the_page_only_offers_the_form(client, market):
    page = client.get(URL).content.decode()
    assert 'id="search-q"' in page
    assert "search-companies" not in page


def test_the_header_and_home_search_boxes_point_at_it(client, market):
    home = client.get(reverse("deals:home")).content.decode()
    assert home.count(f'action="{URL}"') == 2  # the site header's and the home page's own
    assert f'action="{URL}"' in client.get(reverse("deals:deal-list")).content.decode()


def test_in_spanish(client, market):
    page = client.get("/es/search/", {"q": "zzzz"}).content.decode()
    assert "Nada encontrado." in page
    assert "Empresas" in page


def test_a_fixed_number_of_queries(client, market, django_assert_max_num_queries):
    for number in range(12):
        make_deal(CompanyFactory(name=f"Nvidia partner {number}"), CompanyFactory(), title=f"Nvidia deal {number}")
    client.get(URL, {"q": "nvidia"})
    with django_assert_max_num_queries(10):
        assert client.get(URL, {"q": "nvidia"}).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(URL, {"q": "nvidia deal"}).status_code == 200
