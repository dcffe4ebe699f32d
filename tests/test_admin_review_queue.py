"""The review queue: drafts waiting for a publisher, what changed since their last published version, and one click
to publish what was reviewed."""

from decimal import Decimal

from django.urls import reverse

from deals.models import Deal, Publication, Role
from tests.factories import CompanyFactory, PartyFactory, make_deal

QUEUE = reverse("admin:deals_deal_review")


def _edited_after_publishing(title="Amazon invests in Anthropic", suffix=""):
    amazon, anthropic, google = (CompanyFactory(name=name + suffix) for name in ("Amazon", "Anthropic", "Google"))
    deal = make_deal(amazon, anthropic, title=title, amount=Decimal("4000000000"))
    deal.publication = Publication.DRAFT
    deal.save()
    deal.amount = Decimal("8000000000")
    deal.save()
    PartyFactory(deal=deal, company=google, role=Role.INVESTOR)
    deal.parties.get(company=amazon).delete()
    return Deal.objects.get(pk=deal.pk)


def test_a_draft_shows_what_changed_since_it_was_last_published(publisher_client):
    deal = _edited_after_publishing()

    page = publisher_client.get(QUEUE).content.decode()

    assert "1 draft is waiting for a publisher." in page
    assert deal.title in page
    assert "Last published: " in page
    assert ".m.." not in page  # a time ending in "a.m."/"p.m." is not followed by another full stop
    assert "<del>4,000,000,000</del>" in page and "<ins>8,000,000,000</ins>" in page
    assert "Parties added" in page and "<ins>Google · Investor" in page
    assert "Parties removed" in page and "<del>Amazon · Investor" in page
    assert "Anthropic" not in page.split("Parties added")[1].split("</ul>")[0]  # unchanged parties are not listed


def test_a_new_draft_says_it_was_never_published_and_lists_its_parties(publisher_client):
    make_deal(CompanyFactory(name="Nvidia"), CompanyFactory(name="xAI"), published=False, title="Nvidia in xAI")

    page = publisher_client.get(QUEUE).content.decode()

    assert "Nvidia in xAI" in page
    assert "New: never published." in page
    assert "<ins>Nvidia · Investor" in page and "<ins>xAI · Investee" in page


def test_publishing_from_the_queue_publishes_the_reviewed_version_and_links_to_its_page(publisher_client):
    deal = _edited_after_publishing()

    response = publisher_client.post(QUEUE, {"deal": deal.pk, "version": deal.version}, follow=True)

    deal.refresh_from_db()
    assert deal.publication == Publication.PUBLISHED
    page = response.content.decode()
    assert f'Published: <a href="{deal.get_absolute_url()}">{deal.title}</a>' in page
    assert "No draft is waiting." in page


def test_a_draft_changed_after_the_queue_was_loaded_is_not_published(publisher_client):
    deal = _edited_after_publishing()
    reviewed = deal.version
    deal.summary = "Changed by someone else meanwhile."
    deal.save()

    page = publisher_client.post(QUEUE, {"deal": deal.pk, "version": reviewed}, follow=True).content.decode()

    deal.refresh_from_db()
    assert deal.publication == Publication.DRAFT
    assert "changed after you loaded the queue" in page


def test_an_unsourced_draft_is_refused_with_the_reason(publisher_client):
    deal = make_deal(CompanyFactory(), CompanyFactory(), published=False, cite=False, title="Unsourced")

    page = publisher_client.post(QUEUE, {"deal": deal.pk, "version": deal.version}, follow=True).content.decode()

    assert "not published because it cites no source: Unsourced." in page
    deal.refresh_from_db()
    assert deal.publication == Publication.DRAFT


def test_editors_review_but_cannot_publish(editor_client):
    deal = _edited_after_publishing()

    page = editor_client.get(QUEUE).content.decode()
    assert deal.title in page and "Only publishers can publish them" in page
    assert 'value="Publish"' not in page

    assert editor_client.post(QUEUE, {"deal": deal.pk, "version": deal.version}).status_code == 403
    deal.refresh_from_db()
    assert deal.publication == Publication.DRAFT


def test_bad_posts_are_answered_with_a_message_never_an_error(publisher_client):
    deal = _edited_after_publishing()
    for data in ({}, {"deal": "abc", "version": "1"}, {"deal": deal.pk, "version": "x"}, {"deal": 10**9, "version": 1}):
        response = publisher_client.post(QUEUE, data, follow=True)
        assert response.status_code == 200
        assert "no longer waiting" in response.content.decode()


def test_titles_are_escaped(publisher_client):
    make_deal(CompanyFactory(), CompanyFactory(), published=False, title="<script>alert(1)</script>")
    page = publisher_client.get(QUEUE).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_queue_reads_a_fixed_number_of_queries(publisher_client, django_assert_max_num_queries):
    _edited_after_publishing("First", " 1")
    with django_assert_max_num_queries(40) as few:
        publisher_client.get(QUEUE)
    for number in range(6):
        _edited_after_publishing(f"Deal {number}", f" {number + 2}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = publisher_client.get(QUEUE).content.decode()
    assert "7 drafts are waiting for a publisher." in page


def test_the_deal_list_links_to_the_queue(publisher_client):
    page = publisher_client.get(reverse("admin:deals_deal_changelist")).content.decode()
    assert f'href="{QUEUE}"' in page and "Review queue" in page
