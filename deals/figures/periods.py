"""Keeps the MonthFigures table equal to the counted money flows of each month and kind of deal, for the charts.

A month's row sums the flows that `deals.figures.charts` adds up (counted, dated, of a known amount): committed
money apart from the further money. A deal has one kind and one date, so it counts in one row only, and the
rows of a quarter add up to the quarter. A save rewrites the months its deals' flows were and are in.
"""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear

from deals.core.batches import batches
from deals.models import MoneyFlow, MonthFigures

Month = tuple[int, int]
# Months recomputed by one query (each is a date range of its own in the query).
MONTHS_PER_QUERY = 100


def _counted_flows():
    known = Q(committed_usd__isnull=False) | Q(further_usd__isnull=False)
    return MoneyFlow.objects.filter(known, counted=True, announced_on__isnull=False).order_by()


def months_of_deals(deal_ids: Iterable[int]) -> set[Month]:
    """The months the counted flows of these deals are in now."""
    found = set()
    for batch in batches(set(deal_ids)):
        dated = _counted_flows().filter(deal_id__in=batch)
        found |= set(dated.values_list(ExtractYear("announced_on"), ExtractMonth("announced_on")).distinct())
    return found


def _within(months: set[Month]) -> Q:
    wanted = Q(pk__in=[])
    for year, month in months:
        start = datetime.date(year, month, 1)
        end = datetime.date(year + 1, 1, 1) if month == 12 else datetime.date(year, month + 1, 1)
        wanted |= Q(announced_on__gte=start, announced_on__lt=end)
    return wanted


def computed(months: set[Month] | None = None) -> list[MonthFigures]:
    """The rows of these months (every month when None), from the flows."""
    flows = _counted_flows()
    if months is not None:
        flows = flows.filter(_within(months))
    sums = (
        flows.annotate(year=ExtractYear("announced_on"), month=ExtractMonth("announced_on"), kind=F("deal__kind"))
        .values("year", "month", "kind")
        .annotate(
            committed=Coalesce(Sum("committed_usd"), 0, output_field=MoneyFlow.committed_usd.field),
            further=Coalesce(Sum("further_usd"), 0, output_field=MoneyFlow.further_usd.field),
            deals=Count("deal", distinct=True),
        )
        .order_by("year", "month", "kind")
    )
    return [
        MonthFigures(
            year=row["year"],
            month=row["month"],
            kind=row["kind"],
            committed_usd=row["committed"],
            further_usd=row["further"],
            deal_count=row["deals"],
        )
        for row in sums
    ]


@transaction.atomic
def refresh(months: Iterable[Month] | None = None) -> int:
    """Rewrite the rows of these months, or every row when None; return the rows written.

    Only figure tasks write these rows, one at a time (deals.figures.tasks), right after the flows they read."""
    if months is None:
        MonthFigures.objects.all().delete()
        return len(MonthFigures.objects.bulk_create(computed(None), batch_size=2000))
    written = 0
    for batch in batches(months, size=MONTHS_PER_QUERY):
        MonthFigures.objects.filter(_months(batch)).delete()
        written += len(MonthFigures.objects.bulk_create(computed(set(batch)), batch_size=2000))
    return written


def _months(months) -> Q:
    wanted = Q(pk__in=[])
    for year, month in months:
        wanted |= Q(year=year, month=month)
    return wanted
