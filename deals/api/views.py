"""The API's viewsets: companies, sources and deals (read by all, written by staff), alliances (read only).

Anonymous clients see what the public pages show: published deals, the companies and
alliances they make, and the sources they cite. Staff who may view a model in the admin
see all its rows here, drafts included.
"""

from contextlib import contextmanager
from functools import cache

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Prefetch
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import MethodNotAllowed, ValidationError
from rest_framework.negotiation import DefaultContentNegotiation

from deals.api import preconditions, schema
from deals.api.conditional import ConditionalGetMixin
from deals.api.json_renderer import JSONRenderer
from deals.api.permissions import StaffModelPermissions
from deals.api.renderers import BrowsableRenderer, CSVRenderer
from deals.api.serializers import (
    AllianceDetailSerializer,
    AllianceSerializer,
    CompanySerializer,
    DealRowSerializer,
    DealSerializer,
    PartyRowSerializer,
    SourceSerializer,
)
from deals.api.vary import VaryOnAccept
from deals.lists.counts import FilteredRows
from deals.lists.filters import AllianceFilterSet, CompanyFilterSet, DealFilterSet, SourceFilterSet
from deals.models import Alliance, Citation, Company, Deal, DealOption, DealParty, DealRelation, Source, Tranche
from deals.models.deal import NEWEST_FIRST
from deals.rules import services
from deals.rules.public import public_companies, public_deals, public_sources


class FormatNegotiation(DefaultContentNegotiation):
    """An unknown `?format=` is a 400 naming the formats there are, not DRF's bare 404."""

    def filter_renderers(self, renderers, format):
        matching = [renderer for renderer in renderers if renderer.format == format]
        if not matching:
            formats = ", ".join(renderer.format for renderer in renderers)
            raise ValidationError({"format": [_("Unknown format. Use one of: %(formats)s.") % {"formats": formats}]})
        return matching


class FilterSetBackend(DjangoFilterBackend):
    """django-filter's backend, which also gives the view's FilterSet itself, validated."""

    def valid_filterset(self, request, queryset, view):
        """The FilterSet of the view's filterset_class for the request; invalid filters are a 400."""
        filterset = self.get_filterset(request, queryset, view)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        return filterset


class ApiViewSet(ConditionalGetMixin, VaryOnAccept, viewsets.GenericViewSet):
    """Shared behaviour: lookups, renderers, who may see everything, errors always in JSON."""

    # JSON first: what a client gets when it accepts anything. A browser, which asks for text/html, gets a page.
    renderer_classes = [JSONRenderer, BrowsableRenderer, CSVRenderer]
    content_negotiation_class = FormatNegotiation
    lookup_field = "slug"
    # Anything up to the next slash reaches the view, so a malformed key is a JSON 404, not Django's HTML one.
    lookup_value_regex = "[^/]+"
    see_all_permission = None
    filter_backends = [FilterSetBackend]

    def get_permissions(self):
        if self.request.method in permissions.SAFE_METHODS:
            return [permissions.AllowAny()]
        return [StaffModelPermissions()]

    def get_renderers(self):
        # CSV is for reading lists; a write answers with the object written, in JSON.
        if self.request is not None and self.request.method not in permissions.SAFE_METHODS:
            return [JSONRenderer()]
        return super().get_renderers()

    def initial(self, request, *args, **kwargs):
        # A method the endpoint lacks is a 405 for everyone, before looking at the format or the client.
        method = request.method.lower()
        if method not in self.http_method_names or not hasattr(self, method):
            raise MethodNotAllowed(request.method)
        # The pages take their language from the URL; the API, outside i18n_patterns, from Accept-Language.
        translation.activate(translation.get_language_from_request(request))
        request.LANGUAGE_CODE = translation.get_language()
        super().initial(request, *args, **kwargs)

    def get_object(self):
        key = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field, "")
        if "\x00" in key:
            # No key holds a NUL byte, and PostgreSQL refuses text with one (a DataError, so a 500).
            raise Http404
        return super().get_object()

    def filter_queryset(self, queryset):
        # The filters are the list's: an object asked for by its key is found whatever the query string says.
        return queryset if self.detail else super().filter_queryset(queryset)

    def sees_everything(self) -> bool:
        """Writers and staff allowed to view every row in the admin work on all rows, not only public ones."""
        return self.request.method not in permissions.SAFE_METHODS or self.request.user.has_perm(
            self.see_all_permission
        )

    def finalize_response(self, request, response, *args, **kwargs):
        if response.status_code >= 400 and isinstance(getattr(request, "accepted_renderer", None), CSVRenderer):
            # An error has no rows: say what went wrong in JSON rather than as a one-cell table.
            request.accepted_renderer, request.accepted_media_type = JSONRenderer(), JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


class WritableViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ApiViewSet,
):
    http_method_names = ["get", "post", "put", "patch", "head", "options"]


@extend_schema_view(**schema.writable_operations(_("company"), _("companies"), CompanySerializer, CompanySerializer))
class CompanyViewSet(WritableViewSet):
    serializer_class = CompanySerializer
    filterset_class = CompanyFilterSet
    see_all_permission = "deals.view_company"
    honours_if_modified_since = True

    def get_queryset(self):
        return _visible_companies(self.sees_everything()).all()

    def timestamps(self, company):
        return (company.updated_at, company.parent and company.parent.updated_at)


@extend_schema_view(
    **schema.writable_operations(_("source"), _("sources"), SourceSerializer, SourceSerializer, lookup="id")
)
class SourceViewSet(WritableViewSet):
    serializer_class = SourceSerializer
    filterset_class = SourceFilterSet
    lookup_field = "pk"
    see_all_permission = "deals.view_source"
    honours_if_modified_since = True

    def get_queryset(self):
        sources = Source.objects.all() if self.sees_everything() else public_sources()
        return sources.order_by(F("published_on").desc(nulls_last=True), "title", "pk")

    def timestamps(self, source):
        return (source.updated_at,)


@extend_schema_view(
    **schema.writable_operations(_("deal"), _("deals"), DealRowSerializer, DealSerializer, versioned=True),
    destroy=schema.delete_operation(_("deal")),
)
class DealViewSet(mixins.DestroyModelMixin, WritableViewSet):
    """Deals may also be deleted, by staff with the delete permission (publishers), as in the admin."""

    http_method_names = [*WritableViewSet.http_method_names, "delete"]
    filterset_class = DealFilterSet
    see_all_permission = "deals.view_deal"

    def get_serializer_class(self):
        if self.action == "parties":
            return PartyRowSerializer
        return DealRowSerializer if self.action == "list" else DealSerializer

    @extend_schema(
        summary=_("List the parties of the deals"),
        description=_(
            "One row per party of the deals that the same filters as the deals list select: the company, its role, "
            "its own share with its qualifier and commitment. `?format=csv` gives the table the deals page links to."
        ),
        filters=True,
        parameters=[schema.FORMAT],
        responses={
            (200, schema.JSON): OpenApiResponse(PartyRowSerializer(many=True), description=schema.OK),
            (200, schema.CSV): schema.CSV_TABLE,
            **schema.READ_ERRORS,
        },
    )
    @action(detail=False, url_path="parties")
    def parties(self, request):
        visible = Deal.objects.all() if self.sees_everything() else public_deals()
        filterset = FilterSetBackend().valid_filterset(request, visible, self)
        rows = (
            DealParty.objects.filter(deal__in=filterset.qs.order_by().values("pk"))
            .select_related("deal", "company")
            .order_by(F("deal_announced_on").desc(nulls_last=True), "deal_id", "role", "company__name")
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def get_queryset(self):
        if self.action == "list":
            return _listed_deals(self.sees_everything()).with_parties()
        visible = Deal.objects.all() if self.sees_everything() else public_deals()
        deals = visible.with_parties().prefetch_related(
            Prefetch("tranches", queryset=Tranche.objects.select_related("company")),
            Prefetch("options", queryset=DealOption.objects.select_related("holder", "issuer")),
            Prefetch("citations", queryset=Citation.objects.select_related("source")),
            Prefetch("relations_out", queryset=_relations_to_visible(visible, "to_deal")),
            Prefetch("relations_in", queryset=_relations_to_visible(visible, "from_deal")),
        )
        return deals.order_by(*NEWEST_FIRST)

    def list(self, request, *args, **kwargs):
        """The deals, their total kept by the filters' values (deals.lists.counts.FilteredRows)."""
        everything = self.sees_everything()
        filterset = FilterSetBackend().valid_filterset(request, self.get_queryset(), self)
        deals = FilteredRows(
            filterset, start=f"api-deals:{'all' if everything else 'published'}", published_only=not everything
        )
        page = self.paginate_queryset(deals)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def perform_create(self, serializer):
        with _rules_of_the_save():
            serializer.save()

    def perform_update(self, serializer):
        with transaction.atomic():
            # The row stays locked from the check to the save, so two writers cannot both pass the check; the
            # change is applied to this row, read under the lock, so a field it does not send keeps its value.
            deal = Deal.objects.select_for_update(no_key=True).get(pk=serializer.instance.pk)
            preconditions.check_if_match(self, deal, self.request.headers.get("If-Match"))
            preconditions.check_version(deal, serializer.validated_data.get("version"))
            serializer.instance = deal
            try:
                with _rules_of_the_save():
                    serializer.save()
            except services.StaleDeal as stale:
                raise preconditions.Conflict(preconditions.refusal(deal, " ".join(stale.messages))) from stale

    def perform_destroy(self, instance):
        with transaction.atomic():
            deal = Deal.objects.select_for_update().get(pk=instance.pk)
            preconditions.check_if_match(self, deal, self.request.headers.get("If-Match"))
            deal.delete()

    def timestamps(self, deal):
        if self.action == "parties":  # the rows are parties
            yield deal.deal.updated_at
            yield deal.company.updated_at
            return
        yield deal.updated_at
        for party in deal.parties.all():
            yield party.company.updated_at
        if self.action == "list":  # a row shows the deal and its parties
            return
        for tranche in deal.tranches.all():
            yield tranche.company and tranche.company.updated_at
        for option in deal.options.all():
            yield option.holder.updated_at
            yield option.issuer.updated_at
        for citation in deal.citations.all():
            yield citation.source.updated_at


@contextmanager
def _rules_of_the_save():
    """A rule Deal.save() refuses (deals.rules.services.check_publication: a citation removed meanwhile) is a 400."""
    try:
        yield
    except DjangoValidationError as refused:
        if isinstance(refused, services.StaleDeal):
            raise
        raise ValidationError({"publication": refused.messages}) from refused


@cache
def _visible_companies(everything: bool):
    """The companies the API reads from, built once (see _listed_deals)."""
    companies = Company.objects.all() if everything else public_companies()
    return companies.select_related("parent").order_by("name", "pk")


@cache
def _listed_deals(everything: bool):
    """The deals the list starts from, built once (half a millisecond each time): every request filters a copy."""
    visible = Deal.objects.all() if everything else public_deals()
    return visible.with_citation_count().order_by(*NEWEST_FIRST)


def _relations_to_visible(visible, other_end: str):
    """A deal's relations whose other deal is visible, with that deal. EXISTS probes each relation's deal by its
    key; `other_end__in=visible` made SQLite list every published deal first (30 ms a request at 100,000 deals)."""
    other_is_visible = Exists(visible.filter(pk=OuterRef(other_end)))
    return DealRelation.objects.filter(other_is_visible).select_related(other_end)


@extend_schema_view(
    **schema.read_operations(_("alliance"), _("alliances"), AllianceSerializer, AllianceDetailSerializer)
)
class AllianceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    filterset_class = AllianceFilterSet

    def get_serializer_class(self):
        return AllianceSerializer if self.action == "list" else AllianceDetailSerializer

    def get_queryset(self):
        alliances = Alliance.objects.select_related("company_a", "company_b")
        if self.action != "list":
            deals = public_deals().order_by(*NEWEST_FIRST)
            alliances = alliances.prefetch_related(Prefetch("deals", queryset=deals))
        return alliances.order_by("-total_usd", "slug")
