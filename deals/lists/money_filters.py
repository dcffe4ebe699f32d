"""The filters of the money views (circular deals, the network), declared once for the pages and the API.

An invalid value (an unknown kind, a year like 20x4, a company slug that is not public) makes the
FilterSet invalid; pages show the form errors and the API answers 400.
"""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from deals.core.choices import CompanyKind, DealKind
from deals.lists.filters import ANY, CompanySlugFilter, FilterSet, YesNoFilter, YesNoWidget
from deals.models import Alliance, Cycle

YEAR = {"min_value": 1900, "max_value": 2200, "decimal_places": 0}


class SubsidiariesWidget(YesNoWidget):
    """Folding is the default, so the first choice says so instead of "Any"."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("false", _("No: each counts as its parent")), ("true", _("Yes: keep them apart"))]


class CycleFilterSet(FilterSet):
    """The company filter reads the company's group (loops are folded by group): values_key names the loop member
    it looks for, so the key still decides the rows."""

    company = CompanySlugFilter(label=_("Company"), method="filter_company")
    year = django_filters.NumberFilter(label=_("Year"), method="filter_year", **YEAR)
    separate = YesNoFilter(
        label=_("Keep subsidiaries apart"),
        method="keep_all",
        widget=SubsidiariesWidget,
    )

    values_decide_rows = True

    class Meta:
        model = Cycle
        fields = []

    @property
    def folded(self) -> bool:
        return not (self.form.is_valid() and self.form.cleaned_data.get("separate"))

    def values_key(self, with_order: bool = False, leaving_out: str | None = None) -> str:
        company = self.form.cleaned_data.get("company") if leaving_out != "company" else None
        member = f"&member={self._member(company).pk}" if company else ""
        return super().values_key(with_order, leaving_out) + member

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset.filter(folded=self.folded))

    def keep_all(self, queryset, name, value):
        return queryset

    def filter_company(self, queryset, name, company):
        return queryset.filter(members__contains=Cycle.member_key(self._member(company).pk))

    def _member(self, company):
        """The company a loop of the page names: its group when subsidiaries are folded into their parents."""
        return company.group if self.folded else company

    def filter_year(self, queryset, name, year):
        """Loops whose deals span the year."""
        return queryset.filter(first_year__lte=year, last_year__gte=year)


class NetworkFilterSet(FilterSet):
    company_kind = django_filters.ChoiceFilter(
        label=_("Company kind"), choices=CompanyKind.choices, empty_label=ANY, method="filter_company_kind"
    )
    deal_kind = django_filters.ChoiceFilter(
        label=_("Has a deal of kind"), choices=DealKind.choices, empty_label=ANY, method="keep_all"
    )
    year = django_filters.NumberFilter(label=_("Has a deal in year"), method="keep_all", **YEAR)

    class Meta:
        model = Alliance
        fields = []

    def keep_all(self, queryset, name, value):
        return queryset

    def filter_company_kind(self, queryset, name, kind):
        """Alliances with a company of this kind on either side."""
        return queryset.filter(Q(company_a__kind=kind) | Q(company_b__kind=kind))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        # Kind and year together ask for one deal of that kind in that year, so they filter as one.
        deals = {}
        if self.form.cleaned_data.get("deal_kind"):
            deals["deal__kind"] = self.form.cleaned_data["deal_kind"]
        if self.form.cleaned_data.get("year") is not None:
            deals["deal__announced_on__year"] = int(self.form.cleaned_data["year"])
        if deals:
            links = Alliance.deals.through.objects.filter(alliance=OuterRef("pk"), **deals)
            queryset = queryset.filter(Exists(links))
        return queryset
