"""The money views: circular deals, the network of alliances and its downloads, the proxy war, the charts."""

from django.core.paginator import Paginator
from django.http import JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render

from deals.figures import charts, cycles, network
from deals.figures.loops import loops
from deals.figures.proxy_war import labs_and_backers, with_deals
from deals.lists.counts import FilteredRows, RememberedCountPaginator
from deals.lists.money_filters import CycleFilterSet, NetworkFilterSet
from deals.models import Alliance, Cycle
from deals.rules import content_version
from deals.rules.public import public_companies
from deals.web import api_links
from deals.web.views.listing import company_slug_redirect, page_size, rendered_pagination, suggest_companies

# The drawing stays legible (and the page light) with the largest few hundred alliances; the downloads have all.
NETWORK_EDGES = 300
LABS_PER_PAGE = 20
# Each leg of a loop on the page lists its largest few deals and links to the alliance for the rest (the API has
# the ten the search keeps).
CIRCULAR_PAGE_DEALS_PER_LEG = 3
PROXY_WAR_CACHE_SECONDS = 24 * 60 * 60


def circular_deals(request):
    filterset = CycleFilterSet(request.GET, queryset=Cycle.objects.all(), request=request)
    context = {
        "filterset": filterset,
        "suggest_companies": suggest_companies(filterset.form),
        "limits": {"length": cycles.MAX_LENGTH, "kept": cycles.MAX_KEPT},
    }
    if not filterset.is_valid():
        return render(request, "money/circular.html", context, status=400)
    redirect = company_slug_redirect(request, filterset)
    if redirect is not None:
        return redirect
    rows = FilteredRows(filterset, start="pages:circular")
    page = RememberedCountPaginator(rows, page_size(request)).get_page(request.GET.get("page"))
    context.update(
        page=page,
        loops=loops(page.object_list, CIRCULAR_PAGE_DEALS_PER_LEG),
        folded=filterset.folded,
        pagination=rendered_pagination(request, page),
        api_links=api_links.for_list("api:cycle-list", filterset, page),
    )
    return render(request, "money/circular.html", context)


def _network_filterset(request):
    alliances = Alliance.objects.select_related("company_a", "company_b").order_by("-total_usd", "slug")
    return NetworkFilterSet(request.GET, queryset=alliances, request=request)


def network_page(request):
    filterset = _network_filterset(request)
    context = {"filterset": filterset, "legend": network.legend()}
    if not filterset.is_valid():
        return render(request, "money/network.html", context, status=400)
    alliances = filterset.qs
    shown = list(alliances[:NETWORK_EDGES])
    context.update(
        alliances=shown,
        alliance_count=alliances.count() if len(shown) == NETWORK_EDGES else len(shown),
        graph=network.graph_data(shown),
        query=request.GET.urlencode(),
    )
    return render(request, "money/network.html", context)


def _invalid_download(filterset) -> JsonResponse:
    return JsonResponse({"errors": filterset.form.errors}, status=400, json_dumps_params={"ensure_ascii": False})


def network_json(request):
    filterset = _network_filterset(request)
    if not filterset.is_valid():
        return _invalid_download(filterset)
    body = network.encoded(network.json_chunks(filterset.qs))
    response = StreamingHttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="dealsite-network.json"'
    return response


def network_graphml(request):
    filterset = _network_filterset(request)
    if not filterset.is_valid():
        return _invalid_download(filterset)
    body = network.encoded(network.graphml_chunks(filterset.qs))
    response = StreamingHttpResponse(body, content_type="application/graphml+xml; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="dealsite-network.graphml"'
    return response


def proxy_war(request):
    # Computed from every backed lab's deals: cached until the next change to companies, deals or parties.
    labs = content_version.remembered("proxy-war", labs_and_backers, seconds=PROXY_WAR_CACHE_SECONDS)
    page = Paginator(labs, LABS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "labs": with_deals(page.object_list), "pagination": rendered_pagination(request, page)}
    return render(request, "money/proxy_war.html", context)


def charts_page(request):
    kinds, quarters = charts.money_by_quarter()
    investors = charts.largest_investors()
    context = {
        "kinds": kinds,
        "quarters": quarters,
        "quarter_chart": charts.quarter_chart(kinds, quarters),
        "investors": investors,
        "investors_chart": charts.investors_chart(investors),
    }
    return render(request, "money/charts.html", context)


def company_chart(request, slug):
    company = get_object_or_404(public_companies(), slug=slug)
    return render(request, "money/company_chart.html", {"company": company})
