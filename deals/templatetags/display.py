"""How figures look on the pages: money, percentages, capacity, durations, links, page addresses."""

from decimal import Decimal
from functools import lru_cache

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from deals.core import links
from deals.core.choices import QuantityUnit
from deals.core.money import SYMBOLS, USD, format_money, format_range, qualify
from deals.lists.memo import Memo
from deals.web import rows

register = template.Library()


@register.simple_tag
def money(amount, currency=USD, qualifier="exact"):
    """{% money deal.amount deal.currency deal.amount_qualifier %} → "up to $4B"."""
    return format_money(amount, currency, qualifier)


@register.simple_tag
def money_range(committed, further, unknown="—"):
    """{% money_range alliance.total_usd alliance.further_usd %} → "$15B committed, up to $50B"; `unknown` when
    no amount is known."""
    return format_range(committed, further) or unknown


@register.filter
def usd(amount):
    return format_money(amount, USD)


@register.filter
def usd_data(amount):
    """A chart table's dollar cell: the readable figure, with the exact number for machines; "—" when unknown."""
    if amount is None:
        return "—"
    return format_html('<data value="{}">{}</data>', amount, format_money(amount, USD))


def _number(value: Decimal) -> str:
    value = Decimal(value).normalize()
    places = max(0, -value.as_tuple().exponent)
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


@register.filter
def number(value):
    """A number as it is, localised, without trailing zeros: 1.170000 → "1.17"."""
    return "" if value is None else _number(value)


@register.simple_tag
def percent(value, qualifier="exact"):
    if value is None:
        return ""
    return qualify(_("%(number)s%%") % {"number": _number(value)}, qualifier)


@register.simple_tag
def gigawatts(value, qualifier="exact"):
    if value is None:
        return ""
    return qualify(_("%(number)s GW") % {"number": _number(value)}, qualifier)


@register.simple_tag
def quantity(value, unit="", qualifier="exact"):
    """{% quantity deal.quantity deal.quantity_unit deal.quantity_qualifier %} → "up to 1,000,000 TPUs"."""
    if value is None:
        return ""
    label = str(QuantityUnit(unit).label) if unit in QuantityUnit.values else ""
    return qualify(f"{_number(value)} {label}".strip(), qualifier)


@register.simple_tag
def shares(value, qualifier="exact"):
    """{% shares option.shares option.shares_qualifier %} → "up to 160,000,000 shares"."""
    if value is None:
        return ""
    text = ngettext("%(count)s share", "%(count)s shares", value) % {"count": _number(value)}
    return qualify(text, qualifier)


@register.simple_tag
def price(value, currency=USD):
    """A price per share, to the cent or finer: "$0.01", "€12.5"."""
    if value is None:
        return ""
    symbol = SYMBOLS.get(currency, f"{currency} ")
    return f"{symbol}{_number(value)}"


@register.filter
def duration(months):
    if months is None:
        return ""
    if months % 12 == 0:
        years = months // 12
        return ngettext("%(count)d year", "%(count)d years", years) % {"count": years}
    return ngettext("%(count)d month", "%(count)d months", months) % {"count": months}


@register.filter
def web_link(url):
    """The URL when it is an http(s) link, else an empty string (so no javascript: link is ever rendered)."""
    return links.web_link(url)


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """The current address with another page number, every filter kept."""
    query = context["request"].GET.copy()
    query["page"] = number
    return f"?{query.urlencode()}"


@register.simple_tag(takes_context=True)
def query_without_paging(context):
    query = context["request"].GET.copy()
    query.pop("page", None)
    query.pop("page_size", None)
    return query.urlencode()


@register.simple_tag(takes_context=True)
def unprefixed_path(context):
    """The current address in the default language, which Django's set_language view can translate either way.

    English pages have no prefix, so set_language runs in English and cannot resolve a /es/ address.
    """
    return _in_default_language(context["request"].get_full_path(), get_language())


@lru_cache(maxsize=1024)
def _in_default_language(path: str, language: str | None) -> str:
    # translate_url resolves `path` in the active language, which the cache key holds.
    return translate_url(path, settings.LANGUAGE_CODE)


# Rendered filter forms, by language, page and query: Django renders each widget through templates (several
# milliseconds a form), yet a valid form's markup depends only on those.
_VALID_FORMS = Memo(512)


@register.simple_tag(takes_context=True)
def filter_form(context):
    """{% filter_form %}: includes/filter_form.html for the context's filterset, reused while the form is valid.

    An invalid form is always rendered afresh: whether a company slug exists depends on the database.
    """
    template = context.template.engine.get_template("includes/filter_form.html")
    filterset, request = context["filterset"], context["request"]
    if not filterset.is_valid():
        return template.render(context)
    key = (
        get_language(),
        request.path,
        type(filterset),
        bool(context.get("suggest_companies")),
        tuple(sorted((name, tuple(values)) for name, values in request.GET.lists())),
    )
    return _VALID_FORMS.get(key, lambda: template.render(context))


# {% deal_rows deals %}, {% alliance_rows alliances %}, …: table rows written by deals.web.rows.
for writer in (rows.deal_rows, rows.alliance_rows, rows.partner_rows, rows.timeline_items):
    register.simple_tag(writer)
