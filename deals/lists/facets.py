"""Facet counts, as Datasette shows them: beside a list's filters, how many rows each value of a filter would leave.

A facet counts its list's rows under every other filter given (its own left out, so that another value can be
chosen instead of the one chosen), grouped by the value its filter takes: one GROUP BY query per facet, whatever the
page size. The counts are remembered under the content version (deals.rules.content_version) by the list, the facet
and the other filters' values (FilterSet.values_key): the list asked for again, or narrowed by this facet, reads them
from the cache. A facet counts rows, never money.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, F, Min, Q, QuerySet
from django.db.models.functions import ExtractYear, Upper

from deals.models import CompanyTotals, DealParty
from deals.rules import content_version

# The names a grouped query gives its columns (none is a field of the lists' models).
VALUE, NAME, ROWS = "facet_value", "facet_name", "facet_rows"
FACET_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class FacetValue:
    value: str | int  # as the filter takes it
    name: str  # what a visitor reads, when it is neither the value nor its choice's label (a company's name)
    count: int


@dataclass(frozen=True)
class Facet:
    filter: str  # the FilterSet's filter a value sets
    grouped: Callable[[QuerySet], QuerySet]  # the list's rows → their VALUE (and NAME) with their ROWS
    top: int | None = None  # only the `top` largest counts (else every value)
    newest_first: bool = False  # years: the latest first (else the largest counts first)
    # The same counts read from totals kept elsewhere, for the list with no other filter given.
    unfiltered: Callable[[], QuerySet] | None = None


@dataclass(frozen=True)
class Facets:
    rows: str  # names the rows the lists start from: a list with other rows must use another name
    facets: tuple[Facet, ...]


def column(name: str):
    """The rows grouped by a column of theirs (blank and null left out: no filter picks them)."""

    def grouped(rows):
        given = rows.filter(~Q(**{name: ""}), **{f"{name}__isnull": False})
        return given.values(**{VALUE: F(name)}).annotate(**{ROWS: Count("pk")})

    return grouped


def text_column(name: str):
    """The rows grouped by a text column that their filter compares case aside (iexact): a group per text, whatever
    its case, shown in one of its spellings."""

    def grouped(rows):
        given = rows.filter(~Q(**{name: ""}), **{f"{name}__isnull": False})
        return given.values(spelled=Upper(name)).annotate(**{VALUE: Min(name), ROWS: Count("pk")})

    return grouped


class Year(ExtractYear):
    """A date's year. On SQLite, the first four characters of the ISO date it stores: Django's ExtractYear calls a
    Python function for each row there (170 ms for the 100,000 deals' years, 15 ms this way)."""

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.lhs)
        return f"CAST(SUBSTR({sql}, 1, 4) AS INTEGER)", params


def year_of(name: str):
    def grouped(rows):
        dated = rows.filter(**{f"{name}__isnull": False})
        return dated.values(**{VALUE: Year(name)}).annotate(**{ROWS: Count("pk")})

    return grouped


def related(model, to_rows: str, name: str, shown: str | None = None):
    """The rows grouped by a column of the rows of `model` that point at them (a deal's parties): a list row is counted
    once in each group it has a related row in. `shown`: a column to show instead of the value (a company's name)."""

    def grouped(rows):
        related_rows = model.objects.filter(**{f"{to_rows}__in": rows.order_by().values("pk")}).order_by()
        columns = {VALUE: F(name), **({NAME: F(shown)} if shown else {})}
        return related_rows.values(**columns).annotate(**{ROWS: Count(to_rows, distinct=True)})

    return grouped


def _published_deals_by_company_kind():
    """The published deals grouped by their parties' company kinds, from the parties' copy of whether their deal is
    published (read with each company's parties from their index) rather than from the deals."""
    parties = DealParty.objects.filter(deal_published=True).order_by()
    return parties.values(**{VALUE: F("company__kind")}).annotate(**{ROWS: Count("deal", distinct=True)})


def _companies_by_stored_deal_count():
    """The companies of the most published deals, read in the order of the stored counts' index
    (deals.figures.company_totals): the same counts as the parties' grouped, with no deal or party read."""
    totals = CompanyTotals.objects.filter(deal_count__gt=0).order_by("-deal_count", "company")
    return totals.values(**{VALUE: F("company__slug"), NAME: F("company__name"), ROWS: F("deal_count")})


TOP = 10
YEARS = 12

DEAL_FACETS = Facets(
    "published-deals",
    (
        Facet("kind", column("kind")),
        Facet("status", column("status")),
        Facet("year", year_of("announced_on"), top=YEARS, newest_first=True),
        Facet("currency", column("currency"), top=TOP),
        Facet(
            "company_kind",
            related(DealParty, "deal", "company__kind"),
            unfiltered=_published_deals_by_company_kind,
        ),
        Facet(
            "company",
            related(DealParty, "deal", "company__slug", shown="company__name"),
            top=TOP,
            unfiltered=_companies_by_stored_deal_count,
        ),
    ),
)
COMPANY_FACETS = Facets(
    "companies-in-published-deals",
    (Facet("kind", column("kind")), Facet("country", text_column("country"), top=TOP)),
)
ALLIANCE_FACETS = Facets(
    "alliances",
    (
        # Not "has a deal of kind" (the `kind` filter): a kind per alliance is a column read; every kind of every
        # alliance's deals is the whole table of their deals, joined to the deals (140 ms at 100,000 deals).
        Facet("main_kind", column("dominant_kind")),
        Facet("latest_year", year_of("latest_announced"), top=YEARS, newest_first=True),
    ),
)
SOURCE_FACETS = Facets(
    "public-sources",
    (
        Facet("publisher", text_column("publisher"), top=TOP),
        Facet("language", text_column("language"), top=TOP),
        Facet("year", year_of("published_on"), top=YEARS, newest_first=True),
    ),
)


def facet_counts(filterset, facets: Facets) -> dict[str, tuple[FacetValue, ...]]:
    """{filter name: its values with their counts} for a valid FilterSet, each facet under the other filters given."""
    return {
        facet.filter: content_version.remembered(
            f"facet:{filterset.queryset.db}\n{facets.rows}\n{facet.filter}\n"
            f"{filterset.values_key(leaving_out=facet.filter)}",
            lambda facet=facet: _counted(filterset, facet),
            seconds=FACET_SECONDS,
        )
        for facet in facets.facets
    }


def _counted(filterset, facet: Facet) -> tuple[FacetValue, ...]:
    if facet.unfiltered is not None and not filterset.values_key(leaving_out=facet.filter):
        grouped = facet.unfiltered()
    else:
        grouped = facet.grouped(_rows_without(filterset, facet.filter))
    grouped = grouped.order_by(*((F(VALUE).desc(),) if facet.newest_first else (F(ROWS).desc(), VALUE)))
    if facet.top:
        grouped = grouped[: facet.top]
    return tuple(FacetValue(row[VALUE], row.get(NAME, ""), row[ROWS]) for row in grouped)


def _rows_without(filterset, name: str):
    """The rows of the FilterSet's list under every filter given but `name`: the same FilterSet, that one left out."""
    data = filterset.data.copy()
    data.pop(name, None)
    others = type(filterset)(data, queryset=filterset.queryset.prefetch_related(None), request=filterset.request)
    if not others.is_valid():
        raise ValueError(f"{type(filterset).__name__}: valid filters left invalid without {name}: {others.errors}")
    return others.qs.order_by()
