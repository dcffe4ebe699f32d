"""The facets beside a list (deals.lists.facets): each value's count and the address that narrows the list to it, or,
for the value chosen, the address that leaves it out again. Either keeps the other filters and starts at page one."""

from dataclasses import dataclass

from django.db.models import Model
from django.utils.http import urlencode

from deals.lists.facets import Facets, FacetValue, facet_counts

# The address's keys a facet's link drops: the list starts again at its first page.
PAGING = ("page",)


@dataclass(frozen=True)
class FacetLink:
    label: str
    count: int
    url: str
    selected: bool


@dataclass(frozen=True)
class ShownFacet:
    name: str
    label: str
    links: list[FacetLink]


def shown_facets(request, filterset, facets: Facets, total: int) -> list[ShownFacet]:
    """The facets of a valid FilterSet's list with their links; `total`, the list's own count, is the count of a value
    chosen that is not among a facet's top values."""
    counts = facet_counts(filterset, facets)
    address = [(key, value) for key, values in request.GET.lists() if key not in PAGING for value in values]
    shown = []
    for facet in facets.facets:
        field = filterset.form.fields[facet.filter]
        chosen = filterset.form.cleaned_data.get(facet.filter)
        values = list(counts[facet.filter])
        if chosen not in (None, "") and not any(_is_chosen(value.value, chosen) for value in values):
            values.append(FacetValue(_address_value(chosen), getattr(chosen, "name", ""), total))
        labels = dict(getattr(field, "choices", ()))
        links = [_link(request.path, address, facet.filter, value, chosen, labels) for value in values]
        if links:
            shown.append(ShownFacet(facet.filter, str(field.label), links))
    return shown


def _link(path: str, address: list, name: str, value: FacetValue, chosen, labels: dict) -> FacetLink:
    """The value's link: the address with this filter set to the value (in its place, else last), or, for the value
    chosen, without the filter."""
    selected = chosen not in (None, "") and _is_chosen(value.value, chosen)
    query = [(key, given) for key, given in address if key != name]
    if not selected:
        at = next((index for index, (key, _given) in enumerate(address) if key == name), len(query))
        query.insert(at, (name, str(value.value)))
    label = value.name or labels.get(value.value) or str(value.value)
    # To the results: on a phone the filters in use stay open above them (js/filter-panel.js).
    url = f"{path}?{urlencode(query)}#results" if query else f"{path}#results"
    return FacetLink(str(label), value.count, url, selected)


def _address_value(chosen) -> str:
    """A filter's cleaned value as its address writes it: a company as its slug, a year without decimals."""
    if isinstance(chosen, Model):
        return chosen.slug
    return str(int(chosen)) if not isinstance(chosen, str) else chosen


def _is_chosen(value, chosen) -> bool:
    # Text filters compare case aside (a country typed `us` is the facet's `US`).
    return str(value).upper() == _address_value(chosen).upper()
