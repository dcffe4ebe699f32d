from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportMixin

from deals.admin.error_summary import ErrorSummaryAdmin
from deals.admin.figures import FiguresPendingNotice
from deals.admin.filters import CompanyFilter, HasCitationFilter, YearFilter
from deals.admin.forms import (
    CitationAdminForm,
    DealAdminForm,
    ExplainedDateField,
    PartyAdminForm,
    TrancheAdminForm,
)
from deals.admin.history import HistoryAdmin
from deals.admin.party_line import party_line
from deals.admin.review import ReviewQueueAdmin
from deals.admin.where_to_see import where_to_see
from deals.core.money import format_money
from deals.exchange.resources import DealResource
from deals.models import Citation, Deal, DealOption, DealParty, DealRelation, Publication, Tranche
from deals.rules import services


def _messages(error) -> list[str]:
    return error.messages if isinstance(error, ValidationError) else [str(error)]


def _kept_forms(formset):
    return [form for form in formset.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]


DATES_EXPLAINED = {models.DateField: {"form_class": ExplainedDateField}}


class DealShareFormSet(BaseInlineFormSet):
    """Gives each form the deal being saved, whose currency its amount is in (deals.admin.forms.DealShareForm)."""

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "deal": self.instance}


class PartyFormSet(DealShareFormSet):
    def clean(self):
        super().clean()
        if not any(self.errors):
            kept = _kept_forms(self)
            services.validate_parties((form.cleaned_data["company"], form.cleaned_data["role"]) for form in kept)
            deal = self.instance
            services.validate_party_shares(
                deal.amount,
                deal.currency,
                deal.amount_qualifier,
                ((form.cleaned_data["role"], form.cleaned_data.get("amount")) for form in kept),
            )


class RelationFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if not any(self.errors):
            services.validate_relations(
                self.instance,
                ((form.cleaned_data["kind"], form.cleaned_data["to_deal"]) for form in _kept_forms(self)),
            )


class CitationFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if not any(self.errors):
            _share_new_sources(_kept_forms(self))
            _refuse_repeated_citations(_kept_forms(self))
            kept = len(_kept_forms(self))
            services.validate_publishable(self.instance.publication, kept)
            # The deal is saved before its citations: its save counts these, not the ones stored.
            services.declare_citations(self.instance, kept)


def _share_new_sources(forms) -> None:
    """Rows that paste the same new address cite one new source, not two (the second would be refused as a
    duplicate when saved)."""
    by_url = {}
    for form in forms:
        if form.new_source is not None:
            form.new_source = by_url.setdefault(form.new_source.url, form.new_source)


def _refuse_repeated_citations(forms) -> None:
    seen = set()
    for form in forms:
        source = form.new_source or form.cleaned_data["source"]
        key = (source.pk or source.url, form.cleaned_data["supports"])
        if key in seen:
            raise ValidationError(
                _("“%(source)s” is cited twice for the same figure: keep one of the two rows.")
                % {"source": source.display_name}
            )
        seen.add(key)


class PartyInline(admin.TabularInline):
    model = DealParty
    formset = PartyFormSet
    form = PartyAdminForm
    autocomplete_fields = ["company"]
    fields = ["company", "role", "amount", "amount_qualifier", "commitment"]
    extra = 2


class TrancheInline(admin.TabularInline):
    form = TrancheAdminForm
    formset = DealShareFormSet
    model = Tranche
    autocomplete_fields = ["company"]
    formfield_overrides = DATES_EXPLAINED
    fields = ["position", "label", "amount", "amount_qualifier", "commitment", "company", "condition", "expected_on"]
    extra = 0


class OptionInline(admin.StackedInline):
    model = DealOption
    autocomplete_fields = ["holder", "issuer"]
    formfield_overrides = DATES_EXPLAINED
    fields = [
        ("kind", "holder", "issuer"),
        ("shares", "shares_qualifier", "stake_percent"),
        ("exercise_price", "exercise_currency", "expires_on"),
        "vesting",
    ]
    extra = 0


