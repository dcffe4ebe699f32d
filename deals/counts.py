"""How many rows a list has, remembered in the cache under the content version (deals.content_version).

Counting is often most of a list request's SQL at 100,000 deals (every published deal: 4 ms on SQLite,
15 ms on PostgreSQL; every alliance: 8 ms on PostgreSQL), and a count only changes when the content does.
Every save or delete of a company, deal, party, citation or source bumps the version in the transaction that
writes it (the alliances and company totals are refreshed in that same transaction), and so does each rebuild
of the circular deals, which runs after the commit: a count kept under the current version is the count of the
current rows.
"""

from hashlib import blake2b

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.utils.functional import cached_property

from deals import content_version

# Kept a day at most: a version lives until the next edit, and an unused count is culled sooner.
COUNT_SECONDS = 24 * 60 * 60


def _digest(text: str) -> str:
    return blake2b(text.encode(), digest_size=16).hexdigest()


def remembered_count(queryset) -> int:
    """queryset.count(), from the cache when this query was counted since the content last changed."""
    try:
        sql, params = queryset.order_by().query.get_compiler(queryset.db).as_sql()
    except EmptyResultSet:
        return 0
    digest = _digest(f"{queryset.db}\n{sql}\n{params!r}")
    return content_version.remembered(f"count:{digest}", queryset.count, cache_alias="counts", seconds=COUNT_SECONDS)


class FilteredRows:
    """A valid FilterSet's rows, to be paged by RememberedCountPaginator without compiling their SQL.

    `start` names the queryset the FilterSet starts from (the same name, the same rows): the total is kept under it
    and the filters' values (FilterSet.values_key). Where the FilterSet knows a narrower query of the first rows
    (FilterSet.first_rows), a page is read from it, and the whole list is only built when it must be counted.
    `shape` is applied to each queryset read (e.g. a values() call)."""

    def __init__(self, filterset, *, start: str, published_only: bool, shape=lambda rows: rows):
        self.filterset = filterset
        self.shape = shape
        self.count_key = "count:" + _digest(f"{filterset.queryset.db}\n{start}\n{filterset.values_key()}")
        self.first_rows = filterset.first_rows(published_only)

    @cached_property
    def queryset(self):
        return self.shape(self.filterset.qs)

    def count(self) -> int:
        return content_version.remembered(
            self.count_key, lambda: self.filterset.qs.count(), cache_alias="counts", seconds=COUNT_SECONDS
        )

    def __getitem__(self, rows: slice):
        if self.first_rows is None:
            return self.queryset[rows]
        if not rows.stop:
            return []
        return self.shape(self.first_rows(rows.stop))[rows]


class RememberedCountPaginator(Paginator):
    """A Paginator whose total is remembered: remembered_count() of a queryset, or a FilteredRows' own."""

    @cached_property
    def count(self) -> int:
        if isinstance(self.object_list, FilteredRows):
            return self.object_list.count()
        return remembered_count(self.object_list)
