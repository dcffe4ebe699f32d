"""Keeps the CompanyTotals table equal to what `deals.totals` computes from the published deals.

The rules of crediting (own share, else the whole amount when alone on its side; talks and
cancelled deals add nothing) live in `deals.totals.COMPANY_TOTALS`; this module only stores their
results, one row per company, and recomputes the companies a change touches.
"""

from collections.abc import Iterable

from django.db import transaction

from deals.models import Company, CompanyTotals, CompanyYear, DealParty
from deals.totals import COMPANY_TOTALS, SIDES

FIELDS = list(COMPANY_TOTALS)
WRITE_BATCH = 2000


@transaction.atomic
def refresh(company_ids: Iterable[int] | None = None) -> int:
    """Recompute the totals and the years of the given companies, or of every company when None.

    Returns the totals rows written.
    """
    company_ids = None if company_ids is None else set(company_ids)
    written = refresh_totals(company_ids)
    refresh_years(company_ids)
    return written


@transaction.atomic
def refresh_years(company_ids: Iterable[int] | None = None) -> int:
    """Rewrite the CompanyYear rows of the given companies (every company when None); return the rows written."""
    from deals.charts import year_sums

    years = CompanyYear.objects.all()
    parties = DealParty.objects.all()
    if company_ids is not None:
        company_ids = set(company_ids)
        if not company_ids:
            return 0
        years = years.filter(company_id__in=company_ids)
        parties = parties.filter(company_id__in=company_ids)
    years.delete()
    rows = (
        CompanyYear(
            company_id=row["company_id"],
            year=row["year"],
            deal_count=row["deals"],
            **{side: row[side] for side in SIDES},
        )
        for row in year_sums(parties, "company_id")
    )
    return len(CompanyYear.objects.bulk_create(rows, batch_size=WRITE_BATCH))


@transaction.atomic
def refresh_totals(company_ids: Iterable[int] | None = None) -> int:
    """Recompute the totals of the given companies, or of every company when None; return the rows written."""
    companies = Company.objects.order_by()
    if company_ids is not None:
        company_ids = set(company_ids)
        if not company_ids:
            return 0
        companies = companies.filter(pk__in=company_ids)
    computed = companies.annotate(**{name: build() for name, build in COMPANY_TOTALS.items()})
    rows = [
        CompanyTotals(company_id=values[0], **dict(zip(FIELDS, values[1:], strict=True)))
        for values in computed.values_list("pk", *FIELDS)
    ]
    CompanyTotals.objects.bulk_create(
        rows, batch_size=WRITE_BATCH, update_conflicts=True, unique_fields=["company"], update_fields=FIELDS
    )
    return len(rows)


def companies_of_deal(deal_id: int) -> set[int]:
    """Every company of a deal: a change to one party can change what the others on its side are credited."""
    return set(DealParty.objects.filter(deal_id=deal_id).values_list("company_id", flat=True))
