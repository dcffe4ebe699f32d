"""A source cited on the deal form by pasting its address: the source recorded there is reused, else one is created
with the deal, checked by the rules every path applies to a source."""

import pytest
from django.urls import reverse

from deals.models import Deal, Source
from tests.admin_forms import citation, deal_form, party
from tests.api_world import token_client
from tests.factories import CompanyFactory, SourceFactory
from tests.test_admin_import_export import _upload

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:deals_deal_add")


@pytest.fixture
def parties():
    amazon = CompanyFactory(name="Amazon", slug="amazon")
    anthropic = CompanyFactory(name="Anthropic", slug="anthropic")
    return [party(amazon, "investor"), party(anthropic, "investee")]


def pasted(url: str, supports="general", quote="") -> dict:
    return {"source": "", "source_url": url, "supports": supports, "quote": quote}


def test_a_pasted_address_of_a_recorded_source_cites_that_source(editor_client, parties):
    recorded = SourceFactory(url="https://elpais.com/economia/amazon-anthropic.html", title="Amazon apuesta")

    response = editor_client.post(
        ADD_URL, deal_form(parties=parties, citations=[pasted("HTTPS://ElPais.com/economia/amazon-anthropic.html/")])
    )

    assert response.status_code == 302, response.content.decode()
    assert Deal.objects.get().citations.get().source == recorded
    assert Source.objects.count() == 1


def test_a_new_address_creates_the_source_with_its_host_as_publisher(editor_client, parties):
    response = editor_client.post(
        ADD_URL,
        deal_form(
            parties=parties,
            citations=[pasted("https://www.Reuters.com/technology/amazon-anthropic/?utm_source=x", "amount", "4bn")],
        ),
    )

    assert response.status_code == 302, response.content.decode()
    cited = Deal.objects.get().citations.get()
    assert (cited.source.url, cited.source.publisher, cited.source.title) == (
        "https://www.reuters.com/technology/amazon-anthropic",
        "reuters.com",
        "",
    )
    assert (cited.supports, cited.quote) == ("amount", "4bn")
    assert cited.source.history.get().history_user.username == "erin", "the new source's history names its author"


def test_two_rows_pasting_one_new_address_share_one_new_source(editor_client, parties):
    url = "https://example.org/news/deal"
    response = editor_client.post(
        ADD_URL, deal_form(parties=parties, citations=[pasted(url, "amount"), pasted(url + "/", "stake")])
    )

    assert response.status_code == 302, response.content.decode()
    assert Source.objects.get().url == url
    assert Deal.objects.get().citations.count() == 2


@pytest.mark.parametrize(
    "url",
    ["ftp://example.org/file", "javascript:alert(1)", "file:///etc/passwd", "example.org/no-scheme", "https://"],
)
def test_an_address_that_is_no_web_page_is_a_form_error_and_nothing_is_saved(editor_client, parties, url):
    response = editor_client.post(ADD_URL, deal_form(parties=parties, citations=[pasted(url)]))

    assert response.status_code == 200
    assert "Enter a web address that starts with http:// or https://." in response.content.decode()
    assert not Deal.objects.exists()
    assert not Source.objects.exists()


def test_the_api_refuses_the_same_addresses_with_the_same_message(db, superuser):
    response = token_client(superuser).post(
        "/api/v1/sources/", {"url": "ftp://example.org/file", "title": "t"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["url"] == ["Enter a web address that starts with http:// or https://."]


def test_the_csv_import_of_sources_applies_the_same_rules(editor_client):
    SourceFactory(url="https://example.org/recorded", title="Recorded")
    header = "id,url,title,publisher,published_on,published_precision,language\n"

    page = _upload(editor_client, "source", header + ",ftp://example.org/file,A file,,,day,en\n").content.decode()
    assert "Enter a web address that starts with http:// or https://." in page
    page = _upload(editor_client, "source", header + ",HTTPS://Example.org/recorded/,Again,,,day,en\n").content.decode()
    assert "This article is already recorded as source" in page
    assert Source.objects.count() == 1


def test_a_new_source_is_not_kept_when_the_deal_is_refused(editor_client, parties):
    response = editor_client.post(
        ADD_URL,
        deal_form(parties=parties[:1], citations=[pasted("https://example.org/a-new-article")]),
    )

    assert "A deal needs at least two parties" in response.content.decode()
    assert not Source.objects.exists()


def test_a_row_needs_a_source_chosen_or_pasted(editor_client, parties):
    response = editor_client.post(
        ADD_URL, deal_form(parties=parties, citations=[{"source": "", "supports": "amount", "quote": "4bn"}])
    )

    assert "Choose a source or paste its address." in response.content.decode()
    assert not Deal.objects.exists()


def test_an_address_that_is_not_the_chosen_source_is_refused(editor_client, parties):
    chosen = SourceFactory()
    response = editor_client.post(
        ADD_URL,
        deal_form(parties=parties, citations=[{**citation(chosen), "source_url": "https://example.org/other"}]),
    )

    assert "This address is not the chosen source&#x27;s" in response.content.decode()
    assert not Deal.objects.exists()
    assert Source.objects.count() == 1


def test_the_chosen_source_and_its_own_address_agree(editor_client, parties):
    chosen = SourceFactory(url="https://example.org/same")
    response = editor_client.post(
        ADD_URL, deal_form(parties=parties, citations=[{**citation(chosen), "source_url": "https://example.org/same/"}])
    )

    assert response.status_code == 302
    assert Deal.objects.get().citations.get().source == chosen


def test_the_citation_row_offers_the_address_field_beside_the_autocomplete(editor_client):
    page = editor_client.get(ADD_URL).content.decode()

    assert 'name="citations-0-source_url"' in page
    assert 'data-model-name="citation" data-field-name="source"' in page


def test_one_source_cited_twice_for_one_figure_is_a_form_error(editor_client, parties):
    recorded = SourceFactory(url="https://example.org/recorded", title="Recorded")
    new_twice = [pasted("https://example.org/new"), pasted("https://example.org/new/")]
    recorded_twice = [citation(recorded), pasted("https://example.org/recorded")]
    for rows, message in (
        (new_twice, "“example.org” is cited twice for the same figure: keep one of the two rows."),
        (recorded_twice, "Please correct the duplicate data for source and supports, which must be unique."),
    ):
        response = editor_client.post(ADD_URL, deal_form(parties=parties, citations=rows))

        assert response.status_code == 200
        assert message in response.content.decode()
    assert not Deal.objects.exists()
    assert list(Source.objects.all()) == [recorded]
