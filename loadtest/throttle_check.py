"""Does the API's anonymous throttle hold across gunicorn workers? 200 requests from one address, a few at a time.

    python3 loadtest/throttle_check.py http://127.0.0.1:8011 60

With the rate at N a minute, N requests should pass in all and the rest answer 429: the workers share the throttle's
history through the cache (Redis here). A throttle kept per worker would let workers × N pass. Exits 1 when more or
fewer than N pass (within a tenth: concurrent requests may both read a history one short of full), or when any
answer is neither 200 nor 429.
"""

import http.client
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

REQUESTS = 200
CLIENTS = 6
PATH = "/api/v1/deals/?page_size=1"


def status(host: str, port: int) -> int:
    connection = http.client.HTTPConnection(host, port, timeout=30)
    try:
        connection.request("GET", PATH)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def main() -> None:
    address, rate = urlsplit(sys.argv[1]), int(sys.argv[2])
    with ThreadPoolExecutor(CLIENTS) as pool:
        statuses = Counter(pool.map(lambda _: status(address.hostname, address.port), range(REQUESTS)))
    passed, throttled = statuses[200], statuses[429]
    others = {code: count for code, count in statuses.items() if code not in (200, 429)}
    print(
        f"{REQUESTS} API requests from one address, {CLIENTS} at a time, at {rate}/minute: "
        f"{passed} answered 200, {throttled} answered 429" + (f", others {others}" if others else "")
    )
    allowed = range(rate - rate // 10, rate + rate // 10 + 1)
    if others or passed not in allowed:
        print(f"FAILED: expected {allowed.start}–{allowed.stop - 1} to pass and the rest to be throttled")
        sys.exit(1)


if __name__ == "__main__":
    main()
