"""How many rows a list has, remembered in the cache under the content version (deals.rules.content_version).

Counting is often most of a list request's SQL at 100,000 deals (every published deal: 4 ms on SQLite,
15 ms on PostgreSQL; every alliance: 8 ms on PostgreSQL), and a count only changes when the content does.
Every save or delete of a company, deal, party, citation or source bumps the version in the transaction that
writes it (the alliances and company totals are refreshed in that same transaction), and so does each rebuild
of the circular deals, which runs after the commit: a count kept under the current version is the count of the
current rows.

The deal lists page a FilteredRows: their totals are kept by the filters' values rather than by their SQL, and
their pages' SQL is compiled once (deals.lists.compiled_query).
"""

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.utils.functional import cached_property

from deals.lists.compiled_query import CompiledQuery
from deals.lists.memo import Memo
from deals.rules import content_version

# Kept a day at most: a version lives until the next edit, and an unused count is culled sooner.
COUNT_SECONDS = 24 * 60 * 60
# The compiled SQL of the pages of FilteredRows lists, per process.
_PAGES = Memo(size=512)


def remembered_total(name: str, count) -> int:
    """count(), kept in the counts cache under `name` until the content changes."""
    return content_version.remembered(f"count:{name}", count, cache_alias="counts", seconds=COUNT_SECONDS)


def remembered_count(queryset) -> int:
    """queryset.count(), from the cache when this query was counted since the content last changed."""
    try:
        sql, params = queryset.order_by().query.get_compiler(queryset.db).as_sql()
    except EmptyResultSet:
        return 0
    return remembered_total(f"{queryset.db}\n{sql}\n{params!r}", queryset.count)


class FilteredRows:
    """A valid FilterSet's rows, paged by RememberedCountPaginator with their SQL compiled once.

    `start` names the queryset the FilterSet starts from and the `shape` given to the rows read (e.g. a values()
    call): the same name must mean the same rows, in the same shape. The total is kept under it and the filters'
    values (FilterSet.values_key), and each page's SQL under those and the page's bounds. Where the FilterSet knows
    a narrower query of the first rows (FilterSet.first_rows), a page is read from it, and the whole list is only
    built when it must be counted. `published_only` (the default) says the list holds no drafts."""

    def __init__(self, filterset, *, start: str, published_only: bool = True, shape=lambda rows: rows):
        if not filterset.values_decide_rows:
            raise TypeError(f"{type(filterset).__name__}'s rows depend on more than its filters' values.")
        self.filterset = filterset
        self.shape = shape
        self.start = f"{filterset.queryset.db}\n{start}"
        self.count_key = f"{self.start}\n{filterset.values_key()}"
        self.first_rows = filterset.first_rows(published_only)

    def count(self) -> int:
        return remembered_total(self.count_key, lambda: self.filterset.qs.count())

    def __getitem__(self, rows: slice) -> list:
        """The rows of a page. Its SQL depends only on the list, the filters' values and the page's bounds: it is
        compiled once for them (deals.lists.compiled_query), and a page asked for again builds no queryset."""
        if not rows.stop:
            return []
        key = (self.start, self.filterset.values_key(with_order=True), rows.start, rows.stop)
        return _PAGES.get(key, lambda: CompiledQuery(self._page(rows))).run()

    def _page(self, rows: slice):
        rows_from = self.filterset.qs if self.first_rows is None else self.first_rows(rows.stop)
        return self.shape(rows_from)[rows]


class RememberedCountPaginator(Paginator):
    """A Paginator whose total is remembered: remembered_count() of a queryset, or a FilteredRows' own."""

    @cached_property
    def count(self) -> int:
        if isinstance(self.object_list, FilteredRows):
            return self.object_list.count()
        return remembered_count(self.object_list)
