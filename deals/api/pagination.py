"""Page-number pagination with a total count and a page size the client may choose, up to a cap."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

from deals.lists.counts import RememberedCountPaginator

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_DIGITS = 18


def _positive_int(request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    digits = raw.lstrip("0")
    if not raw.isascii() or not raw.isdigit() or not digits:
        raise ValidationError({name: [_("Enter a whole number of at least 1.")]})
    # Longer numbers are past any page (a 404) and over the size cap alike. Python refuses to parse
    # integers of thousands of digits (a ValueError, so a 500), and there is no need to.
    return int(digits) if len(digits) <= MAX_DIGITS else 10**MAX_DIGITS


class CountedPagination(PageNumberPagination):
    """`?page=N&page_size=M`: a bad number is a 400, a page past the end a 404, a size over the cap is capped.

    An empty value is the default, as for the filters.
    """

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    last_page_strings = ()
    page_query_description = _("A page number, from 1. A page past the last one is a 404.")
    page_size_query_description = format_lazy(
        _("Number of results per page, {default} by default; values above {max} are capped to {max}."),
        default=DEFAULT_PAGE_SIZE,
        max=MAX_PAGE_SIZE,
    )

    # A view may also page a deals.lists.counts.FilteredRows.
    django_paginator_class = RememberedCountPaginator

    def get_page_size(self, request):
        requested = _positive_int(request, self.page_size_query_param)
        return self.page_size if requested is None else min(requested, self.max_page_size)

    def get_page_number(self, request, paginator):
        return _positive_int(request, self.page_query_param) or 1

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        paginated["required"] = ["count", "next", "previous", "results"]
        descriptions = {
            "count": _("Number of results across all pages."),
            "next": _("URL of the next page, or null on the last page."),
            "previous": _("URL of the previous page, or null on the first page."),
            "results": _("The results of this page."),
        }
        for name, description in descriptions.items():
            paginated["properties"][name]["description"] = description
        return paginated

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
        return parameters
