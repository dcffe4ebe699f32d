"""Text in another language than the page's says so (deals.templatetags.languages): a Spanish source's title and
quotes carry lang="es" and an "ES" marker on English pages; what editors wrote (in English) carries lang="en"
and an "EN" marker, "not translated", on Spanish pages; text in the page's own language is left alone."""

import re

import pytest

from deals.core.choices import CitedField
from tests.factories import CitationFactory, CompanyFactory, SourceFactory, make_deal

pytestmark = pytest.mark.django_db

TITLE = "Amazon apuesta por la inteligencia artificial"
QUOTE = "Amazon invertirá hasta 4.000 millones de dólares"


@pytest.fixture
def cited():
    amazon = CompanyFactory(name="Amazon", slug="amazon", description="An online retailer & cloud provider.")
    anthropic = CompanyFactory(name="Anthropic", slug="anthropic")
    deal = make_deal(
        amazon,
        anthropic,
        cite=False,
        published=False,
        slug="amazon-anthropic",
        title="Amazon invests <up to> $4B in Anthropic",
        summary="First paragraph.\n\nSecond paragraph.",
    )
    spanish = SourceFactory(title=TITLE, language="ES", publisher="El País")
    english = SourceFactory(title="Amazon bets on Anthropic", language="en")
    untitled = SourceFactory(title="", language="es", publisher="Expansión")
    CitationFactory(deal=deal, source=spanish, supports=CitedField.AMOUNT, quote=QUOTE)
    CitationFactory(deal=deal, source=english, supports=CitedField.GENERAL, quote="Amazon will invest up to $4B")
    CitationFactory(deal=deal, source=untitled, supports=CitedField.GENERAL)
    deal.publication = "published"
    deal.save()
    return deal, spanish, english, untitled


def _marked(html: str, lang: str, text: str) -> bool:
    return re.search(rf'<span lang="{lang}">{re.escape(text)}[^<]*</span> <abbr class="lang-marker"', html) is not None


def test_a_spanish_quote_and_title_on_an_english_deal_page_say_so(client, cited):
    deal, *_ = cited
    html = client.get(deal.get_absolute_url()).content.decode()

    assert _marked(html, "es", TITLE) and _marked(html, "es", QUOTE)
    assert 'title="Quoted as published. Language: Spanish">ES</abbr>' in html
    # English text on an English page, and a source named by its publisher, are left as they are.
    assert "<blockquote>Amazon will invest up to $4B</blockquote>" in html
    assert '<span lang="en">' not in html
    assert '<span lang="es">Expansión' not in html


def test_on_the_spanish_page_the_spanish_quote_is_plain_and_the_english_text_is_marked_untranslated(client, cited):
    deal, *_ = cited
    html = client.get(f"/es{deal.get_absolute_url()}").content.decode()

    assert f"<blockquote>{QUOTE}</blockquote>" in html
    assert _marked(html, "en", "Amazon bets on Anthropic")
    assert _marked(html, "en", "Amazon will invest up to $4B")
    assert '<h1><span lang="en">Amazon invests &lt;up to&gt; $4B in Anthropic</span>' in html
    assert '<div lang="en"><p>First paragraph.</p>\n\n<p>Second paragraph.</p></div> <abbr' in html
    assert 'title="Sin traducir. Idioma: Inglés">EN</abbr>' in html


def test_the_source_page_list_and_search_mark_a_spanish_title(client, cited):
    _, spanish, _, _ = cited

    for address in (f"/sources/{spanish.pk}/", "/sources/", "/search/?q=apuesta"):
        html = client.get(address).content.decode()
        assert _marked(html, "es", TITLE), address
    assert _marked(client.get(f"/sources/{spanish.pk}/").content.decode(), "es", QUOTE)


def test_the_company_description_is_marked_untranslated_on_the_spanish_page(client, cited):
    english = client.get("/companies/amazon/").content.decode()
    spanish = client.get("/es/companies/amazon/").content.decode()

    assert '<p class="lead">An online retailer &amp; cloud provider.</p>' in english
    assert '<p class="lead"><span lang="en">An online retailer &amp; cloud provider.</span> <abbr' in spanish


def test_a_language_that_is_not_a_language_tag_gets_no_marker(client, cited):
    deal, spanish, *_ = cited
    spanish.language = '"><b>es'
    spanish.save()

    html = client.get(deal.get_absolute_url()).content.decode()

    assert '"><b>' not in html
    assert f"<blockquote>{QUOTE}</blockquote>" in html


def test_the_spanish_feed_says_the_summary_is_not_translated(client, cited):
    english = client.get("/feeds/deals.atom").content.decode()
    spanish = client.get("/es/feeds/deals.atom").content.decode()

    assert "&lt;p&gt;First paragraph.&lt;/p&gt;" in english and "lang-marker" not in english
    assert '&lt;div lang="en"&gt;&lt;p&gt;First paragraph.&lt;/p&gt;' in spanish
    assert 'title="Sin traducir. Idioma: Inglés"&gt;EN&lt;/abbr&gt;' in spanish


def test_spanish_lists_say_once_that_titles_are_not_translated(client, cited):
    for address in ("/es/deals/", "/es/companies/", "/es/alliances/", "/es/sources/"):
        html = client.get(address).content.decode()
        assert html.count('class="small muted untranslated-notice"') == 1, address
        assert "sin traducir" in html, address
    assert "untranslated-notice" not in client.get("/deals/").content.decode()
