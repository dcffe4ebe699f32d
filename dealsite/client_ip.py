"""The client's address, trusting X-Forwarded-For only as far as our own proxies (NUM_PROXIES).

Same rule as DRF's throttles, and the one function both use: the login lock-out (django-axes, through
AXES_CLIENT_IP_CALLABLE) and the API rate limit (deals.api.throttling) see the same client. An entry that is not an
IP address (`1.2.3.4:8080`, garbage, a NUL byte: axes stores the address in an inet column on PostgreSQL, which
refuses them) is not believed: the connection's own address stands instead.
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    remote_addr = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if not settings.NUM_PROXIES or not forwarded:
        return remote_addr
    addresses = [address.strip() for address in forwarded.split(",") if address.strip()]
    if not addresses:
        return remote_addr
    return _valid_address(addresses[-min(settings.NUM_PROXIES, len(addresses))]) or remote_addr


def _valid_address(text: str) -> str | None:
    """The address in its usual written form, or None when the text is not an IPv4 or IPv6 address."""
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None
