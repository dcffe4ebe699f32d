"""What every list page shares: pagination with a capped page size, and the response to bad filters."""

from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language

from deals.lists.counts import FilteredRows, RememberedCountPaginator
from deals.lists.filters import CompanySlugField
from deals.lists.memo import Memo

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
_PAGINATIONS = Memo(512)


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


def render_list(request, template, filterset, read_rows=list, start: str | None = None):
    """Render a filtered list page; with invalid filters, the form errors and no rows (status 400).

    `read_rows` turns the page's queryset into its rows (e.g. deals.lists.party_links.attach_party_links). `start` names
    the queryset the FilterSet starts from, when no other list of the pages starts from the same name with other
    rows: its total is then kept by the filters' values (deals.lists.counts.FilteredRows), else by its SQL."""
    context = {"filterset": filterset, "suggest_companies": suggest_companies(filterset.form)}
    if not filterset.is_valid():
        return render(request, template, context, status=400)
    # The pages list published deals only (FilteredRows' default).
    rows = filterset.qs if start is None else FilteredRows(filterset, start=start)
    page = RememberedCountPaginator(rows, page_size(request)).get_page(request.GET.get("page"))
    page.object_list = read_rows(page.object_list)
    context.update(page=page, pagination=rendered_pagination(request, page))
    return render(request, template, context)


def rendered_pagination(request, page) -> str:
    """includes/pagination.html for the page: rendered once, for pages that show it above and below the rows, and
    kept, as it depends only on the language, the query string and the page's figures."""
    paginator = page.paginator
    key = (get_language(), request.META.get("QUERY_STRING", ""), page.number, paginator.per_page, paginator.count)
    context = {"page": page, "request": request}
    return _PAGINATIONS.get(key, lambda: render_to_string("includes/pagination.html", context))
