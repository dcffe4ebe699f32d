"""The deals list as CSV: every matching row, streamed, each cell safe to open in a spreadsheet.

Rows are read as plain values in chunks (one query for the parties of each chunk), not as model
instances, so a large export streams at a steady pace.
"""

import csv
from itertools import islice

from django.http import StreamingHttpResponse
from django.urls import reverse

from deals.csv_safety import spreadsheet_safe
from deals.models import DealParty, Role

CHUNK = 1000
PARTY_COLUMNS = {
    "investors": (Role.LEAD_INVESTOR, Role.INVESTOR),
    "investees": (Role.INVESTEE,),
    "providers": (Role.PROVIDER,),
    "customers": (Role.CUSTOMER,),
    "other_parties": (Role.PARTNER, Role.ACQUIRER, Role.TARGET),
}
COLUMN_OF_ROLE = {role: column for column, roles in PARTY_COLUMNS.items() for role in roles}
DEAL_COLUMNS = [
    "slug",
    "title",
    "kind",
    "status",
    "announced_on",
    "announced_precision",
    "amount",
    "currency",
    "amount_qualifier",
    "amount_as_stated",
    "amount_usd",
    "stake_percent",
    "valuation_usd",
    "capacity_gw",
    "duration_months",
    "summary",
]
HEADER = [*DEAL_COLUMNS, *PARTY_COLUMNS, "url"]


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a streaming response."""

    def write(self, value):
        return value


def _party_names(deal_ids):
    """{deal id: {column: [company names]}} for one chunk of deals, in one query."""
    names = {deal_id: {column: [] for column in PARTY_COLUMNS} for deal_id in deal_ids}
    parties = DealParty.objects.filter(deal_id__in=deal_ids).order_by("role", "company__name")
    for deal_id, role, name in parties.values_list("deal_id", "role", "company__name"):
        names[deal_id][COLUMN_OF_ROLE[role]].append(name)
    return names


def _rows(deals, deal_url_prefix):
    rows = deals.prefetch_related(None).values_list("pk", *DEAL_COLUMNS).iterator(chunk_size=CHUNK)
    while chunk := list(islice(rows, CHUNK)):
        names = _party_names([row[0] for row in chunk])
        for deal_id, *values in chunk:
            parties = ["; ".join(names[deal_id][column]) for column in PARTY_COLUMNS]
            url = f"{deal_url_prefix}{values[0]}/"
            yield [spreadsheet_safe(value) for value in (*values, *parties, url)]


def deals_csv_response(request, deals, filename="dealsite-deals.csv"):
    # One reverse for the whole export: every deal address is this prefix and the slug.
    deal_url_prefix = request.build_absolute_uri(reverse("deals:deal-detail", kwargs={"slug": "-"})).removesuffix("-/")
    writer = csv.writer(_Echo())
    lines = (writer.writerow(row) for row in _rows(deals, deal_url_prefix))
    response = StreamingHttpResponse(
        (line for part in ([writer.writerow(HEADER)], lines) for line in part), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
