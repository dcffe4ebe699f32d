"""Circular deals as the page and the API show them: a page of Cycle rows with their companies, legs and deals.

Whatever the page size, three queries: the legs, the companies (with their parents and grandparents), and the
deals with their sources. They are written in SQL: through the ORM, building, compiling and converting them took
about 2 ms a page, three times what the database takes to answer them. Each value comes back as the ORM gives it.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.db import connection

from deals.core.choices import DealStatus, Publication
from deals.core.dates import format_partial_date
from deals.core.links import detail_url
from deals.models import Company, Cycle, CycleLeg

# A company's name and address, and its parent and grandparent for the slug of its group (families stop
# there or sooner; a deeper one costs a query a generation).
COMPANIES_SQL = """
SELECT company.id, company.name, company.slug,
       company.parent_id, parent.slug, parent.parent_id, grandparent.slug, grandparent.parent_id
FROM deals_company company
LEFT OUTER JOIN deals_company parent ON parent.id = company.parent_id
LEFT OUTER JOIN deals_company grandparent ON grandparent.id = parent.parent_id
WHERE company.id IN ({companies})
"""
# Every leg between the page's companies, in the page's views: the loops' own legs among them.
LEGS_SQL = """
SELECT folded, payer_id, payee_id, total_usd, further_usd, complete, deal_count, deals
FROM deals_cycleleg
WHERE folded IN ({views}) AND payer_id IN ({companies}) AND payee_id IN ({companies})
"""
# A row per citation (one for a deal without any), in citation order.
DEALS_SQL = """
SELECT deal.id, deal.slug, deal.title, deal.status, deal.announced_on, deal.announced_precision,
       source.id, source.title, source.url, source.language
FROM deals_deal deal
LEFT OUTER JOIN deals_citation citation ON citation.deal_id = deal.id
LEFT OUTER JOIN deals_source source ON source.id = citation.source_id
WHERE deal.publication = %s AND deal.id IN ({deals})
ORDER BY citation.supports ASC, citation.id ASC
"""


class CitedSource(NamedTuple):
    title: str
    url: str
    language: str


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

    def get_status_display(self) -> str:
        return DealStatus(self.status).label if self.status in DealStatus.values else self.status

    def get_absolute_url(self) -> str:
        return detail_url("deals:deal-detail", slug=self.slug)


@dataclass
class LegDeal:
    deal: LoopDeal
    amount_usd: Decimal | None
    further_usd: Decimal | None
    committed: bool
    sources: list[CitedSource]


@dataclass
class Leg:
    payer: LoopCompany
    payee: LoopCompany
    total_usd: Decimal | None
    further_usd: Decimal | None
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
    rows = _leg_rows(views, company_ids, wanted)
    companies = _companies(company_ids)
    if deals_per_leg is not None:
        for leg in rows.values():
            leg["deals"] = _largest(leg["deals"], deals_per_leg)
    deal_ids = {entry["id"] for leg in rows.values() for entry in leg["deals"]}
    deals, sources = _deals_with_sources(deal_ids)
    # The loops of a page share most of their legs: one Leg each, which the page then writes once.
    shared = {key: _leg(key, row, companies, deals, sources) for key, row in rows.items()}
    return [
        Loop(
            cycle,
            [companies[company_id] for company_id in ids],
            [shared[(cycle.folded, payer, payee)] for payer, payee in pairs],
        )
        for cycle, ids, pairs in rounds
    ]


def _placeholders(values) -> str:
    return ", ".join(["%s"] * len(values))


def _select(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _as_the_orm_reads(model, field_name: str):
    """value → the field's value as the ORM gives it: the same converters (SQLite returns a decimal as a float,
    JSON as text). Dates and booleans come back as such from both databases (Django's SQLite converters)."""
    field = model._meta.get_field(field_name)
    column = field.get_col(model._meta.db_table)
    steps = connection.ops.get_db_converters(column) + field.get_db_converters(connection)

    def convert(value):
        for step in steps:
            value = step(value, column, connection)
        return value

    return convert


def _leg_rows(views: set[bool], company_ids: set[int], wanted: set[tuple]) -> dict[tuple, dict]:
    """{(folded, payer, payee): the CycleLeg's columns} of the legs wanted."""
    sql = LEGS_SQL.format(views=_placeholders(views), companies=_placeholders(company_ids))
    rows = _select(sql, [*views, *company_ids, *company_ids])
    total_usd, deals = _as_the_orm_reads(CycleLeg, "total_usd"), _as_the_orm_reads(CycleLeg, "deals")
    return {
        key: {
            "total_usd": total_usd(total),
            "further_usd": total_usd(further),
            "complete": complete,
            "deal_count": count,
            "deals": deals(kept),
        }
        for folded, payer, payee, total, further, complete, count, kept in rows
        if (key := (folded, payer, payee)) in wanted
    }


def _companies(company_ids) -> dict[int, LoopCompany]:
    """{id: LoopCompany} of the companies given, in one query (more only for families deeper than three)."""
    rows = _select(COMPANIES_SQL.format(companies=_placeholders(company_ids)), list(company_ids))
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
    deals, by_deal = {}, {}
    if not deal_ids:
        return deals, by_deal
    rows = _select(DEALS_SQL.format(deals=_placeholders(deal_ids)), [Publication.PUBLISHED.value, *deal_ids])
    width = len(LoopDeal._fields)
    for row in rows:
        deal_id = row[0]
        if deal_id not in deals:
            deals[deal_id] = LoopDeal(*row[:width])
        source_id, title, url, language = row[width:]
        if source_id is not None:
            by_deal.setdefault(deal_id, {}).setdefault(source_id, CitedSource(title, url, language))
    return deals, {deal_id: list(unique.values()) for deal_id, unique in by_deal.items()}


def _leg(key: tuple, row: dict, companies, deals, sources) -> Leg:
    _folded, payer, payee = key
    return Leg(
        companies[payer],
        companies[payee],
        row["total_usd"],
        row["further_usd"],
        row["complete"],
        row["deal_count"],
        [
            LegDeal(
                deals[entry["id"]],
                None if entry["usd"] is None else Decimal(entry["usd"]),
                Decimal(entry["further"]) if entry.get("further") else None,
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
