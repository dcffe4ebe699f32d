"""Finding things, in a real browser, on the seed deals: a company typed by name, the header's search, the API from
the footer and from a page's JSON link, a citation's source page, the network's key and the favicon, and a Spanish
quote on an English page. (Filtering, exporting and switching language are test_visitor_journey.py's; the filters
folding on a phone, test_page_widths.py's.)"""

import json
import re

import pytest
from django.core.management import call_command

from deals.models import Source

pytestmark = pytest.mark.browser


@pytest.fixture
def seeded(transactional_db):
    call_command("load_seed_data", verbosity=0)


def test_a_company_typed_by_its_name_or_alias_filters_and_the_address_keeps_its_slug(live_server, seeded, page):
    page.goto(f"{live_server.url}/deals/")
    page.get_by_label("Investor", exact=True).fill("amazon")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r".*/deals/\?.*investor=amazon(&|$).*"))
    titles = page.locator("table.data-table tbody tr a.deal-title").all_inner_texts()
    assert titles and all("Amazon" in title or "AWS" in title for title in titles)

    page.get_by_label("Provider", exact=True).fill("Amazon Web Services")
    page.get_by_label("Investor", exact=True).fill("")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r".*provider=aws(&|$).*"))
    assert "Amazon+Web+Services" not in page.url
    assert page.get_by_label("Provider", exact=True).input_value() == "aws"
    assert page.locator("table.data-table tbody tr").count() >= 1


def test_the_header_search_finds_a_company_a_deal_and_a_source_grouped_with_counts(live_server, seeded, page):
    page.goto(f"{live_server.url}/alliances/")
    page.get_by_role("search").get_by_label("Search the site").fill("Anthropic")
    page.get_by_role("search").get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/?q=Anthropic")

    counts = {}
    for group in ("Companies", "Deals", "Sources"):
        heading = page.get_by_role("heading", name=re.compile(rf"^{group} \(\d+\)$"))
        assert heading.is_visible(), group
        counts[group] = int(re.search(r"\((\d+)\)", heading.inner_text())[1])
        assert counts[group] >= 1, group
    companies = page.locator("section[aria-labelledby=search-companies] .search-results li")
    assert companies.first.inner_text() == "Anthropic"
    assert page.locator("section[aria-labelledby=search-deals] .search-results li").count() >= 1
    assert page.locator("section[aria-labelledby=search-sources] .search-results li").count() >= 1


def test_the_api_is_found_from_the_footer_and_from_a_pages_json_link(live_server, seeded, page):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"{live_server.url}/")
    page.get_by_role("contentinfo").get_by_role("link", name="API (JSON and CSV)").click()
    page.wait_for_url("**/api/v1/")
    # The browser gets the browsable page: DRF's, with the site's own scripts and styles.
    assert page.get_by_role("heading", name="Api Root").is_visible()
    assert "/api/v1/deals/" in page.get_by_label("response info").inner_text()
    page.get_by_label("response info").locator('a[href$="/api/v1/deals/"]').click()
    page.wait_for_url("**/api/v1/deals/")
    assert page.get_by_role("heading", name="Deal List").is_visible()
    assert page.evaluate("typeof window.jQuery") == "function"
    assert errors == []  # nothing refused by the site's Content-Security-Policy, nothing fetched from elsewhere

    page.goto(f"{live_server.url}/deals/?kind=equity&ordering=-usd")
    shown = page.locator("table.data-table tbody tr a.deal-title").evaluate_all(
        "links => links.map(link => link.getAttribute('href'))"
    )
    alternate = page.locator('head link[rel=alternate][type="application/json"]').get_attribute("href")
    json_link = page.locator(".api-links a", has_text="JSON")
    assert json_link.get_attribute("href") == alternate == "/api/v1/deals/?kind=equity&ordering=-usd"
    response = page.request.get(f"{live_server.url}{alternate}")
    assert response.headers["content-type"] == "application/json"
    assert [f"/deals/{row['slug']}/" for row in json.loads(response.text())["results"]] == shown

    json_link.click()
    page.wait_for_url("**/api/v1/deals/?kind=equity&ordering=-usd")
    assert page.get_by_role("heading", name="Deal List").is_visible()


