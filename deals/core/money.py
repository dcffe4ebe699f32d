"""Money arithmetic: US-dollar equivalents, always in Decimal, never float."""

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

CENT = Decimal("0.01")
USD = "USD"


def usd_equivalent(amount: Decimal | None, currency: str, usd_rate: Decimal | None) -> Decimal | None:
    """The US-dollar value of an amount, from the editor's rate (US dollars per unit of currency)."""
    if amount is None:
        return None
    if currency == USD:
        return amount
    if usd_rate is None:
        return None
    return (amount * usd_rate).quantize(CENT, rounding=ROUND_HALF_UP)


SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}
SPANISH_SYMBOLS = {"USD": "US$", "EUR": "€", "GBP": "£", "JPY": "¥"}
MILLION = Decimal(1_000_000)
BILLION = Decimal(1_000_000_000)


def _number(value: Decimal) -> str:
    value = value.quantize(CENT, rounding=ROUND_HALF_UP).normalize()
    places = max(0, -value.as_tuple().exponent)
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


def format_money(
    amount: Decimal | None, currency: str = USD, qualifier: str = "exact", language: str | None = None
) -> str:
    """A compact, localised amount: "$4B", "up to $4B" in English; "hasta 4.000 millones de US$" in Spanish.
    In `language`, else the active one (a writer of many rows passes it once)."""
    if amount is None:
        return ""
    return _formatted(amount, currency, qualifier, language or get_language() or "en")


# Lists show hundreds of amounts and Django's number_format looks up the locale's formats on every call;
# the same figures recur (round amounts, the same deals on many pages), so each is formatted once per language.
@lru_cache(maxsize=8192)
def _formatted(amount: Decimal, currency: str, qualifier: str, language: str) -> str:
    if language.startswith("es"):
        symbol = SPANISH_SYMBOLS.get(currency, currency)
        if amount >= MILLION:
            text = _("%(number)s million %(symbol)s") % {"number": _number(amount / MILLION), "symbol": symbol}
        else:
            text = f"{_number(amount)} {symbol}"
    else:
        symbol = SYMBOLS.get(currency, f"{currency} ")
        if amount >= BILLION:
            text = f"{symbol}{_number(amount / BILLION)}B"
        elif amount >= MILLION:
            text = f"{symbol}{_number(amount / MILLION)}M"
        else:
            text = f"{symbol}{_number(amount)}"
    return qualify(text, qualifier)


def qualify(text: str, qualifier: str) -> str:
    # One translation per call, of the qualifier asked for (lists format hundreds of amounts).
    if qualifier == "up_to":
        return _("up to %(figure)s") % {"figure": text}
    if qualifier == "about":
        return _("about %(figure)s") % {"figure": text}
    if qualifier == "at_least":
        return _("more than %(figure)s") % {"figure": text}
    return text


def format_range(committed: Decimal | None, further: Decimal | None, language: str | None = None) -> str:
    """A total with its certainty: "$15B committed, up to $50B", "up to $4B" (nothing committed), "$14B".

    Committed money and the further money that is only "up to", conditional or non-binding are never added into
    one bare figure. Empty when neither is known: the caller says "unknown", never 0.
    """
    if committed is None and further is None:
        return ""
    committed, further = committed or Decimal(0), further or Decimal(0)
    if not further:
        return format_money(committed, USD, language=language)
    ceiling = format_money(committed + further, USD, "up_to", language=language)
    if not committed:
        return ceiling
    return _("%(committed)s committed, %(ceiling)s") % {
        "committed": format_money(committed, USD, language=language),
        "ceiling": ceiling,
    }
