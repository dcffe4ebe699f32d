"""The public lists as CSV: every matching row, streamed, each cell safe to open in a spreadsheet.

Rows are read as plain values in chunks (for deals, one query for the parties of each chunk), not as
model instances, so a large export streams at a steady pace.
"""

import csv
import io
from collections import defaultdict
from itertools import islice

from django.http import StreamingHttpResponse

from deals.csv_safety import spreadsheet_safe
from deals.links import absolute_url_maker, detail_url, detail_url_maker
from deals.models import DealParty, Role
from deals.totals import MONEY_FIELDS

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


def _party_names(deal_ids):
    """{deal id: {column: [company names]}} for one chunk of deals, in one query; deals and columns without
    parties are left out."""
    names = defaultdict(lambda: defaultdict(list))
    parties = DealParty.objects.filter(deal_id__in=deal_ids).order_by("role", "company__name")
    for deal_id, role, name in parties.values_list("deal_id", "role", "company__name"):
        names[deal_id][COLUMN_OF_ROLE[role]].append(name)
    return names


def _rows(deals, deal_url):
    rows = deals.prefetch_related(None).values_list("pk", *DEAL_COLUMNS).iterator(chunk_size=CHUNK)
    while chunk := list(islice(rows, CHUNK)):
        names = _party_names([row[0] for row in chunk])
        for deal_id, *values in chunk:
            columns = names.get(deal_id, {})
            parties = ["; ".join(columns.get(column, ())) for column in PARTY_COLUMNS]
            yield (*values, *parties, deal_url(values[0]))


def csv_response(header, rows, filename):
    """A streamed CSV download: the header, then each row made spreadsheet-safe."""
    response = StreamingHttpResponse(_csv_text(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _csv_text(header, rows):
    """The CSV in pieces of CHUNK rows: csv.writer's writerows runs in C, a generator step per row would not."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    rows = iter(rows)
    while True:
        writer.writerows([spreadsheet_safe(value) for value in row] for row in islice(rows, CHUNK))
        text = buffer.getvalue()
        if not text:
            return
        yield text
        buffer.seek(0)
        buffer.truncate()


def deals_csv_response(request, deals, filename="dealsite-deals.csv"):
    deal_url = absolute_url_maker(request, detail_url_maker("deals:deal-detail", "slug"))
    return csv_response(HEADER, _rows(deals, deal_url), filename)


COMPANY_COLUMNS = {
    "slug": "slug",
    "name": "name",
    "kind": "kind",
    "country": "country",
    "parent": "parent__slug",
    "founded_year": "founded_year",
    "legal_form": "legal_form",
    "website": "website",
    "deal_count": "totals__deal_count",
    # Committed money, and apart from it the further money that is only up to, conditional or non-binding.
    **{field: f"totals__{field}" for field in MONEY_FIELDS},
}


def companies_csv_response(request, companies, filename="dealsite-companies.csv"):
    company_url = absolute_url_maker(request, detail_url_maker("deals:company-detail", "slug"))
    values = companies.values_list(*COMPANY_COLUMNS.values()).iterator(chunk_size=CHUNK)
    rows = ((*row, company_url(row[0])) for row in values)
    return csv_response([*COMPANY_COLUMNS, "url"], rows, filename)


ALLIANCE_COLUMNS = {
    "company_a": "company_a__name",
    "company_b": "company_b__name",
    "company_a_slug": "company_a__slug",
    "company_b_slug": "company_b__slug",
    "deal_count": "deal_count",
    "committed_usd": "total_usd",
    "further_usd": "further_usd",
    "undisclosed_flows": "undisclosed_count",
    "first_announced": "first_announced",
    "latest_announced": "latest_announced",
    "main_kind": "dominant_kind",
}


_COMMITTED = list(ALLIANCE_COLUMNS).index("committed_usd")


def _unknown_money_empty(row: tuple) -> tuple:
    """An alliance whose money is all undisclosed has empty money cells: unknown, not 0."""
    if row[_COMMITTED] or row[_COMMITTED + 1]:
        return row
    return (*row[:_COMMITTED], None, None, *row[_COMMITTED + 2 :])


def alliances_csv_response(request, alliances, filename="dealsite-alliances.csv"):
    alliance_url = absolute_url_maker(request, lambda a, b: detail_url("deals:alliance-detail", slug_a=a, slug_b=b))
    values = alliances.values_list(*ALLIANCE_COLUMNS.values()).iterator(chunk_size=CHUNK)
    rows = (_unknown_money_empty(row) + (alliance_url(row[2], row[3]),) for row in values)
    return csv_response([*ALLIANCE_COLUMNS, "url"], rows, filename)
