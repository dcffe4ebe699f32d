"""A company page's partner count is right for a subsidiary."""

import pytest

from tests.factories import CompanyFactory, make_deal


@pytest.mark.django_db
def test_a_subsidiary_counts_only_the_alliances_it_takes_part_in(client, monkeypatch):
    from deals.rules.public import alliances_of
    from deals.web.views import companies

    monkeypatch.setattr(companies, "COMPANY_PAGE_PARTNERS", 1)
    group = CompanyFactory(slug="group")
    part = CompanyFactory(slug="part", parent=group)
    for slug in ("aa", "zz", "zy"):
        make_deal(part, CompanyFactory(slug=slug))
    make_deal(group, CompanyFactory(slug="ab"))
    response = client.get("/companies/part/")
    assert response.context["partner_count"] == alliances_of(part).count() == 3
    response = client.get("/companies/group/")
    assert response.context["partner_count"] == alliances_of(group).count() == 4
