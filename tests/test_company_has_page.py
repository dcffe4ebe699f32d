"""A company has a page while a published deal involves it, one of its subsidiaries, or its group's alliances:
the stored mark follows publishing, unpublishing, deleting deals, moving parties and changing parents."""

import pytest
from django.db.models import Q

from deals.models import Alliance, Publication
from tests.factories import CompanyFactory, make_deal

pytestmark = pytest.mark.django_db


def page_status(client, company) -> int:
    return client.get(f"/companies/{company.slug}/").status_code


def api_status(client, company) -> int:
    return client.get(f"/api/v1/companies/{company.slug}/").status_code


def publish(deal, publication=Publication.PUBLISHED):
    deal.publication = publication
    deal.save()


def test_a_company_only_in_a_draft_has_no_page_until_the_deal_is_published(client):
    investor, investee = CompanyFactory(), CompanyFactory()
    deal = make_deal(investor, investee, published=False)
    assert page_status(client, investor) == 404 and api_status(client, investor) == 404

    publish(deal)
    assert page_status(client, investor) == 200 and api_status(client, investor) == 200

    publish(deal, Publication.DRAFT)
    assert page_status(client, investee) == 404 and api_status(client, investee) == 404


def test_parents_up_the_family_get_a_page_from_a_subsidiarys_deal(client):
    group = CompanyFactory()
    division = CompanyFactory(parent=group)
    unit = CompanyFactory(parent=division)
    deal = make_deal(unit, CompanyFactory(), published=False)
    assert page_status(client, group) == 404

    publish(deal)

    assert page_status(client, unit) == 200
    assert page_status(client, division) == 200
    assert page_status(client, group) == 200  # heads the alliance the deal makes


def test_deleting_the_only_deal_removes_the_pages(client):
    investor, investee = CompanyFactory(), CompanyFactory()
    deal = make_deal(investor, investee)
    assert page_status(client, investee) == 200

    deal.delete()

    assert page_status(client, investor) == 404 and page_status(client, investee) == 404


def test_moving_a_party_to_another_company_moves_the_page(client):
    investor, investee, newcomer = CompanyFactory(), CompanyFactory(), CompanyFactory()
    deal = make_deal(investor, investee)
    party = deal.parties.get(company=investor)

    party.company = newcomer
    party.save()

    assert page_status(client, investor) == 404
    assert page_status(client, newcomer) == 200
    # The alliance the company left goes too (it kept the company's page before).
    assert not Alliance.objects.filter(Q(company_a=investor) | Q(company_b=investor)).exists()


def test_giving_a_company_a_parent_gives_the_parent_a_page(client):
    investor, parent = CompanyFactory(), CompanyFactory()
    make_deal(investor, CompanyFactory())
    assert page_status(client, parent) == 404

    investor.parent = parent
    investor.save()

    assert page_status(client, parent) == 200


def test_a_company_filter_takes_only_companies_with_a_page(client):
    investor, investee = CompanyFactory(), CompanyFactory()
    deal = make_deal(investor, investee, published=False)
    assert client.get("/api/v1/deals/", {"investor": investor.slug}).status_code == 400

    publish(deal)

    response = client.get("/api/v1/deals/", {"investor": investor.slug})
    assert response.status_code == 200 and response.json()["count"] == 1
