"""Atom feeds of newly published deals: overall and per company; drafts never appear."""

import datetime
import xml.etree.ElementTree as ET

from django.utils import timezone

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root, root.findall(f"{ATOM}entry")


def test_the_feed_parses_as_atom_and_lists_only_published_deals(client, world):
    root, items = entries(client, "/feeds/deals.atom")
    assert root.find(f"{ATOM}title").text == "Dealsite: newly published deals"
    titles = {entry.find(f"{ATOM}title").text for entry in items}
    assert len(items) == 7
    assert "Secret Co invests in Anthropic" not in titles
    assert "Amazon invests up to $4B in Anthropic" in titles
    links = {entry.find(f"{ATOM}link").get("href") for entry in items}
    assert "http://testserver/deals/amazon-invests-in-anthropic/" in links


def test_the_newest_publication_comes_first(client, world):
    deal = world.deals["amazon-anthropic"]
    deal.published_at = timezone.now() + datetime.timedelta(hours=1)
    deal.save()
    _root, items = entries(client, "/feeds/deals.atom")
    assert items[0].find(f"{ATOM}title").text == deal.title
    assert items[0].find(f"{ATOM}published").text.startswith(str(deal.published_at.year))


def test_a_company_feed_lists_its_published_deals(client, world):
    root, items = entries(client, "/companies/anthropic/feed.atom")
    assert "Anthropic" in root.find(f"{ATOM}title").text
    titles = {entry.find(f"{ATOM}title").text for entry in items}
    assert titles == {
        "Amazon invests up to $4B in Anthropic",
        "Google reportedly backs Anthropic with $2B",
        "Anthropic expands its use of Google Cloud TPUs",
    }


def test_a_feed_of_a_company_known_only_from_drafts_is_404(client, world):
    assert client.get("/companies/secret-co/feed.atom").status_code == 404


def test_the_summary_is_escaped_html(client, world):
    deal = world.deals["amazon-anthropic"]
    deal.summary = "<script>alert('x')</script>"
    deal.save()
    _root, items = entries(client, "/feeds/deals.atom")
    summary = next(e for e in items if e.find(f"{ATOM}title").text == deal.title).find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    assert summary.text == "<p>&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;</p>"
