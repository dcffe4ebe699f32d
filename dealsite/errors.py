"""Error pages: the site's own for people, JSON for API clients (who would otherwise get an HTML page)."""

from django.http import HttpResponseServerError, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults

from dealsite.request_id import request_id

API_PREFIX = "/api/"


def page_not_found(request, exception):
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    # Renders templates/500.html without a request context: nothing in it may need the database or the request. Its
    # one value, the request id, is the one in the error's log line (dealsite.request_id).
    if request.path.startswith(API_PREFIX):
        return JsonResponse(
            {
                "detail": _("A server error occurred. It has been logged; please try again later."),
                "request_id": request_id(request),
            },
            status=500,
        )
    return HttpResponseServerError(loader.get_template("500.html").render({"request_id": request_id(request)}))
