"""/sources/ lists the sources published deals cite; /sources/<id>/ shows one with every figure it supports."""

import datetime

import pytest

from deals.core.choices import CitedField
from deals.models import Publication
from tests.factories import CitationFactory, CompanyFactory, SourceFactory, make_deal, saved_as_one_batch

pytestmark = pytest.mark.django_db


@pytest.fixture
def cited():
    report = SourceFactory(
        title="Amazon & <OpenAI> sign",
        publisher="Reuters",
        language="en",
        published_on=datetime.date(2025, 11, 3),
        url="https://reuters.example/amazon-openai",
        archived_url="https://web.archive.org/web/2025/https://reuters.example/amazon-openai",
    )
    spanish = SourceFactory(title="Acuerdo de nube", publisher="El País", language="es")
    first = make_deal(CompanyFactory(slug="amazon"), CompanyFactory(slug="openai"), title="First deal", cite=False)
    second = make_deal(CompanyFactory(slug="msft"), CompanyFactory(slug="lab"), title="Second deal", cite=False)
    draft = make_deal(CompanyFactory(), CompanyFactory(), title="Draft deal", cite=False, published=False)
    CitationFactory(deal=first, source=report, supports=CitedField.AMOUNT, quote="$38 billion")
    CitationFactory(deal=first, source=report, supports=CitedField.PARTIES)
    CitationFactory(deal=second, source=report)
    CitationFactory(deal=draft, source=report, supports=CitedField.STAKE)
    CitationFactory(deal=second, source=spanish)
    hidden = SourceFactory(title="Only a draft cites me")
    CitationFactory(deal=draft, source=hidden)
    return report, spanish, hidden


def rows(response) -> str:
    assert response.status_code == 200, response.content
    return response.content.decode()


def test_the_list_shows_public_sources_with_the_deals_each_supports(client, cited):
    content = rows(client.get("/sources/"))
    assert "Amazon &amp; &lt;OpenAI&gt; sign" in content and "<OpenAI>" not in content
    assert "Acuerdo de nube" in content and "El País" in content
    assert "Only a draft cites me" not in content
    report, spanish, _ = cited
    row = content[content.index(f'/sources/{report.pk}/"') :]
    row = row[: row.index("</tr>")]
    assert "Reuters" in row and "Nov. 3, 2025" in row and '<td data-label="Deals supported" class="num">2</td>' in row


def test_the_list_filters_by_publisher_and_language(client, cited):
    by_publisher = rows(client.get("/sources/", {"publisher": "reuters"}))
    assert "Amazon &amp; &lt;OpenAI&gt; sign" in by_publisher and "Acuerdo de nube" not in by_publisher
    by_language = rows(client.get("/sources/", {"language": "ES"}))
    assert "Acuerdo de nube" in by_language and "Reuters" not in by_language.split("<tbody>")[1]


def test_an_unusable_filter_is_a_400(client, cited):
    response = client.get("/sources/", {"language": "x" * 9})
    assert response.status_code == 400
    assert "Ensure this value has at most 8 characters" in response.content.decode()


def test_the_list_runs_a_fixed_number_of_queries_and_paginates(client, django_assert_max_num_queries):
    with saved_as_one_batch():
        for number in range(30):
            deal = make_deal(CompanyFactory(), CompanyFactory(), cite=False)
            CitationFactory(deal=deal, source=SourceFactory(title=f"Story {number:02}"))
    client.get("/sources/")
    for size in (5, 25):
        with django_assert_max_num_queries(4):
            content = rows(client.get("/sources/", {"page_size": size}))
        assert content.count('<td data-label="Source"><a href="/sources/') == size
    assert "page=2" in rows(client.get("/sources/", {"page_size": 25}))


def test_the_source_page_shows_its_facts_links_and_the_figures_it_supports(client, cited):
    report, _, _ = cited
    content = rows(client.get(f"/sources/{report.pk}/"))
    assert "<h1>Amazon &amp; &lt;OpenAI&gt; sign</h1>" in content
    assert 'href="https://reuters.example/amazon-openai"' in content
    archived = "https://web.archive.org/web/2025/https://reuters.example/amazon-openai"
    assert f'class="archived-link" href="{archived}"' in content
    assert "First deal" in content and "Second deal" in content and "Draft deal" not in content
    assert "Amount" in content and "$38 billion" in content and "Parties" in content and "Stake" not in content


def test_the_source_page_in_spanish(client, cited):
    report, _, _ = cited
    content = rows(client.get(f"/es/sources/{report.pk}/"))
    assert "copia archivada" in content and "Qué respalda" in content


def test_a_source_no_published_deal_cites_has_no_page(client, cited):
    _, _, hidden = cited
    assert client.get(f"/sources/{hidden.pk}/").status_code == 404
    assert client.get("/sources/999999/").status_code == 404


def test_every_citation_on_a_deal_page_links_to_its_source_page(client, cited):
    report, spanish, _ = cited
    content = rows(client.get("/deals/" + report.citations.get(supports=CitedField.AMOUNT).deal.slug + "/"))
    assert content.count(f'class="source-page-link" href="/sources/{report.pk}/"') == 2
    assert 'class="archived-link" href="https://web.archive.org/' in content
    second = rows(client.get("/deals/" + spanish.citations.get().deal.slug + "/"))
    assert f'href="/sources/{spanish.pk}/"' in second and f'href="/sources/{report.pk}/"' in second


def test_unpublishing_hides_the_source_page(client, cited):
    _, spanish, _ = cited
    deal = spanish.citations.get().deal
    deal.publication = Publication.DRAFT
    deal.save()
    assert client.get(f"/sources/{spanish.pk}/").status_code == 404


def test_the_source_page_lists_its_newest_deals_first_and_undated_ones_last(client):
    source = SourceFactory(title="One story, three deals")
    for title, day in [("Undated", None), ("Older", datetime.date(2023, 1, 5)), ("Newer", datetime.date(2025, 3, 1))]:
        deal = make_deal(CompanyFactory(), CompanyFactory(), cite=False, title=title, announced_on=day)
        CitationFactory(deal=deal, source=source)
    page = client.get(f"/sources/{source.pk}/").content.decode()
    assert page.index("Newer") < page.index("Older") < page.index("Undated")
