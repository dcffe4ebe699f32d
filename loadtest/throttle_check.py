"""Does the API's anonymous throttle hold across gunicorn workers? 200 requests from one address.

    python3 loadtest/throttle_check.py http://127.0.0.1:8011 60 CLIENTS

With the rate at N a minute, N requests should pass in all and the rest answer 429: the workers share the throttle's
count through the cache (Redis here); a throttle kept per worker would let up to workers × N pass. One client at a
time or several at once, exactly N must pass: the count is an atomic INCR (deals/api/throttling.py), where DRF's
own throttle (read the history, check, write it back) let 87 of 200 through at 60 with 6 at a time. The 200
requests must fit in the rate's window (they take seconds). Exits 1 otherwise, or when any answer is neither 200
nor 429.
"""

import http.client
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

REQUESTS = 200
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
    address, rate, clients = urlsplit(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    with ThreadPoolExecutor(clients) as pool:
        statuses = Counter(pool.map(lambda _: status(address.hostname, address.port), range(REQUESTS)))
    passed, throttled = statuses[200], statuses[429]
    others = {code: count for code, count in statuses.items() if code not in (200, 429)}
    print(
        f"{REQUESTS} API requests from one address, {clients} at a time, at {rate}/minute: "
        f"{passed} answered 200, {throttled} answered 429" + (f", others {others}" if others else "")
    )
    if others or passed != rate:
        print(f"FAILED: expected {rate} to pass and the rest to be throttled")
        sys.exit(1)


if __name__ == "__main__":
    main()
