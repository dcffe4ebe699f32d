"""The client's address, trusting X-Forwarded-For only as far as our own proxies (NUM_PROXIES).

Same rule as DRF's throttles, so the login lock-out and the API rate limit see the same client.
"""

from django.conf import settings


def client_ip(request) -> str:
    remote_addr = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if not settings.NUM_PROXIES or not forwarded:
        return remote_addr
    addresses = [address.strip() for address in forwarded.split(",") if address.strip()]
    if not addresses:
        return remote_addr
    return addresses[-min(settings.NUM_PROXIES, len(addresses))]
