from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin

from deals.admin.error_summary import ErrorSummaryAdmin
from deals.admin.history import HistoryAdmin
from deals.exchange.resources import SourceResource
from deals.models import Source


@admin.register(Source)
class SourceAdmin(ErrorSummaryAdmin, ImportExportMixin, HistoryAdmin):
    resource_classes = [SourceResource]
    list_display = ["name", "publisher", "published_on", "language", "link", "citations_count"]
    list_filter = ["language", "publisher"]
    search_fields = ["title", "publisher", "url"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(citations_total=Count("citations"))

    @admin.display(description=_("source"), ordering="title")
    def name(self, source):
        return source.display_name

    @admin.display(description=_("link"), boolean=True, ordering="url")
    def link(self, source):
        return source.has_link

    @admin.display(description=_("citations"), ordering="citations_total")
    def citations_count(self, source):
        return source.citations_total
