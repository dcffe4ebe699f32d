"""Each party keeps a copy of its deal's date and publication, so that the party index answers a company filter
with a date range and finds a company's newest published deals. The filtered lists stay right however the date
or the publication changes: through the API, the admin, a new party, a restored backup made before the copies
existed."""

import json
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from deals.models import Deal, DealParty
from tests.admin_forms import citation, deal_form, party
from tests.api_world import token_client
from tests.factories import CompanyFactory, SourceFactory, make_deal, make_user

pytestmark = pytest.mark.django_db

RANGE_2020S = {"announced_after": "2020-01-01", "announced_before": "2029-12-31"}


def deals_of(client, role: str, company, **dates) -> set[str]:
    response = client.get("/api/v1/deals/", {role: company.slug, **dates})
    assert response.status_code == 200, response.content
    return {row["slug"] for row in response.json()["results"]}


def first_slugs(client, role: str, company) -> list[str]:
    """The first page of one deal of the company's list, newest first."""
    response = client.get("/api/v1/deals/", {role: company.slug, "page_size": 1})
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["results"]]


def listed_on_the_page(client, role: str, company, **dates) -> set[str]:
    page = client.get("/deals/", {role: company.slug, **dates}).content.decode()
    return set(re.findall(r'href="/deals/([\w-]+)/"', page)) - {"export.csv"}


def copies_follow_their_deals() -> bool:
    return all(
        (party.deal_announced_on, party.deal_published) == (party.deal.announced_on, party.deal.is_published)
        for party in DealParty.objects.select_related("deal")
    )


@pytest.fixture
def amazon_in_2019():
    amazon, anthropic = CompanyFactory(slug="amazon"), CompanyFactory(slug="anthropic")
    return make_deal(amazon, anthropic, slug="amazon-anthropic", announced_on="2019-06-01"), amazon, anthropic


def test_a_date_changed_through_the_api_moves_the_deal_into_and_out_of_a_range(client, amazon_in_2019):
    deal, amazon, anthropic = amazon_in_2019
    editor = token_client(make_user("eve", "Editors"))
    assert deals_of(client, "investor", amazon, **RANGE_2020S) == set()

    response = editor.patch(f"/api/v1/deals/{deal.slug}/", {"announced_on": "2021-03-15"}, format="json")
    assert response.status_code == 200, response.content

    assert deals_of(client, "investor", amazon, **RANGE_2020S) == {"amazon-anthropic"}
    assert deals_of(client, "investee", anthropic, announced_before="2021-03-14") == set()
    assert deals_of(client, "company", anthropic, announced_after="2021-03-15") == {"amazon-anthropic"}
    assert listed_on_the_page(client, "investor", amazon, **RANGE_2020S) == {"amazon-anthropic"}
    assert listed_on_the_page(client, "investor", amazon, announced_after="2021-03-16") == set()

    editor.patch(f"/api/v1/deals/{deal.slug}/", {"announced_on": None}, format="json")
    assert deals_of(client, "investor", amazon, **RANGE_2020S) == set()
    assert deals_of(client, "investor", amazon) == {"amazon-anthropic"}
    assert copies_follow_their_deals()


def test_a_coarser_precision_moves_the_copy_with_the_truncated_date(client, amazon_in_2019):
    deal, amazon, _ = amazon_in_2019
    editor = token_client(make_user("eve", "Editors"))

    editor.patch(f"/api/v1/deals/{deal.slug}/", {"announced_precision": "year"}, format="json")

    assert Deal.objects.get(pk=deal.pk).announced_on.isoformat() == "2019-01-01"
    assert deals_of(client, "investor", amazon, announced_before="2019-01-01") == {"amazon-anthropic"}
    assert copies_follow_their_deals()


def test_a_party_added_later_takes_the_deals_date(client, amazon_in_2019):
    deal, amazon, anthropic = amazon_in_2019
    google = CompanyFactory(slug="google")
    editor = token_client(make_user("eve", "Editors"))
    parties = [
        {"company": "amazon", "role": "investor"},
        {"company": "google", "role": "investor"},
        {"company": "anthropic", "role": "investee"},
    ]

    response = editor.patch(f"/api/v1/deals/{deal.slug}/", {"parties": parties}, format="json")
    assert response.status_code == 200, response.content

    assert deals_of(client, "investor", google, announced_after="2019-06-01") == {"amazon-anthropic"}
    assert deals_of(client, "investor", google, announced_after="2019-06-02") == set()
    assert copies_follow_their_deals()


