"""Version 1 of the API, mounted at /api/v1/: the four collections, the OpenAPI schema and its docs."""

from django.urls import path
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

urlpatterns = [
    *router.urls,
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
