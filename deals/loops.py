"""Circular deals as the page and the API show them: a page of Cycle rows with their companies, legs and deals.

Whatever the page size, three queries: the legs, the companies (with their parents and grandparents), and the
deals with their sources.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from deals.dates import format_partial_date
from deals.links import detail_url
from deals.models import Company, Cycle, CycleLeg, Deal

# A company's name and address, and its parent and grandparent for the slug of its group (families stop
# there or sooner; a deeper one costs a query a generation).
COMPANY_COLUMNS = (
    "pk",
    "name",
    "slug",
    "parent_id",
    "parent__slug",
    "parent__parent_id",
    "parent__parent__slug",
    "parent__parent__parent_id",
)
LEG_FIELDS = ("folded", "payer_id", "payee_id", "total_usd", "complete", "deal_count", "deals")


class CitedSource(NamedTuple):
    title: str
    url: str


class LoopCompany(NamedTuple):
    """What a loop shows of a company (a page names dozens: tuples cost less than model instances)."""

    pk: int
    name: str
    slug: str
    group_slug: str  # the slug of Company.group, the top of its family, for the alliance between two groups

    def get_absolute_url(self) -> str:
        return detail_url("deals:company-detail", slug=self.slug)


class LoopDeal(NamedTuple):
    """The few columns of a Deal that a loop shows (a page lists dozens: tuples cost less than model instances)."""

    pk: int
    slug: str
    title: str
    status: str
    announced_on: date | None
    announced_precision: str

    @property
    def announced_display(self) -> str:
        return format_partial_date(self.announced_on, self.announced_precision)

    def get_absolute_url(self) -> str:
        return detail_url("deals:deal-detail", slug=self.slug)


@dataclass
class LegDeal:
    deal: LoopDeal
    amount_usd: Decimal | None
    committed: bool
    sources: list[CitedSource]


@dataclass
class Leg:
    payer: LoopCompany
    payee: LoopCompany
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
        first, second = sorted((self.payer.group_slug, self.payee.group_slug))
        return detail_url("deals:alliance-detail", slug_a=first, slug_b=second)


@dataclass
class Loop:
    cycle: Cycle
    companies: list[LoopCompany]
    legs: list[Leg]

    @property
    def years(self) -> str:
        first, last = self.cycle.first_year, self.cycle.last_year
        if first is None:
            return ""
        return str(first) if first == last else f"{first}–{last}"


def loops(cycles, deals_per_leg: int | None = None) -> list[Loop]:
    """The Loop of each Cycle row given (one page of them), in three queries.

    Each leg lists the largest deals the CycleLeg row keeps, at most `deals_per_leg` of them when given
    (chronologically, as kept); the leg's `unlisted` counts the rest.
    """
    # (cycle, its companies' ids, its legs' (payer, payee)): each read from the members once.
    rounds = [(cycle, cycle.company_ids, cycle.legs) for cycle in cycles]
    if not rounds:
        return []
    wanted = {(cycle.folded, payer, payee) for cycle, _ids, pairs in rounds for payer, payee in pairs}
    company_ids = {company_id for _cycle, ids, _pairs in rounds for company_id in ids}
    views = {cycle.folded for cycle, _ids, _pairs in rounds}
    legs = CycleLeg.objects.filter(folded__in=views, payer_id__in=company_ids, payee_id__in=company_ids)
    rows = {
        key: leg
        for leg in legs.values(*LEG_FIELDS)
        if (key := (leg["folded"], leg["payer_id"], leg["payee_id"])) in wanted
    }
    companies = _companies(company_ids)
    if deals_per_leg is not None:
        for leg in rows.values():
            leg["deals"] = _largest(leg["deals"], deals_per_leg)
    deal_ids = {entry["id"] for leg in rows.values() for entry in leg["deals"]}
    deals, sources = _deals_with_sources(deal_ids)
    # The loops of a page share most of their legs: one Leg each, which the page then writes once.
    shared = {key: _leg(row, companies, deals, sources) for key, row in rows.items()}
    return [
        Loop(
            cycle,
            [companies[company_id] for company_id in ids],
            [shared[(cycle.folded, payer, payee)] for payer, payee in pairs],
        )
        for cycle, ids, pairs in rounds
    ]


def _companies(company_ids) -> dict[int, LoopCompany]:
    """{id: LoopCompany} of the companies given, in one query (more only for families deeper than three)."""
    rows = list(Company.objects.order_by().filter(pk__in=company_ids).values_list(*COMPANY_COLUMNS))
    # {id: (slug, parent id)} of each company and of the parents read with it.
    family = {}
    for pk, _name, slug, parent_id, parent_slug, grandparent_id, grandparent_slug, above_id in rows:
        family[pk] = (slug, parent_id)
        if parent_id:
            family[parent_id] = (parent_slug, grandparent_id)
        if grandparent_id:
            family[grandparent_id] = (grandparent_slug, above_id)
    return {row[0]: LoopCompany(*row[:3], _group_slug(row[0], family)) for row in rows}


def _group_slug(company_id: int, family: dict[int, tuple[str, int | None]]) -> str:
    """The slug of Company.group (the same walk up the parents), reading any parent `family` lacks."""
    slug, parent_id = family[company_id]
    seen = {company_id}
    while parent_id and parent_id not in seen:
        seen.add(parent_id)
        if parent_id not in family:
            family[parent_id] = Company.objects.values_list("slug", "parent_id").get(pk=parent_id)
        slug, parent_id = family[parent_id]
    return slug


def _deals_with_sources(deal_ids) -> tuple[dict[int, LoopDeal], dict[int, list[CitedSource]]]:
    """The published deals among `deal_ids`, and {deal id: its sources}, each source once though it may support
    several figures, in citation order. One query, a row per citation (one for a deal without any)."""
    rows = (
        Deal.objects.published()
        .filter(pk__in=deal_ids)
        .order_by("citations__supports", "citations__pk")
        .values_list(*LoopDeal._fields, "citations__source_id", "citations__source__title", "citations__source__url")
    )
    deals, by_deal = {}, {}
    width = len(LoopDeal._fields)
    for row in rows:
        deal_id = row[0]
        if deal_id not in deals:
            deals[deal_id] = LoopDeal(*row[:width])
        source_id, title, url = row[width:]
        if source_id is not None:
            by_deal.setdefault(deal_id, {}).setdefault(source_id, CitedSource(title, url))
    return deals, {deal_id: list(unique.values()) for deal_id, unique in by_deal.items()}


def _leg(row: dict, companies, deals, sources) -> Leg:
    return Leg(
        companies[row["payer_id"]],
        companies[row["payee_id"]],
        row["total_usd"],
        row["complete"],
        row["deal_count"],
        [
            LegDeal(
                deals[entry["id"]],
                None if entry["usd"] is None else Decimal(entry["usd"]),
                entry["committed"],
                sources.get(entry["id"], []),
            )
            for entry in row["deals"]
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
