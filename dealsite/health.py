"""/healthz for load balancers and uptime checks: 200 when the database answers, 503 when it does not, in at most
HEALTHZ_TIMEOUT seconds even when the database hangs (a probe that waits longer than the balancer's own timeout
would see neither)."""

import threading
from concurrent.futures import Future

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

_lock = threading.Lock()
_in_flight: Future | None = None


@never_cache
@require_safe
def healthz(request):
    try:
        _check().result(timeout=settings.HEALTHZ_TIMEOUT)
    except (DatabaseError, TimeoutError):
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _check() -> Future:
    """The database asked in a thread of its own, on a connection of its own (the request's thread could not stop
    waiting on its own connection): a probe arriving while an earlier one still waits waits for that one, so a hung
    database holds one thread, until the connect or statement timeout ends it."""
    global _in_flight
    with _lock:
        if _in_flight is None or _in_flight.done():
            _in_flight = Future()
            threading.Thread(target=_ask_database, args=(_in_flight,), name="healthz", daemon=True).start()
        return _in_flight


def _ask_database(future: Future):
    try:
        connection = connections.create_connection(DEFAULT_DB_ALIAS)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        finally:
            connection.close()
    except BaseException as error:  # noqa: BLE001 - handed to the waiting request
        future.set_exception(error)
    else:
        future.set_result(True)
