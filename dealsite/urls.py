from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from dealsite import errors
from dealsite.health import healthz

handler404 = errors.page_not_found
handler500 = errors.server_error

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("deals.api.urls")),
]

urlpatterns += i18n_patterns(
    path("", include("deals.web.urls")),
    path("", include("deals.web.money_urls")),
    prefix_default_language=False,
)
