"""Filters on many keys, a batch of keys at a time.

A statement takes a bounded number of parameters: SQLite refuses more than its limit (250,000 in this build,
32,766 by default), and a derived-figure refresh can concern every deal or company of a large database.
"""

from collections.abc import Iterable, Iterator

BATCH = 5000


def batches(values: Iterable, size: int = BATCH) -> Iterator[list]:
    """The values, sorted (so that locks and writes keep one order), in lists of at most `size`."""
    ordered = sorted(set(values))
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


def filtered(queryset, lookup: str, values: Iterable, size: int = BATCH):
    """`queryset.filter(<lookup>=batch)` for each batch of the values: one queryset per batch."""
    for batch in batches(values, size):
        yield queryset.filter(**{lookup: batch})


def column_of(queryset, lookup: str, values: Iterable, column: str) -> set:
    """The set of `column` over the rows `queryset.filter(<lookup>=values)` gives, read a batch at a time."""
    return {value for some in filtered(queryset, lookup, values) for value in some.values_list(column, flat=True)}
