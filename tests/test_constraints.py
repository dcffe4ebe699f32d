"""The database refuses bad rows even when every form and validator is bypassed."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from deals.models import Company, Deal, DealParty, DealRelation, Source, Tranche
from tests.factories import CompanyFactory, DealFactory, SourceFactory


def refused(action):
    with pytest.raises(IntegrityError), transaction.atomic():
        action()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {"amount": Decimal("-1")},
        {"amount_usd": Decimal("-1")},
        {"valuation_usd": Decimal("-5")},
        {"capacity_gw": Decimal("-2")},
        {"stake_percent": Decimal("100.5")},
        {"stake_percent": Decimal("-0.1")},
    ],
)
def test_deal_figures_out_of_range(fields):
    deal = DealFactory()
    refused(lambda: Deal.objects.filter(pk=deal.pk).update(**fields))


@pytest.mark.django_db
def test_duplicate_slugs():
    DealFactory(slug="same")
    CompanyFactory(slug="same")
    refused(lambda: DealFactory(slug="same"))
    refused(lambda: CompanyFactory(slug="same"))


@pytest.mark.django_db
def test_a_company_once_per_role_in_a_deal():
    deal, amazon = DealFactory(), CompanyFactory()
    DealParty.objects.create(deal=deal, company=amazon, role="investor")
    DealParty.objects.create(deal=deal, company=amazon, role="customer")
    refused(lambda: DealParty.objects.bulk_create([DealParty(deal=deal, company=amazon, role="investor")]))


@pytest.mark.django_db
def test_negative_shares_and_tranches():
    deal, amazon = DealFactory(), CompanyFactory()
    refused(lambda: DealParty.objects.bulk_create([DealParty(deal=deal, company=amazon, role="investor", amount=-1)]))
    refused(lambda: Tranche.objects.bulk_create([Tranche(deal=deal, label="now", amount=-1)]))


@pytest.mark.django_db
def test_source_urls_are_unique_but_many_sources_may_have_none():
    SourceFactory(url="https://example.com/a")
    SourceFactory(url="", title="Untitled one")
    SourceFactory(url="", title="Untitled two")
    refused(lambda: SourceFactory(url="https://example.com/a"))


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "ftp://example.com"])
def test_only_http_links_reach_the_database(url):
    source = SourceFactory()
    company = CompanyFactory()
    refused(lambda: Source.objects.bulk_create([Source(url=url, title="x")]))
    refused(lambda: Source.objects.filter(pk=source.pk).update(url=url))
    refused(lambda: Company.objects.filter(pk=company.pk).update(website=url))


@pytest.mark.django_db
def test_a_deal_is_not_related_to_itself_and_a_company_not_its_own_parent():
    deal, company = DealFactory(), CompanyFactory()
    refused(lambda: DealRelation.objects.create(from_deal=deal, to_deal=deal, kind="expands"))
    refused(lambda: Company.objects.filter(pk=company.pk).update(parent=company))
