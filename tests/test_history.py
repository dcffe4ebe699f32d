"""Who changed what and when, and restoring an earlier version from the admin."""

import re

from django.urls import reverse

from deals.models import Deal, Publication
from tests.admin_forms import DEAL_FIELDS, deal_form, party
from tests.factories import CompanyFactory, make_deal


def _add_deal(client, amazon, anthropic, **fields):
    client.post(
        reverse("admin:deals_deal_add"),
        deal_form(parties=[party(amazon, "investor"), party(anthropic, "investee")], **fields),
    )
    return Deal.objects.get()


def _change_data(deal, **fields):
    parties = list(deal.parties.order_by("pk"))
    data = deal_form(
        parties=[{**party(p.company, p.role), "id": p.pk, "deal": deal.pk} for p in parties],
        initial={"parties": len(parties)},
        **fields,
    )
    return data


def test_a_change_is_recorded_with_its_author_and_can_be_restored(editor_client, editor):
    amazon, anthropic = CompanyFactory(name="Amazon"), CompanyFactory(name="Anthropic")
    deal = _add_deal(editor_client, amazon, anthropic, title="Original title")
    editor_client.post(
        reverse("admin:deals_deal_change", args=[deal.pk]), _change_data(deal, title="Wrong title", amount="1")
    )
    deal.refresh_from_db()
    assert deal.title == "Wrong title"

    history_page = editor_client.get(reverse("admin:deals_deal_history", args=[deal.pk])).content.decode()
    assert "Wrong title" in history_page and "Original title" in history_page
    assert editor.username in history_page

    original = deal.history.earliest()
    assert original.history_user == editor
    revert_url = reverse("admin:deals_deal_simple_history", args=[deal.pk, original.history_id])
    form_page = editor_client.get(revert_url).content.decode()
    assert 'value="Original title"' in form_page

    version = re.search(r'name="version" value="(\d+)"', form_page).group(1)
    editor_client.post(revert_url, _change_data(deal, title="Original title", amount="4000000000", version=version))

    deal.refresh_from_db()
    assert deal.title == "Original title"
    assert deal.history.count() == 3


def test_party_changes_are_in_history_too(editor_client):
    amazon, anthropic = CompanyFactory(name="Amazon"), CompanyFactory(name="Anthropic")
    deal = _add_deal(editor_client, amazon, anthropic)

    assert {h.company_id for h in deal.parties.model.history.filter(deal_id=deal.pk)} == {amazon.pk, anthropic.pk}


def _revert_to(client, deal, publication):
    """Post the revert form of the deal's latest version at `publication`, filled in as the form shows it."""
    record = deal.history.filter(publication=publication).first()
    url = reverse("admin:deals_deal_simple_history", args=[deal.pk, record.history_id])
    form_page = client.get(url).content.decode()
    version = re.search(r'name="version" value="(\d+)"', form_page).group(1)
    values = {name: getattr(record, name) for name in DEAL_FIELDS}
    return client.post(url, deal_form(**values, version=version), follow=True)


def _once_public_draft(**fields):
    deal = make_deal(CompanyFactory(name="Amazon"), CompanyFactory(name="Anthropic"), **fields)
    first_published = deal.published_at
    deal.publication = Publication.DRAFT
    deal.save()
    return deal, first_published


def test_an_editor_cannot_publish_a_draft_by_reverting_to_a_published_version(editor_client):
    deal, _first = _once_public_draft()

    response = _revert_to(editor_client, deal, Publication.PUBLISHED)

    assert "You do not have permission to publish or unpublish deals." in response.content.decode()
    assert Deal.objects.get(pk=deal.pk).publication == Publication.DRAFT
    assert deal.history.count() == 3, "nothing was saved"


def test_an_editor_cannot_unpublish_by_reverting_to_a_draft_version(editor_client):
    deal = make_deal(CompanyFactory(name="Amazon"), CompanyFactory(name="Anthropic"))

    response = _revert_to(editor_client, deal, Publication.DRAFT)

    assert "You do not have permission to publish or unpublish deals." in response.content.decode()
    assert Deal.objects.get(pk=deal.pk).publication == Publication.PUBLISHED


def test_a_revert_cannot_publish_a_deal_whose_citations_were_all_removed(publisher_client):
    deal, _first = _once_public_draft()
    deal.citations.all().delete()

    response = _revert_to(publisher_client, deal, Publication.PUBLISHED)

    assert "A deal can be published only when it cites at least one source." in response.content.decode()
    assert Deal.objects.get(pk=deal.pk).publication == Publication.DRAFT


def test_a_publisher_may_publish_by_reverting_and_the_first_publication_date_is_kept(publisher_client):
    deal, first_published = _once_public_draft()

    response = _revert_to(publisher_client, deal, Publication.PUBLISHED)

    assert response.status_code == 200
    deal = Deal.objects.get(pk=deal.pk)
    assert deal.publication == Publication.PUBLISHED
    assert deal.published_at == first_published
    assert deal.history.first().history_user.username == "paula"
