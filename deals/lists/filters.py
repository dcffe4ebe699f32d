"""The filters of the public lists, declared once: the HTML pages and the API use these same classes.

An invalid value (an unknown kind, a date like 2023-13-45, a company slug that is not public)
makes the FilterSet invalid; pages show the form errors and the API answers 400.
"""

import copy

import django_filters
from django import forms
from django.core.validators import EMPTY_VALUES, RegexValidator, slug_re
from django.db.models import Exists, F, Model, OuterRef
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django_filters.fields import BaseCSVField
from django_filters.widgets import BooleanWidget

from deals import search
from deals.core.choices import CompanyKind, DealKind, DealStatus, Role
from deals.figures.totals import INVESTING
from deals.lists import company_names
from deals.lists.newest_window import first_deals_window
from deals.models import Alliance, Company, Deal, DealParty, Publication, Source
from deals.models.deal import CURRENCY_CODE, NEWEST_FIRST
from deals.rules import content_version
from deals.rules.public import alliances_of, public_companies

COUNTRY_CODE = RegexValidator(r"^[A-Za-z]{2}$", _("Enter a two-letter ISO 3166 country code, e.g. US."))
ANY = _("Any")
USD_AMOUNT = {"max_digits": 20, "decimal_places": 2, "min_value": 0}
YEAR = {"min_value": 1900, "max_value": 2200, "decimal_places": 0}
DATE_INPUT = forms.DateInput({"type": "date"})


class YesNoWidget(BooleanWidget):
    """`true` / `false`, with "Any" for no choice. Any other value reaches the field, which refuses it."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", ANY), ("true", _("Yes")), ("false", _("No"))]

    def value_from_datadict(self, data, files, name):
        value = data.get(name)
        known = {"true": True, "false": False, "": None}
        return known.get(value.lower(), value) if isinstance(value, str) else value


class YesNoField(forms.NullBooleanField):
    default_error_messages = {"invalid": _("Enter true or false.")}

    def to_python(self, value):
        if value is None or isinstance(value, bool):
            return value
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class YesNoFilter(django_filters.BooleanFilter):
    field_class = YesNoField


class EveryItemCSVField(BaseCSVField):
    """A comma-separated value whose every item is given: `?ordering=,` or `-usd,` is refused like an unknown item
    (a ChoiceField lets an empty value through, as if nothing had been chosen)."""

    def clean(self, value):
        if isinstance(value, list) and "" in value:
            raise forms.ValidationError(
                forms.ChoiceField.default_error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": '""'},
            )
        return super().clean(value)


class SortFilter(django_filters.OrderingFilter):
    """`ordering=x` or `-x`; empty values sort last either way, and ties keep a stable order."""

    base_field_class = EveryItemCSVField

    def __init__(self, *args, tie_breaker="pk", **kwargs):
        self.tie_breaker = tie_breaker
        kwargs.setdefault("empty_label", _("Default order"))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        ordering = []
        for param in value:
            expression = F(self.param_map[param.removeprefix("-")])
            ordering.append(
                expression.desc(nulls_last=True) if param.startswith("-") else expression.asc(nulls_last=True)
            )
        return qs.order_by(*ordering, self.tie_breaker)


# Longer text is no company's name, slug or alias: refused without a lookup.
COMPANY_TEXT_MAX_LENGTH = 200


def _public_company(slug: str):
    """The public company with this slug, or None; what is found (or not) is kept under the content version (a
    filtered list's request then reads the version, once, instead of the company)."""
    found = content_version.remembered(
        f"company-by-slug:{slug}",
        lambda: public_companies().filter(slug=slug).first() or False,
    )
    return found or None


def _public_companies_called(text: str) -> tuple[tuple[str, str], ...]:
    """The (slug, name) of the public companies called `text` (lists.company_names), kept under the content version
    for that text: a miss reads the public companies' names once."""
    key = company_names.lookup_key(text)
    return content_version.remembered(
        f"companies-called:{key}",
        lambda: company_names.called(key, public_companies().values_list("slug", "name", "aliases")),
    )


class CompanySlugField(forms.Field):
    """A public company typed as its slug, its name or an alias (case and accents aside); cleaning looks up that
    one text (no list of companies is built). A name two companies answer to is refused, naming both."""

    widget = forms.TextInput
    default_error_messages = {
        "invalid_choice": _("No company with this name or slug: %(value)s."),
        "ambiguous": _("Several companies are called “%(value)s”: %(candidates)s. Type the slug of the one you mean."),
    }

    def __init__(self, *, queryset=None, to_field_name=None, empty_label=None, null_label=None, **kwargs):
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        # static/js/company-suggest.js suggests companies as the visitor types (lazy: in the page's language).
        return {
            **super().widget_attrs(widget),
            "data-suggest-url": reverse_lazy("deals:company-suggestions"),
            "autocomplete": "off",
            "placeholder": _("e.g. amazon"),
        }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not isinstance(value, str) or "\x00" in value or len(value) > COMPANY_TEXT_MAX_LENGTH:
            # No company: answered without a query (PostgreSQL refuses text with NUL bytes).
            raise self._not_found(value)
        text = value.strip()
        company = _public_company(text) if slug_re.match(text) else None
        if company is not None:
            return company
        candidates = _public_companies_called(text)
        if len(candidates) > 1:
            listed = ", ".join(f"{name} ({slug})" for slug, name in candidates)
            raise forms.ValidationError(
                self.error_messages["ambiguous"], code="ambiguous", params={"value": text, "candidates": listed}
            )
        company = _public_company(candidates[0][0]) if candidates else None
        if company is None:
            raise self._not_found(value)
        return company

    def _not_found(self, value):
        return forms.ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )


