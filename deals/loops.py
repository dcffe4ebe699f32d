"""Circular deals as the page and the API show them: a page of Cycle rows with their companies, legs and deals.

Whatever the page size, four queries: the legs, the companies, the deals, and the deals' citations.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from deals.links import detail_url
from deals.models import Citation, Company, Cycle, CycleLeg, Deal

COMPANY_FIELDS = ("name", "slug", "parent_id")


class CitedSource(NamedTuple):
    title: str
    url: str


@dataclass
class LegDeal:
    deal: Deal
    amount_usd: Decimal | None
    committed: bool
    sources: list[CitedSource]


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
    # A company's name and address, and its parents' slugs for the alliance between two groups.
    companies = (
        Company.objects.select_related("parent__parent")
        .only(
            *COMPANY_FIELDS,
            *(f"parent__{name}" for name in COMPANY_FIELDS),
            *(f"parent__parent__{name}" for name in COMPANY_FIELDS),
        )
        .in_bulk(company_ids)
    )
    if deals_per_leg is not None:
        for leg in rows.values():
            leg.deals = _largest(leg.deals, deals_per_leg)
    deal_ids = {entry["id"] for leg in rows.values() for entry in leg.deals}
    deals = (
        Deal.objects.published()
        .only("slug", "title", "status", "announced_on", "announced_precision")
        .in_bulk(deal_ids)
    )
    sources = _sources_by_deal(deals)
    result = []
    for cycle in cycles:
        result.append(
            Loop(
                cycle,
                [companies[company_id] for company_id in cycle.company_ids],
                [_leg(rows[(cycle.folded, payer, payee)], companies, deals, sources) for payer, payee in cycle.legs],
            )
        )
    return result


def _sources_by_deal(deals) -> dict[int, list[CitedSource]]:
    """{deal id: its sources}, each source once though it may support several figures, in citation order."""
    citations = (
        Citation.objects.filter(deal_id__in=list(deals))
        .order_by("supports", "pk")
        .values_list("deal_id", "source_id", "source__title", "source__url")
    )
    by_deal = {}
    for deal_id, source_id, title, url in citations:
        by_deal.setdefault(deal_id, {}).setdefault(source_id, CitedSource(title, url))
    return {deal_id: list(unique.values()) for deal_id, unique in by_deal.items()}


def _leg(row: CycleLeg, companies, deals, sources) -> Leg:
    return Leg(
        companies[row.payer_id],
        companies[row.payee_id],
        row.total_usd,
        row.complete,
        row.deal_count,
        [
            LegDeal(
                deals[entry["id"]],
                None if entry["usd"] is None else Decimal(entry["usd"]),
                entry["committed"],
                sources.get(entry["id"], []),
            )
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
