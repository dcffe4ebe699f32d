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


def remembered_count(queryset) -> int:
    """queryset.count(), from the cache when this query was counted since the content last changed."""
    try:
        sql, params = queryset.order_by().query.get_compiler(queryset.db).as_sql()
    except EmptyResultSet:
        return 0
    digest = blake2b(f"{queryset.db}\n{sql}\n{params!r}".encode(), digest_size=16).hexdigest()
    return content_version.remembered(f"count:{digest}", queryset.count, cache_alias="counts", seconds=COUNT_SECONDS)


class RememberedCountPaginator(Paginator):
    """A Paginator whose total comes from remembered_count().

    `first_rows`, when given, is a function of n giving a narrower queryset that holds the first n rows of the list in
    the same order (FilterSet.first_rows): a page is read from it, and the total still from the whole list."""

    def __init__(self, *args, first_rows=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.first_rows = first_rows

    @cached_property
    def count(self) -> int:
        return remembered_count(self.object_list)

    def page(self, number):
        page = super().page(number)
        through = page.end_index()
        if self.first_rows is not None and through:
            page.object_list = self.first_rows(through)[page.start_index() - 1 : through]
        return page
