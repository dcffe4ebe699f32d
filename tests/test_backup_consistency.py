"""A backup taken while editors write is one snapshot of the database (issue 20, finding 3).

Read table after table outside one snapshot, a backup held parties and citations of deals it did not hold (the
restore failed on them) or deals without theirs. First a commit made at a chosen moment, while the backup reads:
it must be in none of the backup's tables. Then a load: a writer thread creates and deletes deals with their
parties and citations, each in a transaction of its own, and notes every table after each of its commits.
Backups taken meanwhile are restored into the emptied database one by one: each must be, table by table and row
by row, the database as it was after one of those commits.
"""

import threading
import time

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from deals.models import Citation, Company, Deal, DealParty, Role, Source
from tests.factories import CompanyFactory, SourceFactory, make_deal
from tests.test_backup_restore import snapshot

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite's test database is in memory, with a shared cache whose table locks keep a reader and a "
        "writer thread from interleaving; run the suite on PostgreSQL (DATABASE_URL) for this test",
    ),
    pytest.mark.django_db(transaction=True),
]

BACKUPS = 3
KEPT = 3  # deals the writer keeps at a time: each commit adds one and deletes the oldest


class Writer(threading.Thread):
    """Creates a deal with two parties and a citation, and deletes the oldest of its deals, in one transaction,
    again and again; after each commit it notes every table (it is the only writer, so nothing changes between)."""

    def __init__(self, investor, investee, source):
        super().__init__(name="backup-consistency-writer")
        self.investor, self.investee, self.source = investor, investee, source
        self.stop = threading.Event()
        self.states = [snapshot()]
        self.commits = 0
        self.error = None

    def run(self):
        try:
            while not self.stop.is_set():
                self._write(f"load-{self.commits}", f"load-{self.commits - KEPT}")
                self.commits += 1
                self.states.append(snapshot())
        except BaseException as error:  # reported by the test
            self.error = error
        finally:
            connection.close()

    def write_once(self, new: str, old: str):
        try:
            self._write(new, old)
            self.commits += 1
        except BaseException as error:
            self.error = error
        finally:
            connection.close()

    def _write(self, new: str, old: str):
        with transaction.atomic():
            deal = Deal.objects.create(title=f"Deal {new}", slug=new, kind="equity")
            DealParty.objects.create(deal=deal, company=self.investor, role=Role.INVESTOR, amount=self.commits)
            DealParty.objects.create(deal=deal, company=self.investee, role=Role.INVESTEE)
            Citation.objects.create(deal=deal, source=self.source, quote=f"quote {new}")
            oldest = Deal.objects.filter(slug=old).first()
            if oldest is not None:
                oldest.delete()


def test_a_commit_made_while_a_backup_reads_is_in_none_of_its_tables(tmp_path, monkeypatch):
    investor, investee = CompanyFactory(slug="investor"), CompanyFactory(slug="investee")
    make_deal(investor, investee, slug="kept", published=False)
    make_deal(investor, investee, slug="doomed", published=False)
    writer = Writer(investor, investee, SourceFactory())
    before = writer.states[0]
    backup_thread, read_deals = threading.current_thread(), Deal.from_db.__func__

    def from_db(cls, *args, **kwargs):
        # Once the backup has read the deals, and before it reads their parties and citations, another
        # connection commits a new deal with its parties and citation, and deletes a deal with its own.
        if threading.current_thread() is backup_thread and not writer.commits:
            other = threading.Thread(target=writer.write_once, args=("newcomer", "doomed"))
            other.start()
            other.join()
        return read_deals(cls, *args, **kwargs)

    monkeypatch.setattr(Deal, "from_db", classmethod(from_db))
    backup = tmp_path / "backup.jsonl.gz"
    call_command("backup", str(backup), verbosity=0)
    monkeypatch.undo()
    assert writer.error is None, writer.error
    assert set(Deal.objects.values_list("slug", flat=True)) == {"kept", "newcomer"}, "the commit was made"

    _empty()
    try:
        call_command("restore", str(backup), verbosity=0)
    except IntegrityError as error:
        pytest.fail(f"the backup does not restore: {error}")
    restored = snapshot()
    assert restored == before, _difference(backup.name, restored, [before])


def test_backups_taken_during_writes_restore_as_the_database_was_after_one_commit(tmp_path):
    investor, investee = CompanyFactory(slug="investor"), CompanyFactory(slug="investee")
    for number in range(5):
        make_deal(investor, investee, slug=f"published-{number}")
    writer = Writer(investor, investee, SourceFactory())
    writer.start()
    backups = []
    try:
        while writer.commits < 3 and writer.is_alive():
            time.sleep(0.01)
        for number in range(BACKUPS):
            backups.append(tmp_path / f"backup-{number}.jsonl.gz")
            call_command("backup", str(backups[-1]), verbosity=0)
    finally:
        writer.stop.set()
        writer.join()
    assert writer.error is None, writer.error
    assert writer.commits >= BACKUPS, "the writer committed while the backups were taken"

    for backup in backups:
        _empty()
        try:
            call_command("restore", str(backup), verbosity=0)
        except IntegrityError as error:
            pytest.fail(f"{backup.name} does not restore: {error}")
        restored = snapshot()
        assert restored in writer.states, _difference(backup.name, restored, writer.states)


def _empty():
    """Restore takes an empty database (and flushes it itself): emptied of the content, quicker than a flush."""
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in (Deal, Company, Source))
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables} CASCADE")


def _difference(name: str, restored: dict, states: list[dict]) -> str:
    """Which tables differ from the nearest state the writer left, and how."""
    nearest = min(states, key=lambda state: sum(state[label] != rows for label, rows in restored.items()))
    lines = [f"{name} is not the database after any commit; against the nearest:"]
    for label, rows in restored.items():
        if nearest[label] != rows:
            missing = [row for row in nearest[label] if row not in rows]
            extra = [row for row in rows if row not in nearest[label]]
            lines.append(f"  {label}: {len(missing)} rows missing, {len(extra)} rows not in it")
    return "\n".join(lines)