def test_a_citation_leads_to_its_source_page_with_the_figures_it_supports(live_server, seeded, page):
    source = Source.objects.filter(citations__quote__startswith="Amazon invertirá").get()
    source.archived_url = "https://web.archive.org/web/2023/https://elpais.com/amazon-anthropic"
    source.save()

    page.goto(f"{live_server.url}/deals/amazon-anthropic-4b-2023/")
    page.locator(".citations .source-page-link").first.click()
    page.wait_for_url(f"**/sources/{source.pk}/")
    assert page.locator("h1").inner_text().startswith(source.title)
    supports = page.get_by_role("heading", name="What it supports")
    assert supports.is_visible()
    listed = page.locator(".source-citations > li")
    assert listed.count() >= 1 and "Amazon" in listed.first.inner_text()
    assert page.locator(".source-citations blockquote").count() >= 1
    archived = page.get_by_role("link", name="archived copy")
    assert archived.get_attribute("href") == source.archived_url


def test_the_network_shows_its_key_and_the_site_its_favicon(live_server, seeded, page):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"{live_server.url}/network/")
    page.wait_for_function("document.getElementById('network-graph').cy !== undefined")
    assert page.get_by_role("heading", name="Lines: the main kind of deal").is_visible()
    assert page.get_by_role("heading", name="Points: the kind of company").is_visible()
    lines = page.get_by_role("list").filter(has_text="Equity investment")
    assert lines.locator("li").count() == 11
    assert page.locator("#network-legend svg.swatch-shape").count() == 7

    # The drawing names the largest companies, and no two names overlap.
    boxes = page.evaluate(
        """() => document.getElementById('network-graph').cy.nodes('.named').map(node => {
             const box = node.renderedBoundingBox({includeNodes: false, includeLabels: true});
             return [box.x1, box.y1, box.x2, box.y2];
           })"""
    )
    assert boxes
    for index, (x1, y1, x2, y2) in enumerate(boxes):
        for a1, b1, a2, b2 in boxes[index + 1 :]:
            assert not (x1 < a2 - 1 and a1 < x2 - 1 and y1 < b2 - 1 and b1 < y2 - 1)
    largest = "document.getElementById('network-graph').cy.nodes().max(node => node.data('weight')).ele"
    assert page.evaluate(f"() => {largest}.hasClass('named')")
    # An unnamed company shows its name while the pointer is on it.
    unnamed = page.evaluate(
        """() => {
             const node = document.getElementById('network-graph').cy.nodes(':not(.named)').first();
             const box = document.getElementById('network-graph').getBoundingClientRect();
             const at = node.renderedPosition();
             return node.empty() ? null : {id: node.id(), label: node.data('label'), x: box.x + at.x, y: box.y + at.y};
           }"""
    )
    assert unnamed is not None  # the seed's 15 companies: the 8 largest at most are named
    page.mouse.move(unnamed["x"], unnamed["y"])
    shown = f"document.getElementById('network-graph').cy.getElementById('{unnamed['id']}').style('label')"
    page.wait_for_function(f"() => {shown} === {json.dumps(unnamed['label'])}")
    assert errors == []

    icon = page.locator("head link[rel=icon]").get_attribute("href")
    assert page.request.get(f"{live_server.url}{icon}").status == 200
    favicon = page.request.get(f"{live_server.url}/favicon.ico")
    assert favicon.status == 200 and favicon.headers["content-type"].startswith("image/")


def test_a_spanish_quote_on_an_english_page_says_its_language(live_server, seeded, page):
    page.goto(f"{live_server.url}/deals/amazon-anthropic-4b-2023/")
    quote = page.locator("blockquote", has_text="Amazon invertirá hasta 4.000 millones").first
    assert quote.locator("span[lang=es]").count() == 1
    marker = quote.locator("abbr.lang-marker")
    assert marker.inner_text() == "ES"
    assert marker.get_attribute("title") == "Quoted as published. Language: Spanish"
    assert page.locator("html").get_attribute("lang") == "en"

    page.goto(f"{live_server.url}/es/deals/amazon-anthropic-4b-2023/")
    quote = page.locator("blockquote", has_text="Amazon invertirá hasta 4.000 millones").first
    assert quote.locator("abbr.lang-marker").count() == 0
    assert page.locator("h1 span[lang=en] + abbr.lang-marker").inner_text() == "EN"
