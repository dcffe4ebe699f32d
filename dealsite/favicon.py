"""/favicon.ico: browsers ask for it whatever the page links, so it is sent to the vendored icon."""

from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static


def favicon(request):
    # static() at request time: in production the manifest storage gives the file's hashed name.
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
