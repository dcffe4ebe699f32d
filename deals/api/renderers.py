"""CSV output of any API response: one row per result, nested objects flattened, formulas defused."""

import csv
import io
import json

from rest_framework.renderers import BaseRenderer
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
