"""Conditional GET: an ETag on every 200 response, Last-Modified where the rows shown carry a timestamp.

The ETag is a hash of the body, so it changes whenever anything shown changes (a renamed
party, a deal that left the page) and `If-None-Match` answers 304 only when the client's
copy is exactly current. `If-Modified-Since` alone is honoured only by views whose body
depends on nothing but the timestamped rows they show (`honours_if_modified_since`):
a list can lose a row, and a deal its related deal, without any timestamp moving.
"""

from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.http import http_date


class ConditionalGetMixin:
    honours_if_modified_since = False

    def timestamps(self, obj):
        """The update times of everything of `obj` that the response shows (datetimes, or whole seconds since 1970);
        none by default."""
        return ()

    def paginate_queryset(self, queryset):
        self.shown = super().paginate_queryset(queryset)
        return self.shown

    def get_object(self):
        obj = super().get_object()
        self.shown = [obj]
        return obj

    def last_modified(self):
        seconds = [
            time if isinstance(time, int) else int(time.timestamp())
            for obj in getattr(self, "shown", None) or ()
            for time in self.timestamps(obj)
            if time is not None
        ]
        return max(seconds) if seconds else None

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        response.render()
        set_response_etag(response)
        last_modified = self.last_modified()
        if last_modified is not None:
            response.headers["Last-Modified"] = http_date(last_modified)
        return get_conditional_response(
            request,
            etag=response.headers.get("ETag"),
            last_modified=last_modified if self.honours_if_modified_since else None,
            response=response,
        )
