"""The public lists as CSV: every matching row, streamed, each cell safe to open in a spreadsheet.

Rows are read as plain values in chunks (for deals, one query for the parties of each chunk), not as
model instances, so a large export streams at a steady pace.
"""

import csv
import io
from collections import defaultdict
from itertools import islice

from django.db.models import Q
from django.http import StreamingHttpResponse

from deals.core.links import absolute_url_maker, detail_url, detail_url_maker
from deals.exchange.csv_safety import spreadsheet_safe
from deals.figures.totals import MONEY_FIELDS
from deals.models import DEAL_TERM_FIELDS, Citation, DealOption, DealParty, DealRelation, Publication, Role, Tranche

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
    "usd_rate",
    "commitment",
    "conditions",
    "amount_reported",
    "amount_in_words",
    "amount_per_unit",
    "per_unit",
    "stake_percent",
    *DEAL_TERM_FIELDS,
    "summary",
]
# After the parties: whether the source names them all, then the deal page's lists, each as text in one cell.
LIST_COLUMNS = ["others_unnamed", "tranches", "options", "related", "sources"]
HEADER = [*DEAL_COLUMNS, *PARTY_COLUMNS, *LIST_COLUMNS, "url"]


def _party_names(deal_ids):
    """{deal id: {column: [company names]}} for one chunk of deals, in one query; deals and columns without
    parties are left out."""
    names = defaultdict(lambda: defaultdict(list))
    parties = DealParty.objects.filter(deal_id__in=deal_ids).order_by("role", "company__name")
    for deal_id, role, name in parties.values_list("deal_id", "role", "company__name"):
        names[deal_id][COLUMN_OF_ROLE[role]].append(name)
    return names


def _texts(pairs) -> dict:
    """{deal id: "a; b"} from (deal id, text) pairs."""
    texts = defaultdict(list)
    for deal_id, text in pairs:
        texts[deal_id].append(text)
    return {deal_id: "; ".join(items) for deal_id, items in texts.items()}


def _number(value) -> str:
    return "" if value is None else format(value.normalize(), "f")


def _tranche_texts(deal_ids, currencies):
    tranches = Tranche.objects.filter(deal_id__in=deal_ids).order_by("deal_id", "position", "pk")
    return _texts(
        (
            t.deal_id,
            " ".join(
                part
                for part in (
                    f"{t.label}:",
                    t.amount_qualifier if t.amount_qualifier != "exact" else "",
                    _number(t.amount),
                    currencies[t.deal_id],
                    f"({t.commitment}{': ' + t.condition if t.condition else ''})",
                    f"expected {t.expected_on.isoformat()}" if t.expected_on else "",
                )
                if part
            ),
        )
        for t in tranches
    )


def _option_texts(deal_ids):
    options = (
        DealOption.objects.filter(deal_id__in=deal_ids).select_related("holder", "issuer").order_by("deal_id", "pk")
    )
    return _texts((option.deal_id, option_text(option)) for option in options)


def option_text(option) -> str:
    """ "warrant: OpenAI on AMD, up_to 160000000 shares at 0.01 USD, vesting: …, expires 2030-10-01"."""
    parts = [f"{option.kind}: {option.holder.name} on {option.issuer.name}"]
    if option.shares is not None:
        qualifier = f"{option.shares_qualifier} " if option.shares_qualifier != "exact" else ""
        parts.append(f"{qualifier}{option.shares} shares")
    if option.exercise_price is not None:
        parts.append(f"at {_number(option.exercise_price)} {option.exercise_currency}")
    if option.stake_percent is not None:
        parts.append(f"{_number(option.stake_percent)}%")
    if option.vesting:
        parts.append(f"vesting: {option.vesting}")
    if option.expires_on:
        parts.append(f"expires {option.expires_on.isoformat()}")
    return ", ".join(parts)


