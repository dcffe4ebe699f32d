"""Keeps the CompanyTotals table equal to what `deals.totals` computes from the published deals.

The rules of crediting (own share, else the whole amount when alone on its side; talks and
cancelled deals add nothing) live in `deals.totals.COMPANY_TOTALS`; this module only stores their
results, one row per company, and recomputes the companies a change touches.
"""

from collections.abc import Iterable

from django.db import transaction

from deals.models import Company, CompanyTotals, DealParty
from deals.totals import COMPANY_TOTALS

FIELDS = list(COMPANY_TOTALS)
WRITE_BATCH = 2000


@transaction.atomic
def refresh(company_ids: Iterable[int] | None = None) -> int:
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
