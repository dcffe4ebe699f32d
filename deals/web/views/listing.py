"""What every list page shares: pagination with a capped page size, and the response to bad filters."""

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string

from deals.lists.counts import FilteredRows, RememberedCountPaginator
from deals.lists.facets import Facets
from deals.lists.filters import CompanySlugField
from deals.web import api_links
from deals.web.views.facets import shown_facets

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
# What includes/deal_table.html shows of a deal: the lists read these columns only (.only()).
DEAL_ROW_FIELDS = [
    "slug",
    "title",
    "kind",
    "status",
    "announced_on",
    "announced_precision",
    "amount",
    "currency",
    "amount_qualifier",
    "amount_usd",
]


def page_size(request) -> int:
    try:
        size = int(request.GET.get("page_size", DEFAULT_PAGE_SIZE))
    except ValueError:
        return DEFAULT_PAGE_SIZE
    return min(max(size, 1), MAX_PAGE_SIZE)


def suggest_companies(form) -> bool:
    """Whether the form has a company field, whose widget asks static/js/company-suggest.js to suggest companies as
    the visitor types (deals.lists.filters.CompanySlugField): the page loads the script only then."""
    return any(isinstance(field, CompanySlugField) for field in form.fields.values())


def company_slug_redirect(request, filterset) -> HttpResponseRedirect | None:
    """For a valid form whose company fields were typed as a name or an alias ("Amazon", "AWS"): a redirect to the
    same address with each company's slug instead, the one address a filtered list has. None when all are slugs."""
    query = request.GET.copy()
    for name, field in filterset.form.fields.items():
        company = filterset.form.cleaned_data.get(name) if isinstance(field, CompanySlugField) else None
        if company is not None and query.get(name) != company.slug:
            query[name] = company.slug
    if query == request.GET:
        return None
    return HttpResponseRedirect(f"{request.path}?{query.urlencode()}")


def render_list(request, template, filterset, start: str | None = None, facets: Facets | None = None, *, api: str):
    """Render a filtered list page; with invalid filters, the form errors and no rows (status 400). `api` names
    the list's collection in the API, which the page links to with its filters (deals.web.api_links).

    `start` names the queryset the FilterSet starts from, when no other list of the pages starts from the same name
    with other rows: its total is then kept by the filters' values (lists.counts.FilteredRows), else by its SQL.
    `facets`: the values beside the filters with their counts (deals.lists.facets)."""
    context = {"filterset": filterset, "suggest_companies": suggest_companies(filterset.form)}
    if not filterset.is_valid():
        return render(request, template, context, status=400)
    redirect = company_slug_redirect(request, filterset)
    if redirect is not None:
        return redirect
    # The pages list published deals only (FilteredRows' default).
    rows = filterset.qs if start is None else FilteredRows(filterset, start=start)
    page = RememberedCountPaginator(rows, page_size(request)).get_page(request.GET.get("page"))
    context.update(
        page=page, pagination=rendered_pagination(request, page), api_links=api_links.for_list(api, filterset, page)
    )
    if facets is not None:
        context["facets"] = shown_facets(request, filterset, facets, page.paginator.count)
    return render(request, template, context)


def rendered_pagination(request, page) -> str:
    """includes/pagination.html for the page: rendered once, for pages that show it above and below the rows."""
    return render_to_string("includes/pagination.html", {"page": page}, request=request)
