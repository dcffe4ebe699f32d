"""Who changed what and when, and restoring an earlier version from the admin."""

import re

from django.urls import reverse

from deals.models import Deal
from tests.admin_forms import deal_form, party
from tests.factories import CompanyFactory


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