class CompanySlugFilter(django_filters.ModelChoiceFilter):
    """A ModelChoiceFilter on the company slug (so the API schema types it as one) without a choices queryset."""

    field_class = CompanySlugField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(*args, **kwargs)

    def get_queryset(self, request):
        return None


class FilterPrototypes(dict):
    """A FilterSet class's filters. Each FilterSet deep-copies them (their choices, labels, widgets and
    validators: a third of a millisecond a request); a shallow copy does, given its own `extra` and its
    method bound to it, as the rest (model, parent) is set on the copy by the FilterSet."""

    def __deepcopy__(self, memo):
        return {name: _own_copy(prototype) for name, prototype in self.items()}


def _own_copy(prototype: django_filters.Filter) -> django_filters.Filter:
    clone = copy.copy(prototype)
    clone.extra = dict(prototype.extra)
    if prototype.method is not None:
        clone.method = prototype.method  # binds a FilterMethod to the copy, not to the prototype
    return clone


class SharedFields(dict):
    """A filter form class's fields. A Django form deep-copies its class's fields, so that one form may change its
    own (their choices, labels, widgets and validators: a fifth of a millisecond a request); the filter forms change
    none, whatever the request, so each form shares them."""

    def __deepcopy__(self, memo):
        return dict(self)


class FilterSet(django_filters.FilterSet):
    """django-filter builds a new form class for every request, each filter making its field again; these
    filters depend on nothing in the request, so the class is built once, and its forms share its fields."""

    _form_classes: dict = {}
    # Whether the rows depend on nothing but the queryset started from and values_key(): true of a FilterSet whose
    # filters read no rows (a company's group, say) to filter. deals.lists.counts.FilteredRows keeps SQL by that key.
    values_decide_rows = False
    # The list's order when none is asked for (its queryset's), as an `ordering` value: its column header shows it.
    default_ordering: str | None = None

    @classmethod
    def get_filters(cls):
        return FilterPrototypes(super().get_filters())

    def first_rows(self, published_only: bool):
        """A function of n that gives self.qs narrowed to its first n rows (and maybe a few more) in the same order,
        cheaper to read than self.qs for a page ending n rows in; None where no such narrowing is known."""
        return None

    def values_key(self, with_order: bool = False, leaving_out: str | None = None) -> str:
        """The filters given (a valid form's), as text: with the queryset the FilterSet starts from, what its rows
        depend on, their order aside unless `with_order`, the filter `leaving_out` aside (a facet's own: deals.lists.
        facets). A model instance is written as its key."""
        return "&".join(
            f"{name}={_key_text(value)}"
            for name, value in sorted(self.given().items())
            if name != leaving_out and (with_order or not isinstance(self.filters[name], django_filters.OrderingFilter))
        )

    def current_ordering(self) -> str | None:
        """The first `ordering` value of a valid form's list: asked for, else the default (none for a search, whose
        best matches come first)."""
        requested = self.form.cleaned_data.get("ordering")
        if requested:
            return requested[0]
        return None if self.form.cleaned_data.get("q") else self.default_ordering

    def given(self) -> dict:
        """The filters given a value (of a valid form)."""
        return {name: value for name, value in self.form.cleaned_data.items() if value not in EMPTY_VALUES}

    def get_form_class(self):
        form_class = FilterSet._form_classes.get(type(self))
        if form_class is None:
            form_class = FilterSet._form_classes[type(self)] = super().get_form_class()
            form_class.base_fields = SharedFields(form_class.base_fields)
        return form_class


