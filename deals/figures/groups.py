"""Corporate groups: each company's top parent (AWS → Amazon) and the companies below one. Every derived figure
counts money between groups (deals.figures.flows, alliances, company totals), and its locks are taken by group."""

from collections.abc import Iterable

from deals.core.batches import column_of, filtered
from deals.models import Company


def every_group() -> dict[int, int]:
    """Each company's top parent; a company without parent is its own group."""
    parent_of = dict(Company.objects.values_list("pk", "parent_id"))
    return {company_id: _top(parent_of, company_id) for company_id in parent_of}


def groups_of(company_ids: Iterable[int]) -> dict[int, int]:
    """Each company's top parent (AWS → Amazon), reading the parents a level at a time."""
    parent_of: dict[int, int | None] = {}
    wanted = set(company_ids)
    while wanted:
        rows = {}
        for companies in filtered(Company.objects.all(), "pk__in", wanted):
            rows.update(companies.values_list("pk", "parent_id"))
        parent_of.update(rows)
        wanted = {parent for parent in rows.values() if parent is not None and parent not in parent_of}
    return {company_id: _top(parent_of, company_id) for company_id in company_ids}


def descendants_of(company_id: int) -> set[int]:
    """The company and every company below it (its subsidiaries, theirs in turn)."""
    found, frontier = {company_id}, {company_id}
    while frontier:
        frontier = column_of(Company.objects.all(), "parent__in", frontier, "pk") - found
        found |= frontier
    return found


def _top(parent_of: dict[int, int | None], company_id: int) -> int:
    top, seen = company_id, {company_id}
    while parent_of.get(top) is not None and parent_of[top] not in seen:  # a cycle of parents stops where it closes
        top = parent_of[top]
        seen.add(top)
    return top