def _related_texts(deal_ids):
    """ "expands other-slug" for this deal's links, "other-slug expands this" for links to it; published deals only."""
    published = Publication.PUBLISHED
    links = DealRelation.objects.filter(
        Q(from_deal_id__in=deal_ids, to_deal__publication=published)
        | Q(to_deal_id__in=deal_ids, from_deal__publication=published)
    ).values_list("from_deal_id", "to_deal_id", "kind", "from_deal__slug", "to_deal__slug")
    wanted, pairs = set(deal_ids), []
    for from_id, to_id, kind, from_slug, to_slug in links:
        if from_id in wanted:
            pairs.append((from_id, f"{kind} {to_slug}"))
        if to_id in wanted:
            pairs.append((to_id, f"{from_slug} {kind} this"))
    return _texts(pairs)


def _source_texts(deal_ids):
    citations = Citation.objects.filter(deal_id__in=deal_ids).select_related("source").order_by("deal_id", "pk")
    return _texts(
        (c.deal_id, f"{c.supports}: {c.source.display_name}{' <' + c.source.url + '>' if c.source.url else ''}")
        for c in citations
    )


def _rows(deals, deal_url):
    rows = deals.prefetch_related(None).values_list("pk", *DEAL_COLUMNS, "others_unnamed").iterator(chunk_size=CHUNK)
    currency_at = DEAL_COLUMNS.index("currency") + 1
    while chunk := list(islice(rows, CHUNK)):
        deal_ids = [row[0] for row in chunk]
        names = _party_names(deal_ids)
        tranches = _tranche_texts(deal_ids, {row[0]: row[currency_at] for row in chunk})
        options, related, sources = _option_texts(deal_ids), _related_texts(deal_ids), _source_texts(deal_ids)
        for deal_id, *values, others_unnamed in chunk:
            columns = names.get(deal_id, {})
            parties = ["; ".join(columns.get(column, ())) for column in PARTY_COLUMNS]
            lists = [tranches.get(deal_id, ""), options.get(deal_id, ""), related.get(deal_id, "")]
            yield (*values, *parties, others_unnamed, *lists, sources.get(deal_id, ""), deal_url(values[0]))


PARTY_ROW_COLUMNS = [
    "deal_slug",
    "deal_title",
    "announced_on",
    "company_slug",
    "company",
    "role",
    "amount",
    "currency",
    "amount_qualifier",
    "commitment",
    "amount_usd",
    "others_unnamed",
    "deal_url",
]


def _party_rows(deals, deal_url):
    """One row per party of the deals, in the deals' order: a company's role, share, qualifier and commitment."""
    rows = deals.prefetch_related(None).values_list("pk", "slug", "title", "announced_on", "currency", "others_unnamed")
    rows = rows.iterator(chunk_size=CHUNK)
    while chunk := list(islice(rows, CHUNK)):
        parties = defaultdict(list)
        found = DealParty.objects.filter(deal_id__in=[row[0] for row in chunk]).order_by("role", "company__name")
        for party in found.values_list(
            "deal_id",
            "company__slug",
            "company__name",
            "role",
            "amount",
            "amount_qualifier",
            "commitment",
            "amount_usd",
        ):
            parties[party[0]].append(party[1:])
        for deal_id, slug, title, announced_on, currency, others_unnamed in chunk:
            for company_slug, name, role, amount, qualifier, commitment, amount_usd in parties.get(deal_id, ()):
                yield (
                    slug,
                    title,
                    announced_on,
                    company_slug,
                    name,
                    role,
                    amount,
                    currency if amount is not None else "",
                    qualifier,
                    commitment,
                    amount_usd,
                    others_unnamed,
                    deal_url(slug),
                )


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


def deal_parties_csv_response(request, deals, filename="dealsite-deal-parties.csv"):
    deal_url = absolute_url_maker(request, detail_url_maker("deals:deal-detail", "slug"))
    return csv_response(PARTY_ROW_COLUMNS, _party_rows(deals, deal_url), filename)


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
