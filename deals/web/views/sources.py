"""The public sources: a list of those published deals cite, and a page for each with the figures it supports."""

from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, render

from deals.lists.facets import SOURCE_FACETS
from deals.lists.filters import SourceFilterSet
from deals.models import Citation, Publication
from deals.rules.public import public_sources
from deals.web import api_links
from deals.web.views.listing import render_list


def _published_citations():
    return Citation.objects.filter(deal__publication=Publication.PUBLISHED)


def _deals_supported():
    """How many published deals cite the source: a subquery per listed row, so only the page's rows are counted."""
    per_source = (
        _published_citations()
        .filter(source=OuterRef("pk"))
        .order_by()
        .values("source")
        .annotate(deals=Count("deal", distinct=True))
        .values("deals")
    )
    return Coalesce(Subquery(per_source, output_field=IntegerField()), Value(0))


def source_list(request):
    sources = public_sources().order_by(*public_sources().model._meta.ordering, "pk")
    filterset = SourceFilterSet(request.GET, queryset=sources.annotate(deal_count=_deals_supported()), request=request)
    return render_list(request, "deals/source_list.html", filterset, facets=SOURCE_FACETS, api="api:source-list")


def source_detail(request, pk):
    source = get_object_or_404(public_sources(), pk=pk)
    citations = (
        _published_citations()
        .filter(source=source)
        .select_related("deal")
        # Undated deals last on both databases (PostgreSQL sorts NULL first in a descending order, SQLite last).
        .order_by(F("deal__announced_on").desc(nulls_last=True), "deal__title", "supports", "pk")
    )
    return render(
        request,
        "deals/source_detail.html",
        {
            "source": source,
            "citations": citations,
            "api_links": api_links.for_object("api:source-detail", pk=source.pk),
        },
    )
