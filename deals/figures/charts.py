"""Money over time, summed in the database: per quarter by kind of deal, the largest investors, a company's years.

Like every total on the site, these are sums of the counted money flows (`deals.figures.flows`): committed money
apart from the further money that is only "up to", conditional or non-binding, deals in talks or cancelled
left out. Each function returns the rows of a table; the chart is drawn from the same rows.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from deals.core.choices import DealKind
from deals.core.money import CENT
from deals.core.svg_charts import Series, columns, horizontal_bars
from deals.figures.network import KIND_COLOURS
from deals.figures.totals import SIDES
from deals.models import Company, CompanyYear, MonthFigures

LARGEST_INVESTORS = 15
SIDE_LABELS = {
    "invested_usd": _("Invested"),
    "received_usd": _("Received"),
    "provided_usd": _("Sold as provider"),
    "bought_usd": _("Bought as customer"),
}
SIDE_COLOURS = {
    "invested_usd": "#1f77b4",
    "received_usd": "#2ca02c",
    "provided_usd": "#ff7f0e",
    "bought_usd": "#d62728",
}


@dataclass
class QuarterRow:
    label: str
    by_kind: list[Decimal | None]
    total: Decimal | None
    further: Decimal | None
    deal_count: int


def money_by_quarter() -> tuple[list[tuple[str, str]], list[QuarterRow]]:
    """([(kind, label)] of the kinds present, one row per quarter from the first to the last), in one query.

    Read from MonthFigures, which `deals.figures.periods` keeps equal to the sums of the counted flows."""
    cells = {}
    for month in MonthFigures.objects.order_by("year", "month", "kind"):
        key = (month.year, (month.month + 2) // 3, month.kind)
        cell = cells.setdefault(key, {"total": Decimal(0), "further": Decimal(0), "deals": 0})
        cell["total"] += month.committed_usd
        cell["further"] += month.further_usd
        cell["deals"] += month.deal_count
    for cell in cells.values():
        cell["total"], cell["further"] = _cents(cell["total"]), _cents(cell["further"])
    if not cells:
        return [], []
    kinds = [kind for kind in DealKind if any(key[2] == kind for key in cells)]
    first, last = min(cells)[:2], max(cells)[:2]
    rows = []
    for year, quarter in _quarters(first, last):
        found = [cells.get((year, quarter, kind)) for kind in kinds]
        rows.append(
            QuarterRow(
                gettext("%(year)s Q%(quarter)s") % {"year": year, "quarter": quarter},
                [cell["total"] if cell else None for cell in found],
                sum((cell["total"] for cell in found if cell), Decimal(0)) if any(found) else None,
                sum((cell["further"] for cell in found if cell), Decimal(0)) if any(found) else None,
                sum(cell["deals"] for cell in found if cell),
            )
        )
    return [(kind.value, kind.label) for kind in kinds], rows


def _quarters(first: tuple[int, int], last: tuple[int, int]):
    year, quarter = first
    while (year, quarter) <= last:
        yield year, quarter
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)


def quarter_chart(kinds, rows):
    series = [
        Series(label, KIND_COLOURS[kind], [row.by_kind[index] for row in rows])
        for index, (kind, label) in enumerate(kinds)
    ]
    return columns([row.label for row in rows], series, stacked=True)


def largest_investors(limit: int = LARGEST_INVESTORS):
    """The companies that invested the most, with their totals (`invested_usd`, from deals.figures.company_totals)."""
    return list(
        Company.objects.filter(totals__invested_usd__gt=0)
        .select_related("totals")
        .order_by(F("totals__invested_usd").desc(), "name")[:limit]
    )


def investors_chart(companies):
    values = [company.totals.invested_usd for company in companies]
    return horizontal_bars([company.name for company in companies], values, SIDE_COLOURS["invested_usd"])


@dataclass
class YearRow:
    year: int | None
    sides: dict
    deal_count: int

    @property
    def values(self) -> list[Decimal | None]:
        return [self.sides[side] for side in SIDES]


def company_years(company) -> list[YearRow]:
    """What the company invested, received, sold and bought, year by year (undated deals last), in one query.

    Read from CompanyYear, which `deals.figures.company_totals` keeps equal to the sums of the company's money flows.
    """
    years = CompanyYear.objects.filter(company=company).order_by(F("year").asc(nulls_last=True))
    return [YearRow(row.year, {side: _cents(getattr(row, side)) for side in SIDES}, row.deal_count) for row in years]


def _cents(amount: Decimal | None) -> Decimal | None:
    """Sums come back from SQLite without their decimal places; show them as PostgreSQL gives them."""
    return None if amount is None else amount.quantize(CENT)


def company_chart(rows: list[YearRow]):
    dated = [row for row in rows if row.year is not None]
    series = [
        Series(SIDE_LABELS[side], SIDE_COLOURS[side], [row.sides[side] for row in dated])
        for side in SIDES
        if any(row.sides[side] for row in dated)
    ]
    return columns([str(row.year) for row in dated], series, stacked=False)


def side_columns() -> list[tuple[str, str]]:
    return [(side, SIDE_LABELS[side]) for side in SIDES]
