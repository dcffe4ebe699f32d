"""Rebuilds the circular deals off the request path: one background thread per process, requests coalesced.

A save that changes published deals asks for a rebuild after its commit (`cycles.refresh_on_commit`)
and returns at once. The thread rebuilds until no request arrived during its last run: ten saves
during a rebuild cost one more rebuild, not ten. Rebuilds of all processes take turns through a lock
(an advisory lock on PostgreSQL, a lock file beside the SQLite database), and each one reads the deals
only once it holds the lock, so the last rebuild to write has read every change committed before it
was asked for. Until it finishes, pages show the previous loops. The thread is not a daemon: a
process (a management command, a gunicorn worker told to stop) finishes the rebuild before it
exits. One killed mid-rebuild loses it; `manage.py refresh_cycles` rebuilds by hand.
"""

import fcntl
import logging
import threading
import zlib
from contextlib import contextmanager
from pathlib import Path

from django.db import connection, connections

from deals import cycles

logger = logging.getLogger(__name__)
ADVISORY_LOCK_KEY = zlib.crc32(b"dealsite.cycles.refresh")


@contextmanager
def exclusive():
    """Hold the database-wide rebuild lock (shared by every process serving the database)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [ADVISORY_LOCK_KEY])
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK_KEY])
        return
    name = str(connection.settings_dict["NAME"])
    if connection.vendor != "sqlite" or connection.is_in_memory_db():
        yield
        return
    with open(Path(name).with_name(Path(name).name + ".cycles-lock"), "a") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def refresh_exclusively() -> int:
    with exclusive():
        return cycles.refresh()


class Refresher:
    def __init__(self):
        self._lock = threading.Lock()
        self._pending = False
        self._thread: threading.Thread | None = None
        self.runs = 0

    def request(self) -> None:
        """Ask for a rebuild; starts the thread unless it is running (it will see the request)."""
        with self._lock:
            self._pending = True
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, name="cycles-refresh")
                self._thread.start()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the thread to finish its work; True when it did within the timeout."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
            return not thread.is_alive()
        return True

    def _work(self) -> None:
        try:
            while True:
                with self._lock:
                    if not self._pending:
                        self._thread = None
                        return
                    self._pending = False
                try:
                    refresh_exclusively()
                    self.runs += 1
                except Exception:
                    logger.exception("Rebuilding the circular deals failed; the previous ones stay on show")
        finally:
            connections.close_all()


refresher = Refresher()
