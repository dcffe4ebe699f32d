"""The list pages' tags: column headers that sort the list, and whether the visitor is filtering it."""

from django import template

register = template.Library()

# What the address may hold that is no filter: the order and the page.
NOT_FILTERS = {"ordering", "page", "page_size"}


@register.inclusion_tag("includes/sort_header.html", takes_context=True)
def sort_header(context, key: str, label: str, first: str = "asc", css_class: str = ""):
    """A column header that orders the list by `key` (one of the FilterSet's `ordering` values), `first` ("asc" or
    "desc") on the first click, the other way on the next; it shows the list's current order (arrow, aria-sort)."""
    filterset = context["filterset"]
    allowed = filterset.filters["ordering"].param_map
    if key not in allowed:
        raise template.TemplateSyntaxError(f"{type(filterset).__name__} cannot order by {key!r}")
    current = filterset.current_ordering()
    if current == key:
        sort, next_order = "ascending", f"-{key}"
    elif current == f"-{key}":
        sort, next_order = "descending", key
    else:
        sort, next_order = None, key if first == "asc" else f"-{key}"
    return {
        "request": context["request"],
        "label": label,
        "sort": sort,
        "ordering": next_order,
        "descending_next": next_order.startswith("-"),
        "css_class": css_class,
    }


@register.simple_tag(takes_context=True)
def filters_in_use(context) -> bool:
    """Whether the address holds a filter (not only an order or a page): a phone then shows the filters open, and a
    column header sorting the list leaves them folded."""
    return any(key not in NOT_FILTERS and any(values) for key, values in context["request"].GET.lists())
