"""Every API response says that it depends on `Accept`: a browser gets a web page, other clients JSON or CSV at
the same address, so a cache between them (a proxy, the browser's own) keeps one answer per kind of client."""

from django.utils.cache import patch_vary_headers
from rest_framework.routers import APIRootView


class VaryOnAccept:
    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ["Accept"])
        return response


class ApiRootView(VaryOnAccept, APIRootView):
    """/api/v1/: the collections, in JSON or as a web page."""
