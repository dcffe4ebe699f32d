"""Money each company has invested, received, sold and bought: sums of the money flows (`deals.figures.flows`).

A company is credited with the counted flows it pays or receives; a group's top parent also with its
subsidiaries' (Amazon with AWS's sales), never with money between members of the group. Committed money
and the further money that is only "up to", conditional or non-binding are summed apart. A side with no
flow of known amount has no total (NULL): unknown, never 0. Joint flows (a round's investors together)
credit the investee, none of the investors.
"""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, ExtractYear

from deals.core.batches import batches
from deals.models import DealParty, MoneyFlow, Publication, Role

INVESTING = (Role.INVESTOR, Role.LEAD_INVESTOR)
# Each side: which end of the flow the company is on, and the role paid.
SIDES = {
    "invested_usd": ("payer", Role.INVESTEE),
    "received_usd": ("payee", Role.INVESTEE),
    "provided_usd": ("payee", Role.PROVIDER),
    "bought_usd": ("payer", Role.PROVIDER),
}
FURTHER = {side: side.replace("_usd", "_further_usd") for side in SIDES}
MONEY_FIELDS = [*SIDES, *FURTHER.values()]


def _published_parties(**lookups):
    return DealParty.objects.filter(deal__publication=Publication.PUBLISHED, **lookups).order_by()


def deal_count():
    """A Company expression: how many published deals the company is a party to."""
    counted = _published_parties(company=OuterRef("pk")).values("company").annotate(n=Count("deal", distinct=True))
    return Coalesce(Subquery(counted.values("n")), 0)


class Sums:
    """Committed and further money per side, None until a flow of known amount is added."""

    def __init__(self):
        self.values: dict[str, Decimal | None] = dict.fromkeys(MONEY_FIELDS)

    def add(self, side: str, committed, further) -> None:
        if committed is None and further is None:
            return
        self.values[side] = (self.values[side] or Decimal(0)) + (committed or 0)
        key = FURTHER[side]
        self.values[key] = (self.values[key] or Decimal(0)) + (further or 0)


def _credited(flow: dict, end: str) -> set[int]:
    """The companies one end of a flow credits: the company itself and its group's top parent."""
    return {flow[f"{end}_id"], flow[f"{end}_group_id"]} - {None}


def _flows_of(values, company_ids: set[int] | None):
    """The flows of these companies (all when None), a batch of companies at a time, each flow once."""
    if company_ids is None:
        yield from values.iterator(chunk_size=5000)
        return
    seen = set()
    for batch in batches(company_ids):
        ends = Q(payer__in=batch) | Q(payee__in=batch) | Q(payer_group__in=batch) | Q(payee_group__in=batch)
        for flow in values.filter(ends).iterator(chunk_size=5000):
            if flow["pk"] not in seen:
                seen.add(flow["pk"])
                yield flow


def money_by_company(company_ids: set[int] | None, *, by_year: bool = False) -> dict:
    """{company id (or (company id, year)): Sums} over the counted flows of these companies (all when None)."""
    between_groups = Q(payer_group__isnull=True) | Q(payee_group__isnull=True) | ~Q(payer_group=F("payee_group"))
    rows = MoneyFlow.objects.filter(between_groups, counted=True).order_by()
    fields = ("pk", "payer_id", "payee_id", "payer_group_id", "payee_group_id", "payee_role")
    values = rows.annotate(year=ExtractYear("announced_on")).values(*fields, "committed_usd", "further_usd", "year")
    sums: dict = defaultdict(Sums)
    for flow in _flows_of(values, company_ids):
        for side, (end, role) in SIDES.items():
            if flow["payee_role"] != role:
                continue
            for company in _credited(flow, end):
                if company_ids is None or company in company_ids:
                    key = (company, flow["year"]) if by_year else company
                    sums[key].add(side, flow["committed_usd"], flow["further_usd"])
    return sums
