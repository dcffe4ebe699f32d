"""The deal page: parties and shares, every figure with its sources, tranches, related deals; drafts are 404."""

import re

from django.urls import reverse

from tests.factories import CitationFactory, SourceFactory


def page(client, world, key):
    response = client.get(world.deals[key].get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def figure(content, label):
    """The HTML of the figure box whose label is `label`."""
    match = re.search(rf'<div class="deal-figure">\s*<dt>{re.escape(label)}</dt>(.*?)</dd>\s*</div>', content, re.S)
    assert match, f"no figure {label!r}"
    return match.group(1)


def test_a_draft_is_404(client, world):
    assert client.get(world.deals["draft"].get_absolute_url()).status_code == 404
    assert client.get(reverse("deals:deal-detail", kwargs={"slug": "no-such-deal"})).status_code == 404


def test_parties_with_roles_and_shares(client, world):
    content = page(client, world, "openai-round")
    row = r'href="/companies/{}/">{}</a></td>\s*<td[^>]*>{}</td>\s*<td[^>]*>{}</td>'
    assert re.search(row.format("amazon", "Amazon", "Investor", r"\$50B"), content)
    assert re.search(row.format("openai", "OpenAI", "Investee", "—"), content)


def test_the_amount_as_stated_and_its_sources(client, world):
    amount = figure(page(client, world, "amazon-anthropic"), "Amount")
    assert "up to $4B" in amount
    assert "Report on Amazon invests up to $4B in Anthropic" in amount


def test_a_foreign_currency_shows_its_dollar_equivalent(client, world):
    amount = figure(page(client, world, "softbank-openai-eur"), "Amount")
    assert "€1B" in amount and "≈ $1.1B in US dollars" in amount


def test_each_figure_lists_the_citations_that_support_it(client, world):
    content = page(client, world, "openai-round")
    for label, value in [
        ("Amount", "$110B"),
        ("Implied valuation", "$730B"),
        ("Compute capacity", "2 GW"),
    ]:
        box = figure(content, label)
        assert value in box
        assert 'rel="noopener noreferrer"' in box
    stake = figure(page(client, world, "google-anthropic"), "Stake acquired")
    assert "about 10%" in stake and "Report on Google" in stake
    duration = figure(page(client, world, "openai-aws"), "Duration")
    assert "7 years" in duration and "Report on OpenAI signs" in duration


def test_a_figure_without_a_citation_shows_no_sources(client, world):
    date = figure(page(client, world, "openai-round"), "Announced")
    assert "February 2026" in date
    assert "citations" not in date


def test_a_cited_figure_without_a_value_still_shows_its_sources(client, world):
    CitationFactory(deal=world.deals["openai-aws"], supports="stake", source=SourceFactory(title="Stake rumour"))
    stake = figure(page(client, world, "openai-aws"), "Stake acquired")
    assert "—" in stake and "Stake rumour" in stake


def test_citation_links_are_http_and_open_safely(client, world):
    content = page(client, world, "amazon-anthropic")
    links = re.findall(r'<a href="([^"]+)" rel="noopener noreferrer" target="_blank">Report on', content)
    assert links and all(link.startswith("https://news.example.com/") for link in links)


def test_a_source_without_link_shows_title_publisher_and_date_but_no_anchor(client, world):
    source = SourceFactory(url="", title="Printed interview", publisher="El Diario")
    CitationFactory(deal=world.deals["openai-aws"], source=source, supports="general", quote="Un acuerdo histórico")
    content = page(client, world, "openai-aws")
    assert '<span class="source-title">Printed interview</span>' in content
    assert "no link available" in content
    assert "El Diario, Jan. 15, 2024" in content
    assert "Un acuerdo histórico" in content
    assert '<a href="">' not in content


def test_tranches(client, world):
    content = page(client, world, "openai-round")
    assert "initial" in content and "$15B" in content
    assert "later" in content and "$35B" in content and "on conditions" in content


def test_related_deals_read_both_ways(client, world):
    assert "This deal is expanded by" in page(client, world, "openai-aws")
    assert 'href="/deals/openai-aws-expansion/"' in page(client, world, "openai-aws")
    assert "This deal expands" in page(client, world, "openai-aws-expansion")


def test_a_related_draft_is_not_shown(client, world):
    world.deals["openai-aws-expansion"].publication = "draft"
    world.deals["openai-aws-expansion"].save()
    assert "openai-aws-expansion" not in page(client, world, "openai-aws")


def test_last_updated_is_shown(client, world):
    assert "Last updated" in page(client, world, "openai-aws")


def test_the_page_runs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    # deal, parties, tranches, warrants and options, citations with sources, relations out, relations in
    with django_assert_max_num_queries(7):
        client.get(world.deals["openai-round"].get_absolute_url())
