"""A deal in one screen: the errors listed at the top of the form with links to their fields, the message after
saving saying where the deal can be seen, and the deal list's title and parties columns."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from deals.admin.where_to_see import where_to_see
from deals.models import Deal, Publication
from tests.admin_forms import citation, deal_form, party
from tests.factories import CompanyFactory, DealFactory, PartyFactory, SourceFactory, make_deal

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:deals_deal_add")
CHANGELIST = reverse("admin:deals_deal_changelist")


@pytest.fixture
def companies():
    return CompanyFactory(name="Microsoft", slug="microsoft"), CompanyFactory(name="OpenAI", slug="openai")


def error_list(response) -> list[tuple[str, str]]:
    """The (link target, text) of each entry of the error list at the top of the form."""
    assert response.status_code == 200
    page = response.content.decode()
    summary = re.search(r'<nav class="errornote error-summary".*?</nav>', page, re.S)
    assert summary, "the form lists its errors at the top"
    return re.findall(r'<li>(?:<a href="#([^"]*)">)?(.*?)(?:</a>)?</li>', summary.group())


def test_the_errors_are_listed_at_the_top_with_links_to_their_fields(editor_client, companies):
    microsoft, _openai = companies
    data = deal_form(
        title="",
        parties=[party(microsoft, "investor"), {**party(microsoft, "investee"), "company": ""}],
        citations=[{"source": "", "source_url": "ftp://example.org/a", "supports": "general", "quote": ""}],
    )

    errors = error_list(editor_client.post(ADD_URL, data))

    assert errors == [
        ("id_title", "Title: This field is required."),
        ("id_parties-1-company", "Parties, row 2, company: This field is required."),
        (
            "id_citations-0-source_url",
            "Citations, row 1, or paste its address: Enter a web address that starts with http:// or https://.",
        ),
    ]
    page = editor_client.post(ADD_URL, data).content.decode()
    assert 'id="id_parties-1-company"' in page and 'id="id_title"' in page, "each link leads to a field"
    assert page.count('<ul class="errorlist') >= 3, "Django's own messages beside the fields stay"
    assert not Deal.objects.exists()


def test_an_inline_s_own_errors_link_to_the_inline(editor_client, companies):
    microsoft, _openai = companies
    errors = error_list(editor_client.post(ADD_URL, deal_form(parties=[party(microsoft, "partner")])))

    assert errors == [
        ("parties-group", "Parties: A deal needs at least two parties (two different companies)."),
    ]


def test_the_error_list_escapes_what_was_typed(editor_client, companies):
    microsoft, openai = companies
    response = editor_client.post(
        ADD_URL,
        deal_form(
            parties=[party(microsoft, "investor"), party(openai, "investee")], amount="<b>lots</b>", amount_as_stated=""
        ),
    )

    (summary,) = [text for _anchor, text in error_list(response) if text.startswith("Amount")]
    assert "<b>" not in summary


def test_a_form_without_errors_has_no_error_list(editor_client):
    assert 'id="error-summary"' not in editor_client.get(ADD_URL).content.decode()


def test_the_company_and_source_forms_list_their_errors_too(editor_client):
    company = error_list(editor_client.post(reverse("admin:deals_company_add"), {"name": "", "slug": ""}))
    source = error_list(editor_client.post(reverse("admin:deals_source_add"), {"url": "ftp://x.org/"}))

    assert ("id_name", "Name: This field is required.") in company
    assert ("id_url", "URL: Enter a web address that starts with http:// or https://.") in source


def test_saving_a_draft_says_so_and_links_to_the_review_queue(editor_client, companies):
    microsoft, openai = companies
    data = deal_form(
        title="Microsoft <i>invests</i> in OpenAI",
        parties=[party(microsoft, "investor"), party(openai, "investee")],
        citations=[citation(SourceFactory())],
    )

    page = editor_client.post(ADD_URL, data, follow=True).content.decode()

    deal = Deal.objects.get()
    assert (
        "“Microsoft &lt;i&gt;invests&lt;/i&gt; in OpenAI” is a draft: visitors see it once a publisher publishes it. "
        f'<a href="/admin/deals/deal/review/#review-{deal.pk}">See it in the review queue</a>.'
    ) in page
    assert "<i>invests</i>" not in page


def test_saving_a_published_deal_links_to_its_public_page(publisher_client, companies):
    microsoft, openai = companies
    data = deal_form(
        publication="published",
        parties=[party(microsoft, "investor"), party(openai, "investee")],
        citations=[citation(SourceFactory())],
    )

    page = publisher_client.post(ADD_URL, data, follow=True).content.decode()

    deal = Deal.objects.get(publication=Publication.PUBLISHED)
    link = f'<a href="{deal.get_absolute_url()}">see its public page</a>'
    assert f"“Amazon invests in Anthropic” is published: {link}." in page
    assert publisher_client.get(deal.get_absolute_url()).status_code == 200


def test_the_message_is_translated(companies):
    draft = make_deal(*companies, published=False, title="Microsoft invierte en OpenAI")

    with translation.override("es"):
        message = where_to_see(draft)

    assert message.startswith("«Microsoft invierte en OpenAI» es un borrador")


def test_the_deal_list_shows_titles_and_parties_by_role(editor_client):
    microsoft, openai = CompanyFactory(name="Microsoft"), CompanyFactory(name="OpenAI")
    nvidia = CompanyFactory(name="Nvidia")
    make_deal(microsoft, openai, title="Microsoft invests in OpenAI")
    round_ = make_deal(nvidia, openai, title="OpenAI raises a round")
    round_.parties.create(company=microsoft, role="lead_investor")
    partnership = DealFactory(kind="partnership", title="Nvidia and OpenAI partner")
    PartyFactory(deal=partnership, company=nvidia, role="partner")
    PartyFactory(deal=partnership, company=openai, role="partner")

    page = editor_client.get(CHANGELIST).content.decode()

    assert "column-title" in page and 'class="column-parties_display"' in page
    assert '<td class="field-parties_display">Microsoft → OpenAI</td>' in page
    assert '<td class="field-parties_display">Microsoft, Nvidia → OpenAI</td>' in page, "the lead investor first"
    assert '<td class="field-parties_display">Nvidia ↔ OpenAI</td>' in page
    assert ">Microsoft invests in OpenAI</a>" in page


def test_the_deal_list_runs_the_same_queries_whatever_the_page_size(editor_client, django_assert_max_num_queries):
    companies = [CompanyFactory() for _ in range(6)]
    for index in range(3):
        make_deal(companies[index], companies[index + 1])
    with django_assert_max_num_queries(12) as few:
        assert editor_client.get(CHANGELIST).status_code == 200
    for index in range(40):
        make_deal(companies[index % 6], companies[(index + 1) % 6])
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = editor_client.get(CHANGELIST).content.decode()
    assert page.count('<td class="field-parties_display">') == 43
