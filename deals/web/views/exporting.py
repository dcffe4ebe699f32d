"""CSV downloads of the filtered lists: the same filters as the page, every matching row."""

from django.http import HttpResponseBadRequest


def export_filtered(request, filterset, csv_response):
    """The CSV of what the list page shows for these filters, or a 400 naming each filter that cannot be used."""
    if not filterset.is_valid():
        messages = [f"{name}: {' '.join(errors)}" for name, errors in filterset.errors.items()]
        return HttpResponseBadRequest("\n".join(messages), content_type="text/plain; charset=utf-8")
    return csv_response(request, filterset.qs)
