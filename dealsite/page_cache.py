"""Whole public responses kept in the shared cache (the `default` one) under the content version.

An anonymous GET or HEAD of a public address is answered from the cache when the same address (scheme and
host, path, query string as sent, language, response format) was answered since the content last changed: every
save bumps the version (deals.rules.content_version), so a page kept under it is the page of the
current rows. Editors (a session that is logged in, or an API token), unsafe methods, the admin and responses
that set a cookie or vary on one are never kept or served from it; nor are streamed responses (the large CSV
exports) nor any status but 200. `X-Cache: hit` or `miss` says which. PAGE_CACHE_SECONDS = 0 turns it off.

The language comes from the address (i18n_patterns: `/es/…`, English unprefixed), so LocaleMiddleware's
`Vary: Accept-Language` does not split what is kept. The API negotiates its format from `Accept` as well as
`?format=`: its key holds the `Accept` header too.
"""

from hashlib import blake2b
from types import SimpleNamespace

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, has_vary_header
from django.utils.functional import SimpleLazyObject, empty
from django.utils.translation import get_language

from deals.api.throttling import AnonymousRateThrottle
from deals.rules import content_version

# Addresses never kept: editors' pages, the language switch's redirect, the probe that must reach the database.
UNCACHED_PREFIXES = ("/admin/", "/i18n/", "/healthz")
API_PREFIX = "/api/"
STATUS_HEADER = "X-Cache"


class PageCache:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.PAGE_CACHE_SECONDS
        if not seconds or not _anonymous_read(request):
            return self.get_response(request)
        key = _key(request)
        kept = cache.get(key)
        if kept is not None and _throttle_allows(request):
            return _answer(request, kept)
        response = self.get_response(request)
        if _keepable(request, response):
            cache.set(key, _stored(response), seconds)
        response.headers[STATUS_HEADER] = "miss"
        return response


def _anonymous_read(request) -> bool:
    """A GET or HEAD of a public address by someone not logged in. A session cookie is looked into (a logged-out
    visitor may still send one); without one, nobody is logged in and the session is not read."""
    if request.method not in ("GET", "HEAD") or request.path.startswith(UNCACHED_PREFIXES):
        return False
    # If-Modified-Since is honoured by some API views only (deals.api.conditional): they answer it themselves.
    if "HTTP_AUTHORIZATION" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META:
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return not request.user.is_authenticated
    return True


def _key(request) -> str:
    # The query string as sent, not reordered nor re-encoded: the pages' links (pagination, languages) repeat it.
    query = request.META.get("QUERY_STRING", "")
    accept = request.META.get("HTTP_ACCEPT", "").replace(" ", "") if request.path.startswith(API_PREFIX) else ""
    # The API's rows hold absolute addresses: the scheme and host asked for are part of the answer.
    origin = f"{request.scheme}://{request.get_host()}"
    text = "\n".join((origin, request.path, query, get_language() or "", accept))
    return f"page:{blake2b(text.encode(), digest_size=16).hexdigest()}:{content_version.current()}"


def _keepable(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies or _made_for_a_user(request):
        return False
    if has_vary_header(response, "Cookie") or has_vary_header(response, "*"):
        return False
    # A logged-out visitor's session cookie was read to know it: the session middleware marks the response as
    # varying on it only later, so such a visitor is served kept pages but adds none.
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    # A CSRF token asked for sets its cookie on the way out (CsrfViewMiddleware, after this one).
    return not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")


def _made_for_a_user(request) -> bool:
    """Whether the view found someone logged in another way than a session or a token sent (DRF replaces
    request.user with whom it authenticated). A user never looked at is nobody: not read now, which would mark the
    response as varying on the session cookie."""
    user = request.__dict__.get("user")
    if user is None or (isinstance(user, SimpleLazyObject) and user._wrapped is empty):
        return False
    return user.is_authenticated


def _stored(response) -> tuple:
    return response.status_code, list(response.items()), response.content


def _answer(request, kept):
    status, headers, content = kept
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response.headers[name] = value
    # If-None-Match against the kept ETag (the API sets one on every 200: a 304 as the view would answer).
    response = get_conditional_response(request, etag=response.headers.get("ETag"), response=response)
    response.headers[STATUS_HEADER] = "hit"
    return response


def _throttle_allows(request) -> bool:
    """An API answer from the cache counts against the anonymous client's rate as the view's would. Past the rate
    the request goes on to the view, which refuses it with DRF's own 429."""
    if not request.path.startswith(API_PREFIX):
        return True
    return AnonymousRateThrottle().allow_request(SimpleNamespace(user=None, META=request.META), None)
