"""Version 1 of the API, mounted at /api/v1/: the four collections, the OpenAPI schema and its docs."""

import time

from django.urls import path
from django.views.decorators.cache import cache_page
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from deals.api import cycles, views
from deals.api.vary import ApiRootView

app_name = "api"

# DefaultRouter: /api/v1/ itself lists the collections (JSON, or browsable in a browser).
router = DefaultRouter(trailing_slash=True)
router.include_format_suffixes = False
router.APIRootView = ApiRootView
router.register("companies", views.CompanyViewSet, basename="company")
router.register("deals", views.DealViewSet, basename="deal")
router.register("alliances", views.AllianceViewSet, basename="alliance")
router.register("sources", views.SourceViewSet, basename="source")
router.register("cycles", cycles.CycleViewSet, basename="cycle")

# The OpenAPI document changes with the code, never with the data, and costs about 170 ms to generate and render at
# every request (67x Datasette's p50 for its own JSON, `make bench`): each worker keeps it in the shared cache once
# started (the key names the start, so a deployment's new code is never answered with the old document).
SCHEMA_SECONDS = 24 * 60 * 60
schema_view = cache_page(SCHEMA_SECONDS, key_prefix=f"openapi-{time.time_ns()}")(SpectacularAPIView.as_view())

urlpatterns = [
    *router.urls,
    path("schema/", schema_view, name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
