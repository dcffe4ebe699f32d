"""Who may rewrite which derived rows (money flows, alliances, company totals and years), and in what order.

Every derived row belongs to corporate groups (a company and its top parent): an alliance to its two groups,
a company's totals and years to its group, a deal's flows to the groups of its parties. A refresh of some
deals' figures first takes a lock on each group it touches, in ascending order, held to the end of the
transaction; a rebuild of every figure takes the lock of the whole set. So two refreshes that share a row
take turns (the second reads what the first committed: each refresh recomputes its rows from the deals, never
adds to them), two that share none run side by side, and a full rebuild runs alone. Taken in one order at the
start, the locks cannot deadlock with each other; the transaction's other locks still can, which is why
a refresh runs in a savepoint and is tried once more after a database error (deals.figures.tasks.retried).

On PostgreSQL these are transaction-level advisory locks (they lock no table row, so readers and foreign-key
checks never wait for them). SQLite lets one writer at a time into the whole file: nothing to do there.
"""

import zlib
from collections.abc import Iterable

from django.db import connection

# Two-key advisory locks (int4, int4): a keyspace apart from the one-key locks (deals.cycles_refresher).
EVERYTHING = zlib.crc32(b"dealsite.derived.everything") & 0x7FFFFFFF
GROUP = zlib.crc32(b"dealsite.derived.group") & 0x7FFFFFFF
INT4 = 2**31


def _locking() -> bool:
    return connection.vendor == "postgresql" and connection.in_atomic_block


def lock_groups(group_ids: Iterable[int]) -> None:
    """Lock the derived rows of these corporate groups (top parents), in ascending order, to the end of the
    transaction; a full rebuild waits for them, and they for it."""
    if not _locking():
        return
    keys = sorted({group_id % INT4 for group_id in group_ids if group_id is not None})
    # One statement: its select list is evaluated left to right, so the locks are taken in this order.
    calls = ["pg_advisory_xact_lock_shared(%s, 0)", *["pg_advisory_xact_lock(%s, %s)"] * len(keys)]
    params = [EVERYTHING, *(value for key in keys for value in (GROUP, key))]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(calls)}", params)


def lock_companies(company_ids: Iterable[int]) -> None:
    """Lock the derived rows of these companies' groups (see lock_groups)."""
    if not _locking():
        return
    from deals.figures.groups import groups_of

    lock_groups(groups_of(set(company_ids)).values())


def lock_deals(deal_ids: Iterable[int]) -> None:
    """Lock the derived rows of the groups of these deals' parties (see lock_groups)."""
    if not _locking():
        return
    from deals.models import DealParty

    lock_companies(DealParty.objects.filter(deal_id__in=set(deal_ids)).values_list("company_id", flat=True))


def lock_everything() -> None:
    """For a rebuild of every derived row: wait for the refreshes under way, and keep new ones waiting."""
    if not _locking():
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, 0)", [EVERYTHING])
