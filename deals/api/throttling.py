"""Throttling of anonymous clients; authenticated staff are not throttled."""

from django.core.cache import caches
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

from dealsite.client_ip import client_ip


class AnonymousRateThrottle(AnonRateThrottle):
    """Requests per client address, at `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"]`, counted in a window that
    opens with a client's first request and lasts the rate's period.

    DRF's own throttle reads a client's list of request times, appends to it and writes it back: workers answering
    one client at once each read the same list, and one write wins. Measured through `make loadtest` (3 gunicorn
    workers, Redis, 60/minute): 6 concurrent clients from one address got 87 of 200 requests through, not 60.
    Here the window's opening is an `add` (SET NX on Redis) and the count an `incr` (INCRBY), both atomic on Redis,
    so the workers of every machine let exactly the rate through. (The file cache, the embedded default, reads and
    writes to count: it stays exact for one client at a time.)

    The rate is read on each request (DRF's own class reads it once, at import), so a change of settings, in tests
    or in the environment of a worker, takes effect.
    """

    @property
    def cache(self):
        """The shared cache's part kept for throttling (settings.CACHES["throttle"]), culled apart from the pages."""
        return caches["throttle"]

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def get_ident(self, request):
        # The admin's login lock-out counts the same address (axes uses client_ip too), trusting
        # X-Forwarded-For only as far as NUM_PROXIES of our own proxies.
        return client_ip(request)

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        self.window_opened = self._window_opened()
        return self._count_in(self.window_opened) <= self.num_requests

    def wait(self):
        return max(self.window_opened + self.duration - self.now, 0)

    def _window_opened(self) -> float:
        opened_key = f"{self.key}:opened"
        self.cache.add(opened_key, self.now, self.duration)
        return self.cache.get(opened_key, self.now)

    def _count_in(self, window_opened: float) -> int:
        # Each window counts under a key of its own, so a count never outlives its window.
        count_key = f"{self.key}:{window_opened!r}"
        self.cache.add(count_key, 0, self.duration + 1)
        try:
            return self.cache.incr(count_key)
        except ValueError:  # the window closed between the two calls: this request opens the next one's count
            self.cache.add(count_key, 1, self.duration + 1)
            return 1
