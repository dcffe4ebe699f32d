"""The editors' admin: one module per model family."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from deals.admin import company, deal, source  # noqa: F401

admin.site.site_header = _("Dealsite editors")
admin.site.site_title = _("Dealsite editors")
admin.site.index_title = _("Companies, deals and sources")
admin.site.site_url = "/"
# The side list of the three models took 300 px of every page: without it the deal form and the deal list fit a
# 1366 px screen (tests/browser/test_page_widths.py); the breadcrumbs and the index still lead to every model.
admin.site.enable_nav_sidebar = False
