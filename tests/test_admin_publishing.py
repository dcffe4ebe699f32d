"""Draft → published in the admin: the bulk actions and who may use them."""

from django.urls import reverse

from deals.models import Publication
from tests.factories import CompanyFactory, make_deal

CHANGELIST = reverse("admin:deals_deal_changelist")


def _pair():
    return CompanyFactory(name="Amazon"), CompanyFactory(name="Anthropic")


def test_bulk_publish_publishes_sourced_deals_and_names_the_refused_ones(publisher_client):
    amazon, anthropic = _pair()
    sourced = make_deal(amazon, anthropic, published=False, title="Sourced deal")
    unsourced = make_deal(amazon, anthropic, published=False, cite=False, title="Unsourced deal")

    response = publisher_client.post(
        CHANGELIST, {"action": "publish_selected", "_selected_action": [sourced.pk, unsourced.pk]}, follow=True
    )

    page = response.content.decode()
    assert "1 deal changed: Sourced deal." in page
    assert "1 deal not published because it cites no source: Unsourced deal." in page
    sourced.refresh_from_db()
    unsourced.refresh_from_db()
    assert sourced.publication == Publication.PUBLISHED
    assert sourced.published_at is not None
    assert unsourced.publication == Publication.DRAFT


def test_bulk_unpublish(publisher_client):
    amazon, anthropic = _pair()
    deal = make_deal(amazon, anthropic, title="Public deal")

    response = publisher_client.post(
        CHANGELIST, {"action": "unpublish_selected", "_selected_action": [deal.pk]}, follow=True
    )

    assert "1 deal changed: Public deal." in response.content.decode()
    deal.refresh_from_db()
    assert deal.publication == Publication.DRAFT


def test_an_editor_without_the_publish_permission_has_no_publish_actions(editor_client):
    amazon, anthropic = _pair()
    deal = make_deal(amazon, anthropic, published=False)

    page = editor_client.get(CHANGELIST).content.decode()
    assert "publish_selected" not in page

    editor_client.post(CHANGELIST, {"action": "publish_selected", "_selected_action": [deal.pk]})
    deal.refresh_from_db()
    assert deal.publication == Publication.DRAFT


def test_the_list_shows_the_citation_count_and_filters(publisher_client):
    amazon, anthropic = _pair()
    make_deal(amazon, anthropic, title="Twice cited deal")
    make_deal(amazon, anthropic, title="Uncited deal", published=False, cite=False)

    page = publisher_client.get(CHANGELIST).content.decode()
    assert '<td class="field-citation_count">1</td>' in page
    assert '<td class="field-citation_count">0</td>' in page
    for filter_title in ("By kind", "By status", "By year announced", "By has a citation", "By company"):
        assert filter_title in page

    uncited = publisher_client.get(CHANGELIST, {"cited": "no"}).content.decode()
    assert "Uncited deal" in uncited
    assert "Twice cited deal" not in uncited


def test_search_covers_titles_party_names_and_source_titles(publisher_client):
    amazon, anthropic = _pair()
    google = CompanyFactory(name="Googleplex")
    deal = make_deal(google, anthropic, title="Cloud money")
    source = deal.citations.get().source
    source.title = "Proxy war heats up"
    source.save()
    make_deal(amazon, anthropic, title="Other deal")

    for term in ("Cloud money", "Googleplex", "Proxy war"):
        page = publisher_client.get(CHANGELIST, {"q": term}).content.decode()
        assert "Cloud money" in page, term
        assert "Other deal" not in page, term


def test_view_on_site_only_for_published_deals(publisher_client):
    amazon, anthropic = _pair()
    public = make_deal(amazon, anthropic)
    draft = make_deal(amazon, anthropic, published=False)

    public_page = publisher_client.get(reverse("admin:deals_deal_change", args=[public.pk])).content.decode()
    draft_page = publisher_client.get(reverse("admin:deals_deal_change", args=[draft.pk])).content.decode()

    assert public.get_absolute_url() in public_page
    assert "View on site" in public_page
    assert "View on site" not in draft_page
