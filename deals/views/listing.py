"""What every list page shares: pagination with a capped page size, and the response to bad filters."""

from django.core.paginator import Paginator
from django.forms import ModelChoiceField
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from deals.public import companies_in_published_deals

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def page_size(request) -> int:
    try:
        size = int(request.GET.get("page_size", DEFAULT_PAGE_SIZE))
    except ValueError:
        return DEFAULT_PAGE_SIZE
    return min(max(size, 1), MAX_PAGE_SIZE)


def _suggest_companies(form) -> bool:
    """Company fields are typed slugs; the browser suggests them from one <datalist>."""
    company_fields = [field for field in form.fields.values() if isinstance(field, ModelChoiceField)]
    for field in company_fields:
        field.widget.attrs.update(list="company-slugs", autocomplete="off", placeholder=_("e.g. amazon"))
    return bool(company_fields)


def render_list(request, template, filterset):
    """Render a filtered list page; with invalid filters, the form errors and no rows (status 400)."""
    context = {"filterset": filterset}
    if _suggest_companies(filterset.form):
        context["company_choices"] = companies_in_published_deals().values_list("slug", "name")
    if not filterset.is_valid():
        return render(request, template, context, status=400)
    context["page"] = Paginator(filterset.qs, page_size(request)).get_page(request.GET.get("page"))
    return render(request, template, context)
