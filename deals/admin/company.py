from django.contrib import admin
from import_export.admin import ImportExportMixin

from deals.admin.error_summary import ErrorSummaryAdmin
from deals.admin.figures import FiguresPendingNotice
from deals.admin.history import HistoryAdmin
from deals.exchange.resources import CompanyResource
from deals.models import Company


@admin.register(Company)
class CompanyAdmin(ErrorSummaryAdmin, FiguresPendingNotice, ImportExportMixin, HistoryAdmin):
    resource_classes = [CompanyResource]
    list_display = ["name", "kind", "parent", "country", "founded_year"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "aliases", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "parent", "aliases"]}),
        (None, {"fields": ["country", "founded_year", "website", "legal_form", "description"]}),
    ]
