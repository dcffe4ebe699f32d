"""Two editors open the same deal: the second save does not silently overwrite the first."""

import re

from django.test import Client
from django.urls import reverse

from deals.models import Deal
from deals.rules import services
from tests.admin_forms import deal_form, party
from tests.api_world import token_client
from tests.factories import CompanyFactory, make_user


def _form_of(client, deal):
    page = client.get(reverse("admin:deals_deal_change", args=[deal.pk])).content.decode()
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    parties = list(deal.parties.order_by("pk"))
    data = deal_form(
        parties=[{**party(p.company, p.role), "id": p.pk, "deal": deal.pk} for p in parties],
        initial={"parties": len(parties)},
        version=version,
    )
    return data


def test_a_stale_save_is_refused_with_a_message_and_a_second_save_is_deliberate(editor):
    alice, bob = Client(), Client()
    alice.force_login(editor)
    bob.force_login(make_user("bob", "Editors"))
    amazon, anthropic = CompanyFactory(name="Amazon"), CompanyFactory(name="Anthropic")
    alice.post(
        reverse("admin:deals_deal_add"), deal_form(parties=[party(amazon, "investor"), party(anthropic, "investee")])
    )
    deal = Deal.objects.get()
    url = reverse("admin:deals_deal_change", args=[deal.pk])

    alices_form = _form_of(alice, deal)
    bobs_form = _form_of(bob, deal)
    bob.post(url, {**bobs_form, "title": "Bob's title"})
    response = alice.post(url, {**alices_form, "title": "Alice's title"})

    page = response.content.decode()
    assert "This deal was changed by bob since you opened it" in page
    assert 'value="Alice&#x27;s title"' in page, "Alice's edits are still in the form"
    assert Deal.objects.get().title == "Bob's title"

    current_version = re.search(r'name="version" value="(\d+)"', page).group(1)
    alice.post(url, {**alices_form, "title": "Alice's title", "version": current_version})
    assert Deal.objects.get().title == "Alice's title"


def test_a_save_landing_between_the_version_check_and_the_save_is_not_overwritten(editor, monkeypatch):
    """Bob's API write lands after Alice's form passed its version check and before her save (on PostgreSQL the check
    holds the row lock until the save; tests/test_concurrency_write_path.py races them for real): Alice gets the
    warning and Bob's change stays."""
    alice = Client()
    alice.force_login(editor)
    bob = token_client(make_user("bob", "Editors"))
    amazon, anthropic = CompanyFactory(name="Amazon"), CompanyFactory(name="Anthropic")
    alice.post(
        reverse("admin:deals_deal_add"), deal_form(parties=[party(amazon, "investor"), party(anthropic, "investee")])
    )
    deal = Deal.objects.get()
    alices_form = _form_of(alice, deal)
    validate = services.validate_parties

    def bob_saves_meanwhile(parties):
        monkeypatch.setattr(services, "validate_parties", validate)
        response = bob.patch(f"/api/v1/deals/{deal.slug}/", {"summary": "Bob's summary"}, format="json")
        assert response.status_code == 200, response.content
        return validate(parties)

    monkeypatch.setattr(services, "validate_parties", bob_saves_meanwhile)

    response = alice.post(reverse("admin:deals_deal_change", args=[deal.pk]), {**alices_form, "title": "Alice's title"})

    page = response.content.decode()
    assert "This deal was changed by bob since you opened it" in page
    assert 'value="Alice&#x27;s title"' in page, "Alice's edits are still in the form"
    stored = Deal.objects.get()
    assert (stored.title, stored.summary, stored.version) == (deal.title, "Bob's summary", deal.version + 1)
