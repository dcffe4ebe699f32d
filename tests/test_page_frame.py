"""The frame around every page (header, navigation, language switcher, footer) is kept in the cache by language
and current page: each page still marks its own section, speaks its language and links to itself in the other
language (plain links: a public page sets no cookie). List pages show the same pagination above and below their rows."""

import re

import pytest
from django.test import Client

from tests.factories import CompanyFactory, make_deal

SECTIONS = [
    ("/companies/", "Companies"),
    ("/alliances/", "Alliances"),
    ("/deals/", "Deals"),
    ("/network/", "Network"),
    ("/circular/", "Circular deals"),
    ("/proxy-war/", "Proxy war"),
    ("/charts/", "Charts"),
]


def _current_sections(html: str) -> list[str]:
    nav = html.split('<nav class="site-nav"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'<a href="[^"]+" aria-current="page">([^<]+)</a>', nav)


@pytest.mark.django_db
def test_each_section_marks_itself_current_whatever_was_shown_before(client, world):
    for _round in range(2):
        for url, section in SECTIONS:
            assert _current_sections(client.get(url).content.decode()) == [section], url
    assert _current_sections(client.get("/").content.decode()) == []
    assert _current_sections(client.get("/companies/openai/").content.decode()) == ["Companies"]
    assert _current_sections(client.get("/deals/openai-110b-round/").content.decode()) == ["Deals"]


@pytest.mark.django_db
def test_the_frame_speaks_the_page_language_after_the_other_was_shown(client, world):
    english = client.get("/deals/").content.decode()
    spanish = client.get("/es/deals/").content.decode()
    english_again = client.get("/deals/").content.decode()
    assert '<span class="visually-hidden" id="language-switcher-title">Language</span>' in english
    assert '<span class="visually-hidden" id="language-switcher-title">Idioma</span>' in spanish
    assert _current_sections(spanish) == ["Acuerdos"]
    assert 'href="/es/companies/">Empresas</a>' in spanish and 'href="/companies/">Companies</a>' in english
    assert '<a href="/es/deals/" lang="es" hreflang="es" aria-current="true">Español</a>' in spanish
    assert '<a href="/deals/" lang="en" hreflang="en">English</a>' in spanish
    assert '<a href="/deals/" lang="en" hreflang="en" aria-current="true">English</a>' in english
    assert english_again == english


@pytest.mark.django_db
def test_public_pages_set_no_cookie_and_link_to_themselves_in_each_language(world):
    visitor = Client(enforce_csrf_checks=True)
    response = visitor.get("/alliances/?ordering=-total")
    page = response.content.decode()
    assert not response.cookies and "csrftoken" not in visitor.cookies
    assert "Cookie" not in response.get("Vary", "")
    assert '<a href="/es/alliances/?ordering=-total" lang="es" hreflang="es">Español</a>' in page
    spanish = visitor.get("/es/alliances/?ordering=-total")
    assert spanish.status_code == 200 and spanish["Content-Language"] == "es"


@pytest.mark.django_db
def test_a_list_shows_the_same_pagination_above_and_below_its_rows(client, world):
    html = client.get("/deals/", {"page_size": 2, "page": 2}).content.decode()
    navs = re.findall(r'<nav class="pagination".*?</nav>', html, flags=re.DOTALL)
    assert len(navs) == 2 and navs[0] == navs[1]
    assert 'rel="prev" href="?page_size=2&amp;page=1"' in navs[0]
    assert re.search(r"Showing 3–4 of \d+", navs[0])


@pytest.mark.django_db
def test_the_pagination_follows_the_query_the_language_and_the_total_after_other_pages(client, world):
    """The pagination is kept by language, query and page figures: each of these shows its own."""

    def navs(url, **params):
        html = client.get(url, params).content.decode()
        return re.findall(r'<nav class="pagination".*?</nav>', html, flags=re.DOTALL)[0]

    everything = navs("/deals/", page_size=2, page=2)
    total = int(re.search(r"Showing 3–4 of (\d+)", everything).group(1))
    assert navs("/deals/", page=2, page_size=2) != everything  # the same page, its links in the order asked
    assert 'href="?page=1&amp;page_size=2"' in navs("/deals/", page=2, page_size=2)
    equity = navs("/deals/", kind="equity", page_size=1, page=2)
    assert 'href="?kind=equity&amp;page_size=1&amp;page=1"' in equity
    spanish = navs("/es/deals/", page_size=2, page=2)
    assert f"Mostrando 3–4 de {total}" in spanish and "Página 2 de" in spanish
    assert navs("/deals/", page_size=2, page=2) == everything

    make_deal(CompanyFactory(), CompanyFactory(), slug="one-more")

    assert f"Showing 3–4 of {total + 1}" in navs("/deals/", page_size=2, page=2)


def _token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