def _key_text(value) -> str:
    if isinstance(value, Model):
        return f"<{value._meta.label} {value.pk}>"
    if isinstance(value, list | tuple):
        return f"[{', '.join(map(_key_text, value))}]"
    return repr(value)


def _company_filter(label):
    return CompanySlugFilter(label=label, method="filter_party")


# Filters besides the company that leave the first deals of a company's list to the party index.
WINDOW_KEEPS = {"announced_after", "announced_before", "ordering"}

PARTY_ROLES = {
    "company": None,
    "investor": INVESTING,
    "investee": (Role.INVESTEE,),
    "provider": (Role.PROVIDER,),
    "customer": (Role.CUSTOMER,),
}


class DealFilterSet(FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=200)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=DealKind.choices, empty_label=ANY)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=DealStatus.choices, empty_label=ANY)
    company = _company_filter(_("Company (any role)"))
    investor = _company_filter(_("Investor"))
    investee = _company_filter(_("Investee"))
    provider = _company_filter(_("Provider"))
    customer = _company_filter(_("Customer"))
    company_kind = django_filters.ChoiceFilter(
        label=_("Kind of a party"), choices=CompanyKind.choices, empty_label=ANY, method="filter_company_kind"
    )
    announced_after = django_filters.DateFilter(
        label=_("Announced from"),
        field_name="announced_on",
        lookup_expr="gte",
        widget=DATE_INPUT,
    )
    announced_before = django_filters.DateFilter(
        label=_("Announced until"),
        field_name="announced_on",
        lookup_expr="lte",
        widget=DATE_INPUT,
    )
    year = django_filters.NumberFilter(label=_("Year announced"), field_name="announced_on", lookup_expr="year", **YEAR)
    min_usd = django_filters.NumberFilter(
        label=_("Minimum (US$)"), field_name="amount_usd", lookup_expr="gte", **USD_AMOUNT
    )
    max_usd = django_filters.NumberFilter(
        label=_("Maximum (US$)"), field_name="amount_usd", lookup_expr="lte", **USD_AMOUNT
    )
    currency = django_filters.CharFilter(label=_("Currency"), method="filter_currency", validators=[CURRENCY_CODE])
    has_stake = YesNoFilter(label=_("Has a stake"), method="filter_has_stake", widget=YesNoWidget)
    ordering = SortFilter(
        label=_("Sort by"),
        fields={"announced_on": "announced", "amount_usd": "usd"},
        choices=[
            ("-announced", _("Newest first")),
            ("announced", _("Oldest first")),
            ("-usd", _("Largest amount first")),
            ("usd", _("Smallest amount first")),
        ],
    )

    # (through, published_only) while first_rows() filters again: filter_party then keeps the first deals only.
    _window = None
    values_decide_rows = True
    default_ordering = "-announced"

    class Meta:
        model = Deal
        fields = []

    def search(self, queryset, name, value):
        return search.by_relevance(search.matching(queryset, value))

    def filter_currency(self, queryset, name, code):
        # Deals store their currency in upper case: an exact match can use the index, where iexact cannot.
        return queryset.filter(currency=code.upper())

    def filter_has_stake(self, queryset, name, has_stake):
        return queryset.filter(stake_percent__isnull=not has_stake)

    def filter_company_kind(self, queryset, name, kind):
        return queryset.filter(pk__in=DealParty.objects.filter(company__kind=kind).values("deal_id"))

    def filter_party(self, queryset, name, company):
        parties = DealParty.objects.filter(company=company)
        if PARTY_ROLES[name]:
            parties = parties.filter(role__in=PARTY_ROLES[name])
        parties = self._in_date_range(parties)
        if self._window is not None:
            through, published_only = self._window
            parties = first_deals_window(parties, through, PARTY_ROLES[name], published_only)
        return queryset.filter(pk__in=parties.values("deal_id"))

    def first_rows(self, published_only: bool):
        """One company's deals (in any role or some), maybe in a date range, newest first: their first n are found
        through the party index (deals.lists.newest_window). `published_only` says whether the list holds drafts."""
        used = self.given().keys()
        companies = used & PARTY_ROLES.keys()
        if len(companies) != 1 or used - {*companies, *WINDOW_KEEPS} or not self._newest_first():
            return None

        def first(through: int):
            self._window = (through, published_only)
            try:
                return self.filter_queryset(self.queryset.all())
            finally:
                self._window = None

        return first

    def _newest_first(self) -> bool:
        requested = self.form.cleaned_data.get("ordering")
        if requested:
            return requested == ["-announced"]
        query = self.queryset.query
        order = query.order_by or (self.queryset.model._meta.ordering if query.default_ordering else ())
        return bool(order) and order[0] == NEWEST_FIRST[0]

    def _in_date_range(self, parties):
        """The date filters again, on the parties' copy of their deal's date: the party index then finds a company's
        deals in the range without reading every deal of the company."""
        after, before = self.form.cleaned_data.get("announced_after"), self.form.cleaned_data.get("announced_before")
        if after:
            parties = parties.filter(deal_announced_on__gte=after)
        if before:
            parties = parties.filter(deal_announced_on__lte=before)
        return parties


