"""Test data built once for a run of tests instead of once per test, the way Django's `setUpTestData` shares it.

`@shared_fixture` turns a builder (no arguments, writes to the database, returns what tests use) into a
fixture of the same name. When a test that asks for it starts, the shelf makes sure the data is in the
database inside a transaction of its own that stays open; pytest-django's per-test transaction then nests
inside it as a savepoint, so whatever the test writes is rolled back and the next test finds the data as
built. Each test gets a deep copy of the builder's result, so changes to those objects stay in the test too.

The shelf holds exactly the shared data the current test asks for: when the next database test asks for
another set (or for none), the open transaction is rolled back and the new set is built. Transactional
tests (live server, `transaction=True`) cannot run inside a transaction: for them the shelf is emptied and
the fixture builds its data in the test, as a plain fixture would.

A shared fixture is recognised by its name, so that name must not be used by any other fixture or
parameter under tests/; a test that got shared data built but never used it fails, naming the fixture.
"""

import copy
from collections.abc import Callable

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

BUILDERS: dict[str, Callable] = {}
shelf: "Shelf | None" = None  # the session's, once a database test has run (tests/conftest.py)
TRANSACTIONAL_FIXTURES = {
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


def shared_fixture(build: Callable):
    """Register `build` as shared data and return the pytest fixture (named after it) that hands it to tests."""
    name = build.__name__
    if name in BUILDERS:
        raise ValueError(f"Two shared fixtures are named {name!r}; the shelf tells them apart by name.")
    BUILDERS[name] = build

    @pytest.fixture(name=name)
    def fixture(db, _shelf):
        return _shelf.take(name)

    fixture.__doc__ = build.__doc__
    return fixture


def is_transactional(request) -> bool:
    """Whether pytest-django runs this test in a TransactionTestCase (same rules as its `_django_db_helper`)."""
    from pytest_django.fixtures import validate_django_db

    marker = request.node.get_closest_marker("django_db")
    if marker:
        transactional, reset_sequences, _databases, serialized_rollback, _apps = validate_django_db(marker)
        if transactional or reset_sequences:
            return True
    return bool(TRANSACTIONAL_FIXTURES & set(request.fixturenames))


class Shelf:
    """The shared data in the database now: which builders ran, their results, and the transaction holding them."""

    def __init__(self, django_db_blocker):
        self.blocker = django_db_blocker
        self.atomic = None
        self.connection = None
        self.names: tuple[str, ...] = ()
        self.results: dict[str, object] = {}
        self.unused: tuple[str, set[str]] = ("", set())

    def prepare_for(self, request) -> None:
        """Before the test's own transaction begins: hold exactly the shared data it asks for."""
        wanted = () if is_transactional(request) else tuple(n for n in request.fixturenames if n in BUILDERS)
        if wanted != self.names:
            self.empty()
            if wanted:
                self._build(wanted)
        self.unused = (request.node.nodeid, set(wanted))

    def take(self, name: str):
        """What the builder returned, deep-copied; built here, in the test's transaction, when not on the shelf."""
        if name not in self.results:
            return BUILDERS[name]()
        self.unused[1].discard(name)
        return copy.deepcopy(self.results[name])

    def check_used(self, item) -> None:
        """Once the test's fixtures are set up: it took every shared fixture built for it."""
        nodeid, unused = self.unused
        if nodeid == item.nodeid and unused:
            raise RuntimeError(
                f"Shared data {sorted(unused)} was built for this test but it uses another fixture or parameter "
                "of that name: rename one of them (see tests/shared_data.py)."
            )

    def check_nested(self) -> None:
        """The test's transaction must be the innermost one, inside the shelf's (not the shelf's alone)."""
        if self.atomic is not None and not connection.atomic_blocks[-1]._from_testcase:
            raise RuntimeError("A test ran inside the shared data's transaction without one of its own.")

    def empty(self) -> None:
        if self.atomic is not None:
            # Under Playwright's event loop (browser tests) `connection` is another object: end the block on its own.
            current = connections[DEFAULT_DB_ALIAS]
            connections[DEFAULT_DB_ALIAS] = self.connection
            try:
                with self.blocker.unblock():
                    transaction.set_rollback(True)
                    self.atomic.__exit__(None, None, None)
            finally:
                connections[DEFAULT_DB_ALIAS] = current
        self.atomic, self.connection, self.names, self.results = None, None, (), {}

    def _build(self, names: tuple[str, ...]) -> None:
        with self.blocker.unblock():
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            self.connection = connections[DEFAULT_DB_ALIAS]
            self.names = names
            try:
                for name in names:
                    self.results[name] = BUILDERS[name]()
            except BaseException:
                self.empty()
                raise
