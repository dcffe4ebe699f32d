"""Middleware of the deals app."""

from deals import content_version


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
