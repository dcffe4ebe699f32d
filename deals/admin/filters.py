"""Admin list filters that stay small however many companies there are."""

from django.contrib import admin
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from deals.models import Citation, Deal, DealParty


class CompanyFilter(admin.SimpleListFilter):
    """A typed company (slug or part of a name) instead of a link per company, which would list thousands."""

    title = _("company")
    parameter_name = "company"
    template = "admin/deals/text_filter.html"

    def lookups(self, request, model_admin):
        # Django shows a filter only when it has choices; the typed value is the one choice.
        return [(self.value(), self.value())] if self.value() else [("", "")]

    def queryset(self, request, queryset):
        text = (self.value() or "").strip()
        if not text:
            return queryset
        named = Q(company__slug=text) | Q(company__name__icontains=text)
        return queryset.filter(Exists(DealParty.objects.filter(named, deal=OuterRef("pk"))))

    def choices(self, changelist):
        yield {
            "value": self.value() or "",
            "other_params": [
                (name, value)
                for name, values in changelist.get_filters_params().items()
                if name != self.parameter_name
                for value in values
            ],
            "clear_url": changelist.get_query_string(remove=[self.parameter_name]),
        }


class YearFilter(admin.SimpleListFilter):
    title = _("year announced")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = Deal.objects.dates("announced_on", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        # A year a date can have, in ASCII digits: `0`, `²` (a digit to str.isdigit, not to int) or `99999999` made
        # the year lookup fail (a 500); any other value shows the list unfiltered.
        value = self.value() or ""
        if value.isascii() and value.isdigit() and 1 <= int(value) <= 9999:
            return queryset.filter(announced_on__year=int(value))
        return queryset


class HasCitationFilter(admin.SimpleListFilter):
    title = _("has a citation")
    parameter_name = "cited"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        cited = Exists(Citation.objects.filter(deal=OuterRef("pk")))
        if self.value() == "yes":
            return queryset.filter(cited)
        if self.value() == "no":
            return queryset.filter(~cited)
        return queryset
