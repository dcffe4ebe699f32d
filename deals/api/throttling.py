"""Throttling of anonymous clients; authenticated staff are not throttled."""

from django.core.cache import caches
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

from dealsite.client_ip import client_ip


class AnonymousRateThrottle(AnonRateThrottle):
    """Requests per client address, at `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"]`.

    The rate is read on each request (DRF's own class reads it once, at import), so a change of
    settings, in tests or in the environment of a worker, takes effect.
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
