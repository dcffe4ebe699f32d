"""Middleware of the deals app."""

from django.http import HttpResponseBadRequest

from deals.rules import content_version

ADMIN_PREFIX = "/admin/"


class RefuseNulInAdminQuery:
    """A NUL byte in the admin's query (a list filter, a search, the autocomplete's `term`) is a 400: PostgreSQL
    refuses text holding one, so every lookup the admin and its filters make from the query would be a 500. The
    public lists check each of their filters' values themselves (deals.lists.filters)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(ADMIN_PREFIX) and _has_nul(request.GET):
            return HttpResponseBadRequest("A NUL character is not allowed in the query.", content_type="text/plain")
        return self.get_response(request)


def _has_nul(query) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in query.lists())


class ContentVersionReadOnce:
    """A GET or HEAD request reads the content version once, however many things it keeps under it (a company
    filter's lookup, a list's total, a page of loops): one query instead of one each. A write forgets it
    (content_version.bump), and requests that may write read it afresh each time."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        with content_version.read_once():
            return self.get_response(request)