COMPANY_ROLES = {
    "investor": INVESTING,
    "investee": (Role.INVESTEE,),
    "provider": (Role.PROVIDER,),
    "customer": (Role.CUSTOMER,),
}


class CompanyFilterSet(FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=200)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=CompanyKind.choices, empty_label=ANY)
    country = django_filters.CharFilter(
        label=_("Country"), field_name="country", lookup_expr="iexact", validators=[COUNTRY_CODE]
    )
    parent = CompanySlugFilter(label=_("Parent company"), field_name="parent")
    role = django_filters.ChoiceFilter(
        label=_("Role"),
        method="filter_role",
        empty_label=ANY,
        choices=[
            ("investor", _("Has invested")),
            ("investee", _("Has received investment")),
            ("provider", _("Provides compute or chips")),
            ("customer", _("Buys compute or chips")),
        ],
    )
    ordering = SortFilter(
        label=_("Sort by"),
        # The totals kept in CompanyTotals (deals.figures.company_totals), so sorting reads an indexed column.
        fields={
            "name": "name",
            "totals__invested_usd": "invested",
            "totals__received_usd": "received",
            "totals__deal_count": "deals",
        },
        choices=[
            ("name", _("Name (A–Z)")),
            ("-name", _("Name (Z–A)")),
            ("-invested", _("Most invested first")),
            ("invested", _("Least invested first")),
            ("-received", _("Most received first")),
            ("received", _("Least received first")),
            ("-deals", _("Most deals first")),
            ("deals", _("Fewest deals first")),
        ],
    )

    values_decide_rows = True
    default_ordering = "name"

    class Meta:
        model = Company
        fields = []

    def search(self, queryset, name, value):
        return search.by_relevance(search.matching(queryset, value))

    def filter_role(self, queryset, name, value):
        # EXISTS per company starts from its own parties, not from every published deal.
        parties = DealParty.objects.filter(
            company=OuterRef("pk"), role__in=COMPANY_ROLES[value], deal__publication=Publication.PUBLISHED
        )
        return queryset.filter(Exists(parties))


