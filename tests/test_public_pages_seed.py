"""Every public page renders for the deals of the seed articles, in both languages."""

import pytest

from deals.models import Alliance, Deal
from deals.rules.public import public_companies


@pytest.mark.parametrize("prefix", ["", "/es"])
def test_every_public_page_of_the_seed_renders(client, seed, prefix):
    urls = ["/", "/companies/", "/alliances/", "/deals/", "/feeds/deals.atom", "/deals/export.csv"]
    urls += [company.get_absolute_url() for company in public_companies()]
    urls += [f"/companies/{company.slug}/feed.atom" for company in public_companies()]
    urls += [alliance.get_absolute_url() for alliance in Alliance.objects.select_related("company_a", "company_b")]
    urls += [deal.get_absolute_url() for deal in Deal.objects.published()]
    assert len(urls) > 40
    for url in urls:
        response = client.get(prefix + url)
        assert response.status_code == 200, url


def test_the_seed_pages_show_the_seed_figures(client, seed):
    anthropic = client.get("/companies/anthropic/").content.decode()
    assert "Amazon" in anthropic and "Google" in anthropic
    spanish_deals = client.get("/es/deals/").content.decode()
    assert "millones de US$" in spanish_deals
