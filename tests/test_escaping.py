"""A <script> typed into any field an editor fills in is shown as text on every public page."""

import pytest
from django.template import Context, Template
from django.utils.html import escape

from deals.models import Citation, Company, Deal, Source, Tranche

SCRIPT = '<script>alert("owned")</script>'
ESCAPED = "&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt;"


@pytest.fixture
def hostile(world):
    """Every user-entered text of the world's companies, deals, tranches, sources and citations holds a script."""
    Company.objects.update(description=SCRIPT, legal_form=SCRIPT, aliases=f"{SCRIPT}\nother")
    for company in Company.objects.all():
        company.name = f"{company.name} {SCRIPT}"
        company.save()
    for deal in Deal.objects.all():
        deal.title = f"{deal.title} {SCRIPT}"
        deal.summary = SCRIPT
        deal.amount_as_stated = SCRIPT
        deal.save()
    Tranche.objects.update(label=SCRIPT, condition=SCRIPT)
    Source.objects.update(title=SCRIPT, publisher=SCRIPT)
    Citation.objects.update(quote=SCRIPT)
    return world


PAGES = [
    "/",
    "/companies/",
    "/companies/amazon/",
    "/companies/aws/",
    "/alliances/",
    "/alliances/amazon--openai/",
    "/deals/",
    "/deals/?kind=equity",
    "/deals/?q=%3Cscript%3E",
    "/sources/",
    "/deals/openai-110b-round/",
    "/deals/amazon-invests-in-anthropic/",
    "/es/deals/openai-110b-round/",
]


@pytest.mark.parametrize("url", PAGES)
def test_scripts_are_shown_escaped(client, hostile, url):
    response = client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert SCRIPT not in content
    assert ESCAPED in content


def test_the_search_text_is_echoed_escaped(client, world):
    content = client.get("/deals/", {"q": SCRIPT}).content.decode()
    assert SCRIPT not in content
    assert 'value="&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt;"' in content


def test_an_invalid_value_is_echoed_escaped_in_the_error(client, world):
    content = client.get("/deals/", {"investor": SCRIPT, "kind": SCRIPT}).content.decode()
    assert SCRIPT not in content
    assert "No company with this name or slug: &lt;script&gt;" in content


def test_feeds_escape_what_editors_typed(client, hostile):
    for url in ("/feeds/deals.atom", "/companies/anthropic/feed.atom"):
        content = client.get(url).content.decode()
        assert SCRIPT not in content
        assert "&lt;script&gt;" in content


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://news.example.com/a", "https://news.example.com/a"),
        ("http://news.example.com/a", "http://news.example.com/a"),
        ("javascript:alert(1)", ""),
        ("JavaScript:alert(1)", ""),
        ("data:text/html,<script>", ""),
        ("//evil.example", ""),
        ("", ""),
    ],
)
def test_only_http_links_are_rendered(url, shown):
    # The database refuses other schemes already; the template filter is the second lock.
    assert Template("{% load display %}{{ url|web_link }}").render(Context({"url": url})) == escape(shown)
