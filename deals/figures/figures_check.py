"""Recompute every stored figure from the deals and list where it differs from what is stored.

Each derived table is read, rebuilt from the deals inside a transaction that is then rolled back, and read
again: the command that runs this (`check_figures`) changes nothing, and a difference is a figure the site
shows that the deals do not support.
"""

from collections.abc import Callable
from decimal import Decimal
from typing import NamedTuple

from django.db import transaction

from deals.figures import alliances, company_totals, cycles, flows, periods, proxy_war
from deals.figures.totals import MONEY_FIELDS
from deals.models import (
    Alliance,
    CompanyTotals,
    CompanyYear,
    Cycle,
    CycleLeg,
    MoneyFlow,
    MonthFigures,
    ProxyWarBacker,
    ProxyWarLab,
)


class Table(NamedTuple):
    name: str
    model: type
    key: tuple[str, ...]
    values: tuple[str, ...]


TABLES = [
    Table(
        "money flows",
        MoneyFlow,
        ("deal_id", "payer_id", "payee_id", "payee_role"),
        (
            "payer_group_id",
            "payee_group_id",
            "purpose",
            "committed_usd",
            "further_usd",
            "unconverted",
            "counted",
            "in_parts_usd",
            "announced_on",
        ),
    ),
    Table(
        "alliances",
        Alliance,
        ("slug",),
        (
            "deal_count",
            "total_usd",
            "further_usd",
            "undisclosed_count",
            "first_announced",
            "latest_announced",
            "dominant_kind",
        ),
    ),
    Table("company totals", CompanyTotals, ("company_id",), (*MONEY_FIELDS, "deal_count")),
    Table("company years", CompanyYear, ("company_id", "year"), (*MONEY_FIELDS, "deal_count")),
    Table(
        "months of the charts", MonthFigures, ("year", "month", "kind"), ("committed_usd", "further_usd", "deal_count")
    ),
    Table(
        "proxy war labs",
        ProxyWarLab,
        ("lab_id",),
        ("total_usd", "further_usd", "joint_usd", "joint_further_usd", "backer_count"),
    ),
    Table(
        "proxy war backers",
        ProxyWarBacker,
        ("lab_id", "backer_id"),
        ("total_usd", "further_usd", "complete", "deal_count"),
    ),
    Table("circular deals", Cycle, ("folded", "signature"), ("length", "smaller_flow_usd", "deal_count")),
    Table(
        "legs of circular deals",
        CycleLeg,
        ("folded", "payer_id", "payee_id"),
        ("total_usd", "further_usd", "complete", "deal_count"),
    ),
]
REBUILDS: list[Callable[[], object]] = [
    flows.rebuild,
    alliances.refresh,
    company_totals.refresh,
    periods.refresh,
    proxy_war.refresh,
    cycles.refresh,
]


class Difference(NamedTuple):
    table: str
    key: tuple
    stored: dict | None
    computed: dict | None

    def __str__(self) -> str:
        if self.stored is None:
            return f"{self.table} {self.key}: missing, the deals give {self.computed}"
        if self.computed is None:
            return f"{self.table} {self.key}: stored {self.stored}, the deals give no such row"
        changed = {name for name in self.stored if self.stored[name] != self.computed[name]}
        shown = ", ".join(f"{name} stored {self.stored[name]} vs {self.computed[name]}" for name in sorted(changed))
        return f"{self.table} {self.key}: {shown}"


def _comparable(value):
    return value.normalize() if isinstance(value, Decimal) else value


def _rows(table: Table) -> dict[tuple, dict]:
    fields = (*table.key, *table.values)
    rows = {}
    for values in table.model.objects.order_by().values_list(*fields).iterator(chunk_size=5000):
        key, rest = values[: len(table.key)], values[len(table.key) :]
        # Several flows of one deal may share a key (a joint flow has no payer): count them apart.
        while key in rows:
            key = (*key, "again")
        rows[key] = {name: _comparable(value) for name, value in zip(table.values, rest, strict=True)}
    return rows


def differences() -> list[Difference]:
    """Every stored figure that a rebuild from the deals would change; nothing is written."""
    with transaction.atomic():
        stored = {table.name: _rows(table) for table in TABLES}
        for rebuild in REBUILDS:
            rebuild()
        computed = {table.name: _rows(table) for table in TABLES}
        transaction.set_rollback(True)
    found = []
    for table in TABLES:
        before, after = stored[table.name], computed[table.name]
        for key in sorted(set(before) | set(after), key=repr):
            if before.get(key) != after.get(key):
                found.append(Difference(table.name, key, before.get(key), after.get(key)))
    return found