class CitationInline(admin.TabularInline):
    model = Citation
    form = CitationAdminForm
    formset = CitationFormSet
    autocomplete_fields = ["source"]
    fields = ["source", "source_url", "supports", "quote"]
    # Django's default textarea (40 × 10 characters at the admin's width) pushed the form past a 1366 px screen.
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 32})}}
    extra = 1


class RelationInline(admin.TabularInline):
    model = DealRelation
    formset = RelationFormSet
    fk_name = "from_deal"
    autocomplete_fields = ["to_deal"]
    fields = ["kind", "to_deal"]
    extra = 0


@admin.register(Deal)
class DealAdmin(ErrorSummaryAdmin, ReviewQueueAdmin, FiguresPendingNotice, ImportExportMixin, HistoryAdmin):
    form = DealAdminForm
    change_list_template = "admin/deals/deal/change_list.html"  # adds the review queue; import-export wraps it
    resource_classes = [DealResource]
    inlines = [PartyInline, TrancheInline, OptionInline, CitationInline, RelationInline]
    formfield_overrides = DATES_EXPLAINED
    list_display = [
        "title",
        "parties_display",
        "kind",
        "status",
        "publication",
        "announced",
        "amount_display",
        "citation_count",
    ]
    list_filter = [
        "publication",
        "kind",
        "status",
        YearFilter,
        HasCitationFilter,
        CompanyFilter,
    ]
    search_fields = ["title", "slug", "parties__company__name", "citations__source__title"]
    prepopulated_fields = {"slug": ["title"]}
    actions = ["publish_selected", "unpublish_selected"]
    readonly_fields = ["published_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "status", "publication", "summary", "version"]}),
        (_("Date"), {"fields": [("announced_on", "announced_precision")]}),
        (
            _("Money"),
            {
                "fields": [
                    ("amount", "currency", "amount_qualifier"),
                    ("usd_rate", "amount_usd"),
                    "amount_as_stated",
                    ("commitment", "amount_reported"),
                    "conditions",
                    "amount_in_words",
                    "others_unnamed",
                ],
                "description": _(
                    "A letter of intent or memorandum of understanding is non-binding. An amount in another "
                    "currency than USD needs its rate before the deal is published."
                ),
            },
        ),
        (
            _("Term and delivery"),
            {
                "fields": [
                    ("starts_on", "starts_precision"),
                    ("ends_on", "ends_precision"),
                    "duration_months",
                    ("delivery_on", "delivery_precision"),
                ],
                "description": _(
                    "Payments over several years: the start and end of the contract, or its duration. "
                    "For a month, enter any day of it, e.g. 2025-10-01, and choose “month”."
                ),
            },
        ),
        (
            _("Stake and valuation"),
            {
                "fields": [
                    ("stake_percent", "stake_qualifier"),
                    ("stake_after_percent", "stake_value_usd"),
                    ("valuation_usd",),
                    ("valuation_pre_usd", "valuation_post_usd"),
                ]
            },
        ),
        (
            _("Capacity, quantities and price per unit"),
            {
                "classes": ["collapse"],
                "fields": [
                    ("capacity_gw", "capacity_qualifier"),
                    ("quantity", "quantity_unit", "quantity_qualifier"),
                    ("amount_per_unit", "per_unit"),
                ],
            },
        ),
        (
            _("Exclusivity"),
            {"classes": ["collapse"], "fields": [("exclusivity", "exclusivity_scope")]},
        ),
        (_("Record"), {"fields": ["published_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_citation_count().with_parties()

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request):
            fields.append("publication")
        return fields

    def has_publish_permission(self, request):
        return request.user.has_perm(services.PUBLISH_PERMISSION)

    def view_on_site(self, deal):
        return deal.get_absolute_url() if deal.is_published else None

    @admin.display(description=_("parties"))
    def parties_display(self, deal):
        return party_line(deal.parties.all())

    @admin.display(description=_("announced"), ordering="announced_on")
    def announced(self, deal):
        return deal.announced_display

    @admin.display(description=_("amount"), ordering="amount_usd")
    def amount_display(self, deal):
        return format_money(deal.amount, deal.currency, deal.amount_qualifier)

    @admin.display(description=_("citations"), ordering="citation_count")
    def citation_count(self, deal):
        return deal.citation_count

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """Django's, with a save refused as stale (StaleDeal: another save came between this form's version check
        and its own) answered with the form again and the usual warning. Deal.save() refused inside its own
        savepoint and wrote nothing; the rest of the transaction is kept."""
        if request.method in ("GET", "HEAD", "OPTIONS", "TRACE"):
            return super().changeform_view(request, object_id, form_url, extra_context)
        with transaction.atomic(using=router.db_for_write(Deal)):
            return self._stale_saves_shown_again(
                lambda: self._changeform_view(request, object_id, form_url, extra_context)
            )

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """simple-history's revert, in one transaction (the version check's row lock lasts until the save), refused
        with a message when the rules on publishing forbid it (Deal.save() checks them for every path)."""
        try:
            with transaction.atomic(using=router.db_for_write(Deal)):
                return self._stale_saves_shown_again(
                    lambda: super(DealAdmin, self).history_form_view(request, object_id, version_id, extra_context)
                )
        except (services.PublishPermissionDenied, ValidationError) as refused:
            self.message_user(request, " ".join(_messages(refused)), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    @staticmethod
    def _stale_saves_shown_again(view):
        try:
            return view()
        except services.StaleDeal:
            # The form is validated again: its version check now fails and shows the warning.
            return view()

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        self._say_where_to_see(request, obj)
        return response

    def response_change(self, request, obj):
        response = super().response_change(request, obj)
        self._say_where_to_see(request, obj)
        return response

    def _say_where_to_see(self, request, deal):
        if IS_POPUP_VAR not in request.POST:
            self.message_user(request, where_to_see(deal), messages.SUCCESS)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        duplicates = services.likely_duplicates(form.instance)
        if duplicates:
            links = format_html_join(
                ", ",
                '<a href="{}">{}</a>',
                ((reverse("admin:deals_deal_change", args=[other.pk]), other.title) for other in duplicates),
            )
            self.message_user(
                request,
                format_html(
                    "{} {}", _("Possible duplicate: a deal with the same parties in the same month exists:"), links
                ),
                messages.WARNING,
            )

    @admin.action(description=_("Publish the selected deals"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        changed, refused = services.set_publication(queryset, Publication.PUBLISHED)
        self._report(request, changed, refused)

    @admin.action(description=_("Unpublish the selected deals"), permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        changed, refused = services.set_publication(queryset, Publication.DRAFT)
        self._report(request, changed, refused)

    def _report(self, request, changed, refused):
        if changed:
            self.message_user(
                request,
                ngettext("%(count)d deal changed: %(titles)s.", "%(count)d deals changed: %(titles)s.", len(changed))
                % {"count": len(changed), "titles": ", ".join(deal.title for deal in changed)},
                messages.SUCCESS,
            )
        unsourced = [deal for deal in refused if not deal.citations.exists()]
        unconverted = [deal for deal in refused if deal not in unsourced]
        if unsourced:
            self.message_user(
                request,
                ngettext(
                    "%(count)d deal not published because it cites no source: %(titles)s.",
                    "%(count)d deals not published because they cite no source: %(titles)s.",
                    len(unsourced),
                )
                % {"count": len(unsourced), "titles": ", ".join(deal.title for deal in unsourced)},
                messages.ERROR,
            )
        if unconverted:
            self.message_user(
                request,
                _(
                    "Not published because the amount is in another currency and has no US-dollar rate (enter it on "
                    "the deal): %(titles)s."
                )
                % {"titles": ", ".join(deal.title for deal in unconverted)},
                messages.ERROR,
            )
        if not changed and not refused:
            self.message_user(request, _("Nothing to change: the selected deals already had that status."))
