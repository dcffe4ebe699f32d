"""The money views: circular deals, the network of alliances and its downloads, the proxy war, the charts."""

from django.http import JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render

from deals.figures import charts, cycles, network
from deals.figures import proxy_war as proxy_war_figures
from deals.figures.loops import loops
from deals.lists.counts import COUNT_SECONDS, FilteredRows, RememberedCountPaginator
from deals.lists.money_filters import CycleFilterSet, NetworkFilterSet
from deals.models import Alliance, Cycle
from deals.rules import content_version
from deals.rules.public import public_companies
from deals.web import api_links
from deals.web.views.listing import company_slug_redirect, page_size, rendered_pagination, suggest_companies

# The drawing stays legible (and the page light) with the largest few hundred alliances; the downloads have all.
NETWORK_EDGES = 300
LABS_PER_PAGE = 20
# The proxy war lists each lab's largest backers and each backer's first deals; the rest are a link away (the lab's
# own page, the alliance's), so that a page stays the same size however many deals there are.
BACKERS_PER_LAB = 10
BACKERS_PER_PAGE = 50
DEALS_PER_BACKER = 5
# Each leg of a loop on the page lists its largest few deals and links to the alliance for the rest (the API has
# the ten the search keeps).
CIRCULAR_PAGE_DEALS_PER_LEG = 3


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
    page = RememberedCountPaginator(proxy_war_figures.stored_labs(), LABS_PER_PAGE).get_page(request.GET.get("page"))
    # Each backer's first deals are read from every investment between the page's labs and backers (0.3 s at
    # 100,000 deals): kept under the content version, as the lists' counts are.
    labs = content_version.remembered(
        f"proxy-war:{page.number}",
        lambda: proxy_war_figures.shown_labs(page.object_list, BACKERS_PER_LAB, DEALS_PER_BACKER),
        seconds=COUNT_SECONDS,
    )
    context = {"page": page, "labs": labs, "pagination": rendered_pagination(request, page)}
    return render(request, "money/proxy_war.html", context)


def proxy_war_lab(request, slug):
    """One backed lab with every backer, a page of them at a time."""
    lab_row = get_object_or_404(proxy_war_figures.stored_labs(), lab__slug=slug)
    backers = RememberedCountPaginator(proxy_war_figures.stored_backers([lab_row.pk]), BACKERS_PER_PAGE)
    page = backers.get_page(request.GET.get("page"))
    lab = content_version.remembered(
        f"proxy-war:{lab_row.pk}:{page.number}",
        lambda: proxy_war_figures.shown_backers(lab_row, page.object_list, DEALS_PER_BACKER),
        seconds=COUNT_SECONDS,
    )
    context = {"page": page, "lab": lab, "pagination": rendered_pagination(request, page)}
    return render(request, "money/proxy_war_lab.html", context)


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
