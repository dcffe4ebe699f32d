"""The rows of the deals list, built from plain values: DealRowSerializer's output at a fraction of its cost.

DealRowSerializer stays the documented shape (the schema and CSV columns come from it). Serializing a
page with it instantiates every deal, party and company and walks a dozen DRF fields per row, each
translating labels and reversing URLs: most of a request at 100,000 deals. Here a page is two queries
of values (the deals, then their parties with their companies' slugs and names), labels are translated
once per request and addresses come from a template per request. tests/test_api_fast_rows.py checks
that the rows equal the serializer's.
"""

from functools import cache

from deals.api.serializers import DealRowSerializer
from deals.dates import format_partial_date
from deals.links import absolute_url_maker, detail_url_maker
from deals.models import Publication
from deals.models.choices import DealKind, DealStatus, Role
from deals.money import format_money
from deals.party_links import party_links
from deals.rows import DEAL_ROW_FIELDS

# What a row needs from the deal (citation_count is the view's annotation); its parties come from deals.party_links.
DEAL_VALUES = ("id", *DEAL_ROW_FIELDS, "publication", "stake_percent", "citation_count", "updated_at")


@cache
def _serializer_fields():
    """DealRowSerializer's fields, built once: their to_representation is the reference for numbers and times."""
    fields = DealRowSerializer().fields
    return fields, fields["parties"].child.fields


def _or_none(to_representation):
    """DRF shows None as null without asking the field."""
    return lambda value: None if value is None else to_representation(value)


def translated_labels(choices) -> dict[str, str]:
    """{value: label} in the active language, as text (not escaped: JSON), once per request rather than per cell."""
    return {value: str(label) for value, label in choices.choices}


def attach_parties(deals: list[dict]) -> list[dict]:
    """The deals' values, each with a `parties` list of its parties' rows (deals.party_links), in one query."""
    by_deal = party_links((deal["id"] for deal in deals), company_times=True)
    for deal in deals:
        deal["parties"] = by_deal.get(deal["id"], [])
    return deals


class DealRowWriter:
    """Turns deal values (with their parties) into the API's rows, for one request and its language."""

    def __init__(self, request):
        deal_fields, party_fields = _serializer_fields()
        self.amount = _or_none(deal_fields["amount"].to_representation)
        self.amount_usd = _or_none(deal_fields["amount_usd"].to_representation)
        self.stake_percent = _or_none(deal_fields["stake_percent"].to_representation)
        self.updated_at = _or_none(deal_fields["updated_at"].to_representation)
        self.party_amount = _or_none(party_fields["amount"].to_representation)
        self.party_amount_usd = _or_none(party_fields["amount_usd"].to_representation)
        self.kinds = translated_labels(DealKind)
        self.statuses = translated_labels(DealStatus)
        self.roles = translated_labels(Role)
        self.api_url = absolute_url_maker(request, detail_url_maker("api:deal-detail", "slug"))
        self.html_url = absolute_url_maker(request, detail_url_maker("deals:deal-detail", "slug"))
        self.dates = {}

    def rows(self, deals: list[dict]) -> list[dict]:
        return [self.row(deal) for deal in deals]

    def row(self, deal: dict) -> dict:
        announced_on, kind, status = deal["announced_on"], deal["kind"], deal["status"]
        return {
            "slug": deal["slug"],
            "title": deal["title"],
            "kind": kind,
            "kind_display": self.kinds.get(kind, kind),
            "status": status,
            "status_display": self.statuses.get(status, status),
            "publication": deal["publication"],
            "announced_on": announced_on.isoformat() if announced_on else None,
            "announced_precision": deal["announced_precision"],
            "announced_display": self.announced_display(announced_on, deal["announced_precision"]),
            "amount": self.amount(deal["amount"]),
            "currency": deal["currency"],
            "amount_qualifier": deal["amount_qualifier"],
            "amount_usd": self.amount_usd(deal["amount_usd"]),
            "amount_display": format_money(deal["amount"], deal["currency"], deal["amount_qualifier"]),
            "stake_percent": self.stake_percent(deal["stake_percent"]),
            "parties": [self.party(party) for party in deal["parties"]],
            "citation_count": int(deal["citation_count"]),
            "updated_at": self.updated_at(deal["updated_at"]),
            "api_url": self.api_url(deal["slug"]),
            "html_url": self.html_url(deal["slug"]) if deal["publication"] == Publication.PUBLISHED else None,
        }

    def party(self, party) -> dict:
        return {
            "company": party.company_slug,
            "company_name": party.company_name,
            "role": party.role,
            "role_display": self.roles.get(party.role, party.role),
            "amount": self.party_amount(party.amount),
            "amount_usd": self.party_amount_usd(party.amount_usd),
        }

    def announced_display(self, announced_on, precision) -> str:
        # A page repeats the same months and years: each is formatted once.
        key = (announced_on, precision)
        if key not in self.dates:
            self.dates[key] = format_partial_date(announced_on, precision)
        return self.dates[key]


def timestamps(deal: dict):
    """What a row shows that carries an update time: the deal and its parties' companies."""
    yield deal["updated_at"]
    for party in deal["parties"]:
        yield party.company_updated_at
