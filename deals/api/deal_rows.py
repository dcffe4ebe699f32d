"""The rows of the deals list, built from plain values: DealRowSerializer's output at a fraction of its cost.

DealRowSerializer stays the documented shape (the schema and CSV columns come from it). Serializing a
page with it instantiates every deal, party and company and walks a dozen DRF fields per row, each
translating labels and reversing URLs: most of a request at 100,000 deals. Here a page is two queries
of values (the deals, then their parties with their companies' slugs and names), labels are translated
once per language and addresses come from a template per request. tests/test_api_fast_rows.py checks
that the rows equal the serializer's.
"""

import copy
import datetime
from decimal import Decimal
from functools import cache

from django.utils.translation import get_language
from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

from deals.api.serializers import DealRowSerializer
from deals.core.choices import DealKind, DealStatus, Role
from deals.core.dates import format_partial_date
from deals.core.links import absolute_url_maker, detail_url_maker
from deals.core.money import format_money
from deals.lists.party_links import party_links
from deals.models import Publication
from deals.web.rows import DEAL_ROW_FIELDS, plain_labels_of

# What a row needs from the deal (citation_count is the view's annotation); its parties come from deals.lists.party_links.
DEAL_VALUES = ("id", *DEAL_ROW_FIELDS, "publication", "stake_percent", "citation_count", "updated_at")
ZERO = datetime.timedelta(0)


@cache
def _serializer_fields():
    """DealRowSerializer's fields, built once: their to_representation is the reference for numbers and times."""
    fields = DealRowSerializer().fields
    return fields, fields["parties"].child.fields


def _or_none(to_representation):
    """DRF shows None as null without asking the field."""
    return lambda value: None if value is None else to_representation(value)


def decimal_text(field: serializers.DecimalField):
    """The field's to_representation, None as null. The database gives decimals with the field's places already
    (a column of that scale; Django quantizes SQLite's), so DRF's quantizing would change nothing: they are written
    at once. A value of other places, or a field that normalizes or localizes, goes through the field."""
    exponent = -field.decimal_places if field.decimal_places is not None else None
    plain = getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING) and not (
        field.localize or field.normalize_output
    )

    def text(value):
        if value is None:
            return None
        if plain and type(value) is Decimal and value.as_tuple().exponent == exponent:
            return f"{value:f}"
        return field.to_representation(value)

    return text


def datetime_text(field: serializers.DateTimeField):
    """The field's to_representation, None as null, in the request's time zone looked up once, not per value
    (`timezone` is what DRF's own `default_timezone` argument sets). A time in UTC shown in UTC as ISO 8601 is
    written at once, as DRF writes it ("Z" for "+00:00"), without converting it to the zone first."""
    field = copy.copy(field)
    field.timezone = field.default_timezone()
    output_format = getattr(field, "format", api_settings.DATETIME_FORMAT)
    if not (isinstance(output_format, str) and output_format.lower() == ISO_8601 and _is_utc(field.timezone)):
        return _or_none(field.to_representation)

    def text(value):
        if value is None:
            return None
        if value.utcoffset() == ZERO:
            return f"{value.replace(tzinfo=None).isoformat()}Z"
        return field.to_representation(value)

    return text


def _is_utc(zone) -> bool:
    return zone is datetime.UTC or getattr(zone, "key", None) == "UTC"


def attach_parties(deals: list[dict]) -> list[dict]:
    """The deals' values, each with a `parties` list of its parties' rows (deals.lists.party_links), in one query."""
    by_deal = party_links((deal["id"] for deal in deals), company_times=True)
    for deal in deals:
        deal["parties"] = by_deal.get(deal["id"], [])
    return deals


class DealRowWriter:
    """Turns deal values (with their parties) into the API's rows, for one request and its language."""

    def __init__(self, request):
        deal_fields, party_fields = _serializer_fields()
        self.amount = decimal_text(deal_fields["amount"])
        self.amount_usd = decimal_text(deal_fields["amount_usd"])
        self.stake_percent = decimal_text(deal_fields["stake_percent"])
        self.updated_at = datetime_text(deal_fields["updated_at"])
        self.party_amount = decimal_text(party_fields["amount"])
        self.party_amount_usd = decimal_text(party_fields["amount_usd"])
        self.kinds = plain_labels_of(DealKind)
        self.statuses = plain_labels_of(DealStatus)
        self.roles = plain_labels_of(Role)
        self.language = get_language()
        self.api_url = absolute_url_maker(request, detail_url_maker("api:deal-detail", "slug"))
        self.html_url = absolute_url_maker(request, detail_url_maker("deals:deal-detail", "slug"))

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
            "announced_display": format_partial_date(announced_on, deal["announced_precision"], self.language),
            "amount": self.amount(deal["amount"]),
            "currency": deal["currency"],
            "amount_qualifier": deal["amount_qualifier"],
            "amount_usd": self.amount_usd(deal["amount_usd"]),
            "amount_display": format_money(deal["amount"], deal["currency"], deal["amount_qualifier"], self.language),
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
            "amount_qualifier": party.amount_qualifier,
            "commitment": party.commitment,
            "amount_usd": self.party_amount_usd(party.amount_usd),
        }


def timestamps(deal: dict):
    """What a row shows that carries an update time: the deal and its parties' companies (in seconds)."""
    yield deal["updated_at"]
    for party in deal["parties"]:
        yield party.company_updated_seconds
