"""An alliance's main kind of deal comes from its published deals only, a tie by a stated rule (issue 20, finding 18).

A draft deal once changed a public alliance's main kind: the kinds tied, the tie went to whichever row the database
returned first, and the draft's writes moved the rows. The rule (deals.figures.alliances._PairTotals.main_kind): most
deals, then the kind whose code sorts first; drafts are not the alliance's deals at all.
"""

import pytest
from django.urls import reverse

from deals.core.choices import DealKind
from deals.figures.figures_check import differences
from deals.models import Alliance, Role
from tests.api_world import token_client
from tests.factories import CitationFactory, CompanyFactory, DealFactory, PartyFactory, make_user

pytestmark = pytest.mark.django_db

DEAL = "/api/v1/deals/amazon-anthropic-draft/"
MAIN = "cloud_compute"  # one equity deal, one cloud deal: a tie, and "cloud_compute" sorts before "equity"


def _published(kind, customer_or_investor, provider_or_investee, slug):
    deal = DealFactory(kind=kind, slug=slug)
    investing = kind == DealKind.EQUITY
    PartyFactory(deal=deal, company=customer_or_investor, role=Role.INVESTOR if investing else Role.CUSTOMER)
    PartyFactory(deal=deal, company=provider_or_investee, role=Role.INVESTEE if investing else Role.PROVIDER)
    CitationFactory(deal=deal)
    deal.publication = "published"
    deal.save()
    return deal


@pytest.fixture(params=["equity first", "cloud first"])
def pair(request):
    """Amazon and Anthropic with one published equity deal and one published cloud deal, in either order."""
    amazon = CompanyFactory(name="Amazon", slug="amazon")
    anthropic = CompanyFactory(name="Anthropic", slug="anthropic")
    deals = [
        lambda: _published(DealKind.EQUITY, amazon, anthropic, "amazon-anthropic-equity"),
        lambda: _published(DealKind.CLOUD_COMPUTE, anthropic, amazon, "anthropic-aws-compute"),
    ]
    for make in deals if request.param == "equity first" else reversed(deals):
        make()
    return amazon, anthropic


def _main_kinds(client) -> set[str]:
    """The main kind as each reader sees it: the stored row, the API (detail and list) and the alliances page."""
    stored = Alliance.objects.get(slug="amazon--anthropic")
    detail = client.get("/api/v1/alliances/amazon--anthropic/").json()
    [listed] = client.get("/api/v1/alliances/").json()["results"]
    page = client.get(reverse("deals:alliance-list"))
    [row] = page.context["page"].object_list
    label = str(DealKind(row.dominant_kind).label)
    assert label in page.content.decode()
    return {stored.dominant_kind, detail["dominant_kind"], listed["dominant_kind"], row.dominant_kind}


def test_a_draft_created_edited_and_deleted_never_changes_a_public_alliances_main_kind(client, pair):
    amazon, anthropic = pair
    writer = token_client(make_user("root", superuser=True))
    assert _main_kinds(client) == {MAIN}

    # An acquisition would win a three-way tie (its code sorts first), were the draft counted.
    created = writer.post(
        "/api/v1/deals/",
        {
            "title": "Amazon to buy Anthropic (rumour)",
            "slug": "amazon-anthropic-draft",
            "kind": "acquisition",
            "status": "reported",
            "amount": "60000000000",
            "currency": "USD",
            "parties": [{"company": "amazon", "role": "acquirer"}, {"company": "anthropic", "role": "target"}],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    assert _main_kinds(client) == {MAIN}

    # Edited into equity, which would then have most deals; and edited again, its rows moved each time.
    for fields in (
        {
            "kind": "equity",
            "parties": [{"company": "amazon", "role": "investor"}, {"company": "anthropic", "role": "investee"}],
        },
        {"title": "Amazon to invest more in Anthropic", "amount": "8000000000"},
    ):
        edited = writer.patch(DEAL, fields, format="json")
        assert edited.status_code == 200, edited.content
        assert _main_kinds(client) == {MAIN}

    assert writer.delete(DEAL).status_code == 204
    assert _main_kinds(client) == {MAIN}
    assert Alliance.objects.get(slug="amazon--anthropic").deal_count == 2
    assert not [str(d) for d in differences() if d.table == "alliances"]
