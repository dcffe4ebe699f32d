"""A page's parties as plain rows, read in one query of values: for the HTML lists (attached to their deals
as `party_links`) and for the API's deal list.

Prefetching the parties (DealQuerySet.with_parties) builds a model instance per party and per company and a
queryset per deal: about 10 ms for a page of 100 deals. The lists only show who took part, in which role
and for how much; deals.rows writes these rows as it writes prefetched parties.
"""

from collections import defaultdict
from functools import cache

from django.db.models import OuterRef, Subquery

from deals.models import Company, DealParty

# Each row: (deal_id, company_id, role, amount, amount_usd, company_slug, company_name[, company_updated_at]).
PARTY_COLUMNS = ("deal_id", "company_id", "role", "amount", "amount_usd")
COMPANY_COLUMNS = ("slug", "name")


def party_links(deal_ids, company_times: bool = False) -> dict[int, list]:
    """{deal id: its parties as named rows}, in the order of DealQuerySet.with_parties() (role, company name).

    `company_times` adds each company's `updated_at` (for a Last-Modified header): a third lookup per party."""
    by_deal = defaultdict(list)
    for party in _parties(company_times).filter(deal_id__in=list(deal_ids)):
        by_deal[party.deal_id].append(party)
    return by_deal


def attach_party_links(deals) -> list:
    """The deals (a list is made of them), each given `party_links`: its rows of party_links()."""
    deals = list(deals)
    by_deal = party_links(deal.pk for deal in deals)
    for deal in deals:
        deal.party_links = by_deal.get(deal.pk, [])
    return deals


@cache
def _parties(company_times: bool):
    """The query of party rows for any deals, built once (about a millisecond each time): a filter on it is a copy,
    so this one is never run and every page only adds its deals."""
    company_columns = (*COMPANY_COLUMNS, "updated_at") if company_times else COMPANY_COLUMNS
    return (
        DealParty.objects.annotate(**{f"company_{name}": _company_field(name) for name in company_columns})
        .order_by("role", "company_name")
        .values_list(*PARTY_COLUMNS, *(f"company_{name}" for name in company_columns), named=True)
    )


def _company_field(name):
    # A subquery rather than a join: for a page's few hundred parties PostgreSQL would hash all companies.
    return Subquery(Company.objects.filter(pk=OuterRef("company_id")).order_by().values(name))
