from collections import defaultdict

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from deals.core.choices import RelationKind
from deals.exchange.csv_export import deal_parties_csv_response, deals_csv_response
from deals.lists.facets import DEAL_FACETS
from deals.lists.filters import DealFilterSet
from deals.models import Citation, DealOption, DealRelation, Publication, Tranche
from deals.rules.public import public_deals
from deals.web import api_links
from deals.web.views.exporting import export_filtered
from deals.web.views.listing import DEAL_ROW_FIELDS, render_list

# How a relation reads from the other deal's side: A expands B, so B is expanded by A.
INVERSE_RELATION = {
    RelationKind.EXPANDS: _("is expanded by"),
    RelationKind.SUPERSEDES: _("is superseded by"),
    RelationKind.PART_OF: _("includes"),
}


def _filtered(request):
    return DealFilterSet(request.GET, queryset=public_deals(), request=request)


def deal_list(request):
    deals = public_deals().only(*DEAL_ROW_FIELDS).with_parties()
    filterset = DealFilterSet(request.GET, queryset=deals, request=request)
    return render_list(
        request,
        "deals/deal_list.html",
        filterset,
        start="pages:published-deals",
        facets=DEAL_FACETS,
        api="api:deal-list",
    )


def deal_export(request):
    return export_filtered(request, _filtered(request), deals_csv_response)


def deal_parties_export(request):
    """The parties of the listed deals, one row each (role, share, qualifier, commitment)."""
    return export_filtered(request, _filtered(request), deal_parties_csv_response)


def deal_detail(request, slug):
    deals = (
        public_deals()
        .with_parties()
        .prefetch_related(
            Prefetch("tranches", queryset=Tranche.objects.select_related("company")),
            Prefetch("options", queryset=DealOption.objects.select_related("holder", "issuer")),
            Prefetch("citations", queryset=Citation.objects.select_related("source")),
        )
    )
    deal = get_object_or_404(deals, slug=slug)
    citations = defaultdict(list)
    for citation in deal.citations.all():
        citations[citation.supports].append(citation)
    context = {
        "deal": deal,
        "citations": dict(citations),
        "related": _related(deal),
        "api_links": api_links.for_object("api:deal-detail", slug=deal.slug),
    }
    return render(request, "deals/deal_detail.html", context)


def _related(deal):
    """[(how it relates, other deal)] for the published deals linked to this one, either way."""
    published = Publication.PUBLISHED
    outgoing = DealRelation.objects.filter(from_deal=deal, to_deal__publication=published).select_related("to_deal")
    incoming = DealRelation.objects.filter(to_deal=deal, from_deal__publication=published).select_related("from_deal")
    return [(relation.get_kind_display(), relation.to_deal) for relation in outgoing] + [
        (INVERSE_RELATION[relation.kind], relation.from_deal) for relation in incoming
    ]
