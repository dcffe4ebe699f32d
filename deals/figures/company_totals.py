"""Keeps the CompanyTotals and CompanyYear tables equal to the sums of the money flows (`deals.figures.totals`).

This module only stores the results, one row per company (and per company and year), and recomputes
the companies a change touches.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models.functions import ExtractYear

from deals.core.batches import filtered
from deals.core.choices import STATUSES_IN_TOTALS
from deals.figures.derived_locks import lock_companies, lock_everything
from deals.figures.totals import MONEY_FIELDS, Sums, deal_count, money_by_company
from deals.models import Company, CompanyTotals, CompanyYear, DealParty, Publication

WRITE_BATCH = 2000
FIELDS = [*MONEY_FIELDS, "deal_count"]


@transaction.atomic
def refresh(company_ids: Iterable[int] | None = None) -> int:
    """Recompute the totals and the years of the given companies, or of every company when None.

    Returns the totals rows written.
    """
    company_ids = None if company_ids is None else set(company_ids)
    _lock(company_ids)
    written = refresh_totals(company_ids)
    refresh_years(company_ids)
    return written


@transaction.atomic
def refresh_years(company_ids: Iterable[int] | None = None) -> int:
    """Rewrite the CompanyYear rows of the given companies (every company when None); return the rows written."""
    years = [CompanyYear.objects.all()]
    # A year counts the deals whose money counts (not those in talks or cancelled), as its sums do.
    parties = DealParty.objects.filter(
        deal__publication=Publication.PUBLISHED, deal__status__in=STATUSES_IN_TOTALS
    ).order_by()
    parties = [parties.annotate(year=ExtractYear("deal__announced_on"))]
    if company_ids is not None:
        company_ids = set(company_ids)
        if not company_ids:
            return 0
        years = list(filtered(years[0], "company_id__in", company_ids))
        parties = list(filtered(parties[0], "company_id__in", company_ids))
    # A company's years have no key to upsert on (a year may be empty): they are deleted and written again
    # under the lock of its group, so two refreshes of one company never both insert (deals.figures.derived_locks).
    _lock(company_ids)
    for some in years:
        some.delete()
    deals = defaultdict(set)
    for some in parties:
        for company_id, year, deal_id in some.values_list("company_id", "year", "deal_id").iterator(chunk_size=5000):
            deals[(company_id, year)].add(deal_id)
    money = money_by_company(company_ids, by_year=True)
    rows = (
        CompanyYear(company_id=company_id, year=year, deal_count=len(deals.get((company_id, year), ())), **sums.values)
        for (company_id, year), sums in _every_key(deals, money)
    )
    return len(CompanyYear.objects.bulk_create(rows, batch_size=WRITE_BATCH))


def _every_key(deals: dict, money: dict):
    for key in sorted(set(deals) | set(money), key=lambda k: (k[0], k[1] is None, k[1] or 0)):
        yield key, money.get(key) or Sums()


@transaction.atomic
def refresh_totals(company_ids: Iterable[int] | None = None) -> int:
    """Recompute the totals of the given companies, or of every company when None; return the rows written."""
    companies = [Company.objects.order_by()]
    if company_ids is not None:
        company_ids = set(company_ids)
        if not company_ids:
            return 0
        companies = filtered(companies[0], "pk__in", company_ids)
    _lock(company_ids)
    counts = {pk: n for some in companies for pk, n in some.annotate(n=deal_count()).values_list("pk", "n")}
    money = money_by_company(company_ids)
    # An upsert in the order of the companies: two refreshes lock the rows one way, never crosswise.
    rows = [
        CompanyTotals(company_id=pk, deal_count=n, **(money.get(pk) or Sums()).values)
        for pk, n in sorted(counts.items())
    ]
    CompanyTotals.objects.bulk_create(
        rows, batch_size=WRITE_BATCH, update_conflicts=True, unique_fields=["company"], update_fields=FIELDS
    )
    return len(rows)


def _lock(company_ids: set[int] | None) -> None:
    if company_ids is None:
        lock_everything()
    else:
        lock_companies(company_ids)


def companies_of_deal(deal_id: int) -> set[int]:
    """Every company of a deal and the top parents of its groups, whose totals include their subsidiaries'."""
    from deals.figures.groups import groups_of

    companies = set(DealParty.objects.filter(deal_id=deal_id).values_list("company_id", flat=True))
    return companies | set(groups_of(companies).values())
