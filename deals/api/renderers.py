"""The API's other outputs: CSV of any response (one row per result, nested objects flattened, formulas defused),
and the browsable web page a browser gets."""

import csv
import io
import json

from rest_framework.renderers import BaseRenderer, BrowsableAPIRenderer
from rest_framework.serializers import BaseSerializer, ListSerializer

from deals.exchange.csv_safety import spreadsheet_safe


def _columns(serializer, prefix=""):
    """Column names from a serializer's fields: a nested object becomes `name.field` columns."""
    for name, field in serializer.fields.items():
        if isinstance(field, BaseSerializer) and not isinstance(field, ListSerializer):
            yield from _columns(field, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}"


def _flatten(row: dict, prefix="") -> dict:
    cells = {}
    for name, value in row.items():
        if isinstance(value, dict):
            cells.update(_flatten(value, f"{prefix}{name}."))
        elif isinstance(value, list):
            # Lists of parties, tranches or citations stay whole, as JSON text in one cell.
            cells[f"{prefix}{name}"] = json.dumps(value, ensure_ascii=False, default=str) if value else ""
        else:
            cells[f"{prefix}{name}"] = value
    return cells


class CSVRenderer(BaseRenderer):
    """`?format=csv` or `Accept: text/csv`. A paginated list gives its current page, without the count."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, dict) and "results" in data:
            data = data["results"]
        rows = [_flatten(row) for row in (data if isinstance(data, list) else [data])]
        columns = self._columns(renderer_context, rows)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([spreadsheet_safe(row.get(column)) for column in columns])
        return out.getvalue().encode(self.charset)

    @staticmethod
    def _columns(renderer_context, rows):
        view = (renderer_context or {}).get("view")
        if view is not None and hasattr(view, "get_serializer"):
            return list(_columns(view.get_serializer()))
        return list(dict.fromkeys(column for row in rows for column in row))


class BrowsableRenderer(BrowsableAPIRenderer):
    """The response as a web page, for a browser (`Accept: text/html`) or `?format=api`. Other clients, which
    accept anything or ask for JSON, get JSON: the renderers list it first. Its scripts and styles are DRF's own,
    served by this site (whitenoise), and its pages are framed by templates/rest_framework/api.html."""

    def get_filter_form(self, data, view, request):
        # A list's filters as a form; a detail view's filterset_class filters nothing (ApiViewSet.filter_queryset).
        return super().get_filter_form(data, view, request) if not getattr(view, "detail", False) else None
