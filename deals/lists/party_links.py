"""A page's parties as plain rows, read in one query of values: for the HTML lists (attached to their deals
as `party_links`) and for the API's deal list.

Prefetching the parties (DealQuerySet.with_parties) builds a model instance per party and per company and a
queryset per deal: about 10 ms for a page of 100 deals. The lists only show who took part, in which role
and for how much; deals.web.rows writes these rows as it writes prefetched parties.
"""

from collections import defaultdict
from functools import partial

from django.db.models import F

from deals.lists.compiled_query import KeyedQuery
from deals.lists.epoch_seconds import EpochSeconds
from deals.models import DealParty

# Each row: (deal_id, company_id, role, amount, amount_qualifier, commitment, amount_usd, company_slug, company_name
# [, company_updated_seconds]).
PARTY_COLUMNS = ("deal_id", "company_id", "role", "amount", "amount_qualifier", "commitment", "amount_usd")
COMPANY_COLUMNS = ("slug", "name")


def party_links(deal_ids, company_times: bool = False) -> dict[int, list]:
    """{deal id: its parties as named rows}, in the order of DealQuerySet.with_parties() (role, company name).

    `company_times` adds each company's update time in whole seconds since 1970, `company_updated_seconds` (for a
    Last-Modified header)."""
    by_deal = defaultdict(list)
    for party in _PARTIES[company_times].rows(deal_ids):
        by_deal[party.deal_id].append(party)
    return by_deal


def attach_party_links(deals) -> list:
    """The deals (a list is made of them), each given `party_links`: its rows of party_links()."""
    deals = list(deals)
    by_deal = party_links(deal.pk for deal in deals)
    for deal in deals:
        deal.party_links = by_deal.get(deal.pk, [])
    return deals


def _parties_of(deal_ids, company_times: bool):
    """The party rows of the deals given, with their companies' columns (a join: on PostgreSQL, with the random page
    cost of an SSD that dealsite.settings sets, a nested loop on the company key, as on SQLite)."""
    columns = {f"company_{name}": F(f"company__{name}") for name in COMPANY_COLUMNS}
    if company_times:
        columns["company_updated_seconds"] = EpochSeconds("company__updated_at")
    return (
        DealParty.objects.filter(deal_id__in=deal_ids)
        .annotate(**columns)
        .order_by("role", "company_name")
        .values_list(*PARTY_COLUMNS, *columns, named=True)
    )


# Built and compiled once per number of deals (deals.lists.compiled_query): about a millisecond each time otherwise.
_PARTIES = {
    company_times: KeyedQuery(partial(_parties_of, company_times=company_times)) for company_times in (False, True)
}