def test_a_date_changed_in_the_admin_moves_the_deal_too(client, editor_client):
    amazon, anthropic, article = CompanyFactory(slug="amazon"), CompanyFactory(slug="anthropic"), SourceFactory()
    editor_client.post(
        reverse("admin:deals_deal_add"),
        deal_form(parties=[party(amazon, "investor"), party(anthropic, "investee")], citations=[citation(article)]),
    )
    deal = Deal.objects.get()
    assert copies_follow_their_deals()
    saved = list(deal.parties.order_by("pk"))
    data = deal_form(
        announced_on="2025-02-01",
        parties=[party(amazon, "investor"), party(anthropic, "investee")],
        citations=[citation(article)],
        initial={"parties": 2},
    )
    for index, row in enumerate(saved):
        data[f"parties-{index}-id"], data[f"parties-{index}-deal"] = row.pk, deal.pk
    data["citations-0-id"], data["citations-0-deal"] = deal.citations.get().pk, deal.pk
    data["citations-INITIAL_FORMS"] = "1"

    response = editor_client.post(reverse("admin:deals_deal_change", args=[deal.pk]), data, follow=True)

    assert "was changed successfully" in response.content.decode()
    assert Deal.objects.get().announced_on.isoformat() == "2025-02-01"
    assert copies_follow_their_deals()
    assert DealParty.objects.filter(deal_announced_on="2025-02-01").count() == 2


# Transactional: restore flushes the database, which PostgreSQL cannot do inside the test's transaction.
@pytest.mark.django_db(transaction=True)
def test_a_backup_made_before_the_copy_existed_is_restored_with_it(client, tmp_path):
    amazon, anthropic = CompanyFactory(slug="amazon"), CompanyFactory(slug="anthropic")
    make_deal(amazon, anthropic, slug="amazon-anthropic", announced_on="2023-09-25")
    backup = tmp_path / "backup.jsonl"
    call_command("backup", str(backup), verbosity=0)
    rows = [json.loads(line) for line in backup.read_text().splitlines()]
    for row in rows:
        row["fields"].pop("deal_announced_on", None)
        row["fields"].pop("deal_published", None)
    older = "".join(json.dumps(row) + "\n" for row in rows)
    assert "deal_announced_on" not in older and "deal_published" not in older
    backup.write_text(older)
    call_command("flush", interactive=False, verbosity=0)

    call_command("restore", str(backup), verbosity=0)

    assert copies_follow_their_deals()
    assert deals_of(client, "investor", amazon, announced_after="2023-09-25") == {"amazon-anthropic"}


def test_unpublishing_takes_a_deal_off_its_companies_lists_and_publishing_brings_it_back(publisher_client):
    visitor = Client()
    amazon, anthropic = CompanyFactory(slug="amazon"), CompanyFactory(slug="anthropic")
    newest = make_deal(amazon, anthropic, slug="newest", announced_on="2024-05-01")
    make_deal(amazon, anthropic, slug="older", announced_on="2023-05-01")
    admin_list = reverse("admin:deals_deal_changelist")

    publisher_client.post(admin_list, {"action": "unpublish_selected", "_selected_action": [newest.pk]})

    assert copies_follow_their_deals()
    for role, company in (("investor", amazon), ("company", anthropic)):
        assert deals_of(visitor, role, company) == {"older"}
        assert listed_on_the_page(visitor, role, company) == {"older"}
        assert first_slugs(visitor, role, company) == ["older"]

    publisher_client.post(admin_list, {"action": "publish_selected", "_selected_action": [newest.pk]})

    assert copies_follow_their_deals()
    assert first_slugs(visitor, "company", amazon) == ["newest"]
    assert listed_on_the_page(visitor, "investor", amazon) == {"newest", "older"}


def test_a_draft_saved_through_the_api_stays_off_the_public_lists_but_not_off_the_staff_ones(client):
    amazon, anthropic = CompanyFactory(slug="amazon"), CompanyFactory(slug="anthropic")
    draft = make_deal(amazon, anthropic, slug="draft", announced_on="2024-05-01", published=False)
    make_deal(amazon, anthropic, slug="public", announced_on="2023-05-01")
    editor = token_client(make_user("eve", "Editors"))

    editor.patch(f"/api/v1/deals/{draft.slug}/", {"title": "Still a draft"}, format="json")

    assert copies_follow_their_deals()
    assert first_slugs(client, "investor", amazon) == ["public"]
    assert first_slugs(editor, "investor", amazon) == ["draft"]
