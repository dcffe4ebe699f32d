"""Circular deals as the page and the API show them: a page of Cycle rows with their companies, legs and deals.

Whatever the page size, four queries: the legs, the companies, the deals, and the deals' citations.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch

from deals.links import detail_url
from deals.models import Citation, Company, Cycle, CycleLeg, Deal


@dataclass
class LegDeal:
    deal: Deal
    amount_usd: Decimal | None
    committed: bool

    @property
    def sources(self):
        """The deal's sources, each once, though it may support several figures."""
        unique = {}
        for citation in self.deal.citations.all():
            unique.setdefault(citation.source_id, citation.source)
        return list(unique.values())


@dataclass
class Leg:
    payer: Company
    payee: Company
    total_usd: Decimal | None
    complete: bool
    deal_count: int
    deals: list[LegDeal]

    @property
    def unlisted(self) -> int:
        return self.deal_count - len(self.deals)

    @property
    def alliance_url(self) -> str:
        """The alliance page of the two groups, which lists every deal between them."""
        first, second = sorted((self.payer.group.slug, self.payee.group.slug))
        return detail_url("deals:alliance-detail", slug_a=first, slug_b=second)


@dataclass
class Loop:
    cycle: Cycle
    companies: list[Company]
    legs: list[Leg]

    @property
    def years(self) -> str:
        first, last = self.cycle.first_year, self.cycle.last_year
        if first is None:
            return ""
        return str(first) if first == last else f"{first}–{last}"


def loops(cycles, deals_per_leg: int | None = None) -> list[Loop]:
    """The Loop of each Cycle row given (one page of them), in four queries.

    Each leg lists the largest deals the CycleLeg row keeps, at most `deals_per_leg` of them when given
    (chronologically, as kept); the leg's `unlisted` counts the rest.
    """
    cycles = list(cycles)
    if not cycles:
        return []
    wanted = {(cycle.folded, payer, payee) for cycle in cycles for payer, payee in cycle.legs}
    company_ids = {company_id for cycle in cycles for company_id in cycle.company_ids}
    views = {cycle.folded for cycle in cycles}
    legs = CycleLeg.objects.filter(folded__in=views, payer_id__in=company_ids, payee_id__in=company_ids)
    rows = {key: leg for leg in legs if (key := (leg.folded, leg.payer_id, leg.payee_id)) in wanted}
    companies = Company.objects.select_related("parent__parent").in_bulk(company_ids)
    if deals_per_leg is not None:
        for leg in rows.values():
            leg.deals = _largest(leg.deals, deals_per_leg)
    deal_ids = {entry["id"] for leg in rows.values() for entry in leg.deals}
    citations = Citation.objects.select_related("source").order_by("supports", "pk")
    deals = Deal.objects.published().prefetch_related(Prefetch("citations", queryset=citations)).in_bulk(deal_ids)
    result = []
    for cycle in cycles:
        result.append(
            Loop(
                cycle,
                [companies[company_id] for company_id in cycle.company_ids],
                [_leg(rows[(cycle.folded, payer, payee)], companies, deals) for payer, payee in cycle.legs],
            )
        )
    return result


def _leg(row: CycleLeg, companies, deals) -> Leg:
    return Leg(
        companies[row.payer_id],
        companies[row.payee_id],
        row.total_usd,
        row.complete,
        row.deal_count,
        [
            LegDeal(deals[entry["id"]], None if entry["usd"] is None else Decimal(entry["usd"]), entry["committed"])
            for entry in row.deals
            if entry["id"] in deals
        ],
    )


def _largest(entries: list[dict], count: int) -> list[dict]:
    """The `count` largest of a leg's kept deals (unknown amounts last), in their kept (chronological) order."""
    if len(entries) <= count:
        return entries
    by_size = sorted(entries, key=lambda entry: (entry["usd"] is None, -Decimal(entry["usd"] or 0)))
    chosen = {id(entry) for entry in by_size[:count]}
    return [entry for entry in entries if id(entry) in chosen]
