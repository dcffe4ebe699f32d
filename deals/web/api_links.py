"""Each public page's equivalent in the API, as Datasette offers it: the address of the same rows in JSON (and
CSV for a list), for the page's `<link rel="alternate">` and its visible "JSON" / "CSV" links.

A list page and its API collection filter with the same FilterSet (deals.lists), so a filter keeps its name;
the pagination's parameters are written as the API reads them, so that the JSON holds the rows the page shows.
"""

from dataclasses import dataclass

from django.http import QueryDict
from django.urls import reverse

JSON = "application/json"
CSV = "text/csv"


@dataclass(frozen=True)
class ApiLink:
    media_type: str
    label: str
    url: str


def for_object(url_name: str, **key) -> list[ApiLink]:
    """The JSON of one object: its address in the API (`url_name` in the `api` namespace) and its key."""
    return [ApiLink(JSON, "JSON", reverse(url_name, kwargs=key))]


def for_list(url_name: str, filterset, page) -> list[ApiLink]:
    """JSON and CSV of the rows of a list page: its valid `filterset` and the `page` of rows it shows."""
    query = api_query(filterset, page)
    address = reverse(url_name)
    return [
        ApiLink(JSON, "JSON", _with_query(address, query)),
        ApiLink(CSV, "CSV", _with_query(address, _with_format(query, "csv"))),
    ]


def api_query(filterset, page) -> QueryDict:
    """The API's query string for the page: the filters the visitor set (empty ones left out, unknown parameters
    dropped), then the page's number past the first and the page size the visitor chose, as the page applied it
    (a size out of bounds is capped: the API caps it alike, and its default is the pages' own)."""
    query = QueryDict(mutable=True)
    for name in filterset.filters:
        values = [value for value in filterset.data.getlist(name) if value != ""]
        if values:
            query.setlist(name, values)
    if page.number > 1:
        query["page"] = str(page.number)
    if filterset.data.get("page_size"):
        query["page_size"] = str(page.paginator.per_page)
    return query


def _with_format(query: QueryDict, format: str) -> QueryDict:
    query = query.copy()
    query["format"] = format
    return query


def _with_query(address: str, query: QueryDict) -> str:
    return f"{address}?{query.urlencode()}" if query else address
