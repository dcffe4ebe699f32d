"""A source is public while a published deal cites it: the stored mark follows publishing, unpublishing,
deleting deals and adding, moving or removing citations, and the API lists exactly the public sources."""

import pytest

from deals.models import Citation, Publication, Source
from tests.factories import CitationFactory, CompanyFactory, SourceFactory, make_deal

pytestmark = pytest.mark.django_db


def listed(client) -> set[str]:
    response = client.get("/api/v1/sources/", {"page_size": 100})
    assert response.status_code == 200
    return {row["title"] for row in response.json()["results"]}


def cited_publicly(source) -> bool:
    return Source.objects.get(pk=source.pk).cited_publicly


@pytest.fixture
def deal():
    return make_deal(CompanyFactory(), CompanyFactory(), published=False, cite=False)


@pytest.fixture
def source():
    return SourceFactory(title="Filing 10-K")


def publish(deal, publication=Publication.PUBLISHED):
    deal.publication = publication
    deal.save()


def test_a_source_cited_only_by_a_draft_is_not_listed(client, deal, source):
    CitationFactory(deal=deal, source=source)
    assert not cited_publicly(source)
    assert "Filing 10-K" not in listed(client)


def test_publishing_and_unpublishing_the_deal_shows_and_hides_its_sources(client, deal, source):
    CitationFactory(deal=deal, source=source)
    publish(deal)
    assert cited_publicly(source)
    assert "Filing 10-K" in listed(client)

    publish(deal, Publication.DRAFT)
    assert not cited_publicly(source)
    assert "Filing 10-K" not in listed(client)


def test_citing_from_a_published_deal_shows_the_source_and_removing_it_hides_it(client, source):
    deal = make_deal(CompanyFactory(), CompanyFactory())
    citation = CitationFactory(deal=deal, source=source)
    assert "Filing 10-K" in listed(client)

    citation.delete()
    assert not cited_publicly(source)
    assert "Filing 10-K" not in listed(client)


def test_moving_a_citation_to_another_source_updates_both(client, source):
    deal = make_deal(CompanyFactory(), CompanyFactory())
    citation = CitationFactory(deal=deal, source=source)
    other = SourceFactory(title="Press release")

    citation.source = other
    citation.save()

    assert not cited_publicly(source) and cited_publicly(other)
    assert {"Press release"} <= listed(client) and "Filing 10-K" not in listed(client)


def test_deleting_the_deal_hides_sources_no_other_published_deal_cites(client, source):
    first = make_deal(CompanyFactory(), CompanyFactory())
    second = make_deal(CompanyFactory(), CompanyFactory())
    shared = SourceFactory(title="Shared report")
    CitationFactory(deal=first, source=source)
    CitationFactory(deal=first, source=shared)
    CitationFactory(deal=second, source=shared)

    first.delete()

    assert not cited_publicly(source)
    assert cited_publicly(shared)
    assert "Shared report" in listed(client) and "Filing 10-K" not in listed(client)


def test_citations_replaced_through_the_api_follow(admin_client, source):
    deal = make_deal(CompanyFactory(), CompanyFactory())
    other = SourceFactory(title="Press release")
    CitationFactory(deal=deal, source=source)

    response = admin_client.patch(
        f"/api/v1/deals/{deal.slug}/",
        {"citations": [{"source_id": other.pk, "supports": "general", "quote": ""}]},
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    assert Citation.objects.filter(deal=deal).count() == 1
    assert cited_publicly(other) and not cited_publicly(source)