class AllianceFilterSet(FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=200)
    company = CompanySlugFilter(label=_("Company"), method="filter_company")
    kind = django_filters.ChoiceFilter(
        label=_("Has a deal of kind"), choices=DealKind.choices, empty_label=ANY, method="filter_kind"
    )
    main_kind = django_filters.ChoiceFilter(
        label=_("Main kind of deal"), field_name="dominant_kind", choices=DealKind.choices, empty_label=ANY
    )
    year_from = django_filters.NumberFilter(
        label=_("Active from (year)"),
        field_name="latest_announced__year",
        lookup_expr="gte",
        min_value=1900,
        max_value=2200,
        decimal_places=0,
    )
    year_to = django_filters.NumberFilter(
        label=_("Active until (year)"),
        field_name="first_announced__year",
        lookup_expr="lte",
        min_value=1900,
        max_value=2200,
        decimal_places=0,
    )
    latest_year = django_filters.NumberFilter(
        label=_("Latest deal in (year)"), field_name="latest_announced", lookup_expr="year", **YEAR
    )
    ordering = SortFilter(
        label=_("Sort by"),
        tie_breaker="slug",
        fields={"total_usd": "total", "deal_count": "deals", "latest_announced": "latest"},
        choices=[
            ("-total", _("Largest total first")),
            ("total", _("Smallest total first")),
            ("-deals", _("Most deals first")),
            ("deals", _("Fewest deals first")),
            ("-latest", _("Most recent deal first")),
            ("latest", _("Least recent deal first")),
        ],
    )

    # A company's alliances are its group's (deals.rules.public.alliances_of): the key names the group too.
    values_decide_rows = True
    default_ordering = "-total"

    class Meta:
        model = Alliance
        fields = []

    def values_key(self, with_order: bool = False, leaving_out: str | None = None) -> str:
        company = self.form.cleaned_data.get("company") if leaving_out != "company" else None
        group = f"&group={company.group.pk}" if company else ""
        return super().values_key(with_order, leaving_out) + group

    def search(self, queryset, name, value):
        return search.by_relevance(search.matching(queryset, value))

    def filter_company(self, queryset, name, company):
        return alliances_of(company, queryset)

    def filter_kind(self, queryset, name, value):
        return queryset.filter(pk__in=Alliance.deals.through.objects.filter(deal__kind=value).values("alliance_id"))


class SourceFilterSet(FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=200)
    publisher = django_filters.CharFilter(label=_("Publisher"), lookup_expr="iexact", max_length=200)
    language = django_filters.CharFilter(label=_("Language"), lookup_expr="iexact", max_length=8)
    year = django_filters.NumberFilter(label=_("Year published"), field_name="published_on", lookup_expr="year", **YEAR)
    ordering = SortFilter(
        label=_("Sort by"),
        fields={"published_on": "published", "title": "title", "publisher": "publisher"},
        choices=[
            ("-published", _("Newest first")),
            ("published", _("Oldest first")),
            ("title", _("Title (A–Z)")),
            ("-title", _("Title (Z–A)")),
            ("publisher", _("Publisher (A–Z)")),
            ("-publisher", _("Publisher (Z–A)")),
        ],
    )

    values_decide_rows = True
    default_ordering = "-published"

    class Meta:
        model = Source
        fields = []

    def search(self, queryset, name, value):
        return search.by_relevance(search.matching(queryset, value))
