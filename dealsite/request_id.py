"""A request id for each request, shown on its 500 page and in the API's 500 body and written in the log line of its
error, so a visitor's report finds the log line (and the traceback in it)."""

import logging
import re
import uuid

# An id a proxy in front (or a client) already gave the request: kept when it looks like one, so its logs and ours
# agree; anything else (too long, spaces, control characters) is replaced, as it will be written into logs and pages.
SANE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        request.request_id = given if SANE_ID.fullmatch(given) else uuid.uuid4().hex
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response


def request_id(request) -> str:
    return getattr(request, "request_id", "-")


class RequestIdFilter(logging.Filter):
    """Gives every record a `request_id`: its request's (django.request passes the request), else `-`."""

    def filter(self, record):
        record.request_id = request_id(getattr(record, "request", None))
        return True


class OneLineFormatter(logging.Formatter):
    """One line a record, the traceback included (its line breaks written as ` | `): a log collector that reads a
    record a line keeps an error and its traceback together."""

    def format(self, record):
        return super().format(record).replace("\r", "").replace("\n", " | ")
