"""A number that changes whenever the public data may have: caches of whole-database computations and of list
counts (deals.lists.counts) key on it."""

import secrets
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from hashlib import blake2b

from django.core.cache import caches
from django.db import connections, router
from django.db.models import F

from deals.models.content_version import ContentVersion

ROW = 1
# {database alias: version} read inside a read_once() block; None outside one.
_read_in_block: ContextVar[dict | None] = ContextVar("content_version_read_in_block", default=None)


def current() -> int:
    """The current version, in one small query (0 before the first change).

    Read in the current transaction, from the database the ORM would read it from. Every list request asks for
    it, and a queryset took several times as long to build, compile and convert as the query took to run: the
    SQL is written once per database instead.
    """
    alias = router.db_for_read(ContentVersion)
    known = _read_in_block.get()
    if known is not None and alias in known:
        return known[alias]
    with connections[alias].cursor() as cursor:
        cursor.execute(_select_number(alias), [ROW])
        row = cursor.fetchone()
    number = row[0] if row else 0
    if known is not None:
        known[alias] = number
    return number


@contextmanager
def read_once():
    """Inside the block, the version is read once (per database): for a view that keeps several things under it.
    Any bump or renew inside the block forgets what was read."""
    token = _read_in_block.set({})
    try:
        yield
    finally:
        _read_in_block.reset(token)


def _forget_read() -> None:
    known = _read_in_block.get()
    if known is not None:
        known.clear()


@cache
def _select_number(alias: str) -> str:
    quote = connections[alias].ops.quote_name
    meta = ContentVersion._meta
    number, key = meta.get_field("number").column, meta.pk.column
    return f"SELECT {quote(number)} FROM {quote(meta.db_table)} WHERE {quote(key)} = %s"


def bump() -> None:
    """Count one more change; inside a transaction, others see it when it commits, with the change."""
    _forget_read()
    if not ContentVersion.objects.filter(pk=ROW).update(number=F("number") + 1):
        ContentVersion.objects.get_or_create(pk=ROW, defaults={"number": 1})


def renew() -> None:
    """After writes that bypass the signals (a bulk load, a restore): a random number, not the next one.

    A flushed or restored database counts again from a number some process may already have seen with other
    rows, and kept its counts under (deals.lists.counts); a random 62-bit number is one no process has seen.
    """
    _forget_read()
    number = secrets.randbits(62)
    if not ContentVersion.objects.filter(pk=ROW).update(number=number):
        ContentVersion.objects.create(pk=ROW, number=number)


def remembered(name: str, compute, *, cache_alias: str = "default", seconds: int = 24 * 60 * 60):
    """compute(), kept in the cache under `name` (any text: a digest of it is the key) and the current version:
    computed again after any change.

    The version is read before computing. A change that commits in between leaves a newer value under the
    version it retired, which no later request asks for; read the other way round, an old value could be
    kept under the new version.
    """
    key = f"{blake2b(name.encode(), digest_size=16).hexdigest()}:{current()}"
    cache = caches[cache_alias]
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value
