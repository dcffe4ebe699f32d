from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render

from deals.exchange.csv_export import alliances_csv_response
from deals.lists.facets import ALLIANCE_FACETS
from deals.lists.filters import AllianceFilterSet
from deals.models import Alliance
from deals.web import api_links
from deals.web.views.exporting import export_filtered
from deals.web.views.listing import DEAL_ROW_FIELDS, render_list, rendered_pagination

# What includes/alliance_table.html shows of an alliance and its two companies: the list reads these columns only.
ALLIANCE_ROW_FIELDS = ["slug", "deal_count", "total_usd", "further_usd", "dominant_kind", "latest_announced"]
ALLIANCE_ROW_FIELDS += ["company_a__name", "company_a__slug", "company_b__name", "company_b__slug"]
# The alliance page lists its deals a page at a time.
DEALS_PER_PAGE = 100


def _filtered(request, only=()):
    """The alliances (with their companies, reading only the fields in `only` when given) filtered by the request."""
    alliances = Alliance.objects.select_related("company_a", "company_b")
    return AllianceFilterSet(request.GET, queryset=alliances.only(*only) if only else alliances, request=request)


def alliance_list(request):
    filterset = _filtered(request, only=ALLIANCE_ROW_FIELDS)
    return render_list(
        request,
        "deals/alliance_list.html",
        filterset,
        start="pages:alliances",
        facets=ALLIANCE_FACETS,
        api="api:alliance-list",
    )


def alliance_export(request):
    return export_filtered(request, _filtered(request), alliances_csv_response)


def alliance_detail(request, slug_a, slug_b):
    if slug_a > slug_b:
        return redirect("deals:alliance-detail", slug_a=slug_b, slug_b=slug_a, permanent=True)
    alliance = get_object_or_404(
        Alliance.objects.select_related("company_a", "company_b"), company_a__slug=slug_a, company_b__slug=slug_b
    )
    deals = alliance.deals.published().only(*DEAL_ROW_FIELDS).with_parties()
    deals = deals.order_by(F("announced_on").asc(nulls_last=True), "title", "pk")
    # A page of the deals at a time: two groups with thousands of deals between them still make a light page.
    page = Paginator(deals, DEALS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "alliance": alliance,
        "deals": page.object_list,
        "page": page,
        "api_links": api_links.for_object("api:alliance-detail", slug=alliance.slug),
    }
    if page.paginator.num_pages > 1:
        context["pagination"] = rendered_pagination(request, page)
    return render(request, "deals/alliance_detail.html", context)
