"""Following the sources' links (live and archived) to find those that are dead or redirected: for check_links.

Each address is asked for once, without following redirects, with a timeout; a few at a time at most.
"""

import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from deals.core.links import web_link

USER_AGENT = "Dealsite link check"
OK, DEAD, REDIRECTED = "ok", "dead", "redirected"


@dataclass(frozen=True)
class LinkResult:
    source_id: int
    field: str  # "url" or "archived_url"
    url: str
    verdict: str
    detail: str  # the status, the error, or where it redirects to


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # the 3xx then comes back as an HTTPError, whose Location is reported


_OPENER = urllib.request.build_opener(_NoRedirects)


def check_url(url: str, timeout: float) -> tuple[str, str]:
    """(verdict, detail) for one address."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT}, method="GET")
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return OK, str(response.status)
    except urllib.error.HTTPError as error:
        if 300 <= error.code < 400:
            return REDIRECTED, f"{error.code} → {error.headers.get('Location', '?')}"
        return DEAD, str(error.code)
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return DEAD, f"{type(reason).__name__}: {reason}" if str(reason) else type(reason).__name__


def check_sources(sources, *, timeout: float, concurrency: int) -> list[LinkResult]:
    """Every http(s) link of the sources (their live and archived addresses), checked; in the sources' order."""
    links = [
        (source.pk, field, getattr(source, field))
        for source in sources
        for field in ("url", "archived_url")
        if web_link(getattr(source, field))
    ]
    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        verdicts = list(pool.map(lambda link: check_url(link[2], timeout), links))
    return [LinkResult(pk, field, url, *verdict) for (pk, field, url), verdict in zip(links, verdicts, strict=True)]
