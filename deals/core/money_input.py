"""Amounts as people write them: "1.5B", "1.5 bn", "500 million", "$2,000,000", "€15M", "15 millones de euros",
"1.250 millones" (a Spanish thousands dot), "2.5 billion". parse_money() turns the text into an amount and, when a
symbol or code was typed, its currency; MoneyInputField is the form field the admin's amount fields use."""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from deals.core.currencies import ACTIVE_CODES

# Largest amount taken: a thousand trillion; anything above is a typing slip, not a deal.
MAX_AMOUNT = Decimal(10) ** 15
CENT = Decimal("0.01")

# Multipliers by word, in lower case. Spanish "billón" is a million millions (long scale).
ENGLISH_UNITS = {
    "k": 3,
    "thousand": 3,
    "m": 6,
    "mn": 6,
    "mm": 6,
    "mio": 6,
    "million": 6,
    "millions": 6,
    "b": 9,
    "bn": 9,
    "billion": 9,
    "billions": 9,
    "t": 12,
    "tn": 12,
    "trillion": 12,
    "trillions": 12,
}
SPANISH_UNITS = {
    "mil": 3,
    "millón": 6,
    "millon": 6,
    "millones": 6,
    "mil millones": 9,
    "miles de millones": 9,
    "billón": 12,
    "billon": 12,
    "billones": 12,
}
SYMBOLS = {"us$": "USD", "$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}
CURRENCY_WORDS = {
    "dollars": "USD",
    "dollar": "USD",
    "dólares": "USD",
    "dolares": "USD",
    "euros": "EUR",
    "euro": "EUR",
    "pounds": "GBP",
    "libras": "GBP",
    "yen": "JPY",
}
# Currencies whose own sign is "$" too: "$" typed beside one of them is no contradiction.
DOLLAR_SIGN_CURRENCIES = {"USD", "CAD", "AUD", "NZD", "HKD", "SGD", "TWD", "MXN", "ARS", "CLP", "COP"}

_SYMBOL = r"us\$|\$|€|£|¥"
_PATTERN = re.compile(
    rf"^(?P<sign>-)?\s*(?P<before>{_SYMBOL}|[a-z]{{3}}(?=[\s\d]))?\s*(?P<sign2>-)?\s*"
    r"(?P<number>\d(?:[\d.,\s]*\d)?)\s*(?P<rest>[^\d].*)?$",
    re.IGNORECASE,
)


class MoneyInputError(ValueError):
    def __init__(self, message, code):
        super().__init__(message)
        self.message, self.code = message, code


@dataclass(frozen=True)
class TypedMoney:
    amount: Decimal
    currency: str | None  # when a symbol, code or word named it
    typed: str

    @property
    def dollar_sign(self) -> bool:
        """Whether a bare "$" named the currency (which other dollars and pesos use too), not "US$" or "USD"."""
        return self.currency == "USD" and re.search(r"(?<!us)\$", self.typed, re.IGNORECASE) is not None

    @property
    def is_plain_number(self) -> bool:
        return self.currency is None and re.fullmatch(r"[\d.,]+", self.typed) is not None


def parse_money(text: str) -> TypedMoney:
    typed = " ".join(text.split())
    match = _PATTERN.match(typed)
    if not match:
        raise MoneyInputError(_("Enter an amount, e.g. 1.5B, 500 million or $2,000,000."), "invalid")
    if match["sign"] or match["sign2"]:
        raise MoneyInputError(_("An amount cannot be negative."), "negative")
    currency = _currency_before(match["before"])
    exponent, spanish, currency_after = _unit_and_currency(match["rest"] or "")
    if currency and currency_after and currency != currency_after:
        raise MoneyInputError(_("The amount names two currencies."), "two_currencies")
    amount = _number(match["number"].replace(" ", ""), spanish) * Decimal(10) ** exponent
    if amount >= MAX_AMOUNT:
        raise MoneyInputError(_("That amount is too large: check the number and its unit."), "too_large")
    # Written out ("1500000000", not "1.5E+9") when it has no more than cents.
    if amount == amount.quantize(CENT):
        amount = amount.quantize(CENT)
    return TypedMoney(amount, currency or currency_after, typed)


def _currency_before(before: str | None) -> str | None:
    if not before:
        return None
    if before.lower() in SYMBOLS:
        return SYMBOLS[before.lower()]
    return _code(before)


def _code(word: str) -> str:
    if word.upper() not in ACTIVE_CODES:
        raise MoneyInputError(_("Unknown currency “%(code)s”.") % {"code": word}, "unknown_currency")
    return word.upper()


def _unit_and_currency(rest: str) -> tuple[int, bool, str | None]:
    """(power of ten, whether the unit is Spanish, currency) of what follows the number: "bn", "millones de euros"."""
    words = rest.strip().lower()
    currency = None
    for symbol, code in SYMBOLS.items():
        if words.endswith(symbol):
            words, currency = words.removesuffix(symbol).strip(), code
            break
    else:
        last = words.rsplit(" ", 1)[-1]
        if last in CURRENCY_WORDS:
            words, currency = words.removesuffix(last).strip(), CURRENCY_WORDS[last]
        elif len(last) == 3 and last.isalpha() and last.upper() in ACTIVE_CODES and words != last:
            words, currency = words.removesuffix(last).strip(), last.upper()
        elif len(words) == 3 and words.isalpha() and words.upper() in ACTIVE_CODES and words not in ENGLISH_UNITS:
            words, currency = "", words.upper()
    words = words.removesuffix(" de").strip()
    if not words:
        return 0, False, currency
    if words in SPANISH_UNITS:
        return SPANISH_UNITS[words], True, currency
    if words in ENGLISH_UNITS:
        return ENGLISH_UNITS[words], False, currency
    raise MoneyInputError(
        _("Unknown unit “%(unit)s”: use K, M, B, thousand, million, billion or millones.") % {"unit": rest.strip()},
        "unknown_unit",
    )


def _number(digits: str, spanish: bool) -> Decimal:
    """The number, reading "," and "." as people do: "2,000,000" and "1,234.5"; "1.234,5" and, with a Spanish unit,
    "1.250" (thousands) and "1,5" (decimals)."""
    if "," in digits and "." in digits:
        thousands, decimal = (",", ".") if digits.rindex(".") > digits.rindex(",") else (".", ",")
    elif spanish:
        thousands, decimal = ".", ","
    elif re.fullmatch(r"\d{1,3}(,\d{3})+", digits):
        thousands, decimal = ",", "."
    elif "," in digits and digits.count(",") == 1:
        thousands, decimal = ".", ","
    else:
        thousands, decimal = ",", "."
    if digits.count(decimal) > 1 or (
        thousands in digits and not re.fullmatch(rf"\d{{1,3}}(\{thousands}\d{{3}})+(\{decimal}\d+)?", digits)
    ):
        raise MoneyInputError(_("Enter an amount, e.g. 1.5B, 500 million or $2,000,000."), "invalid")
    try:
        return Decimal(digits.replace(thousands, "").replace(decimal, "."))
    except InvalidOperation:
        raise MoneyInputError(_("Enter an amount, e.g. 1.5B, 500 million or $2,000,000."), "invalid") from None


class MoneyInputField(forms.DecimalField):
    """A DecimalField that takes amounts as written ("1.5B", "€15M"); cleaned, it is a Decimal whose TypedMoney
    (currency named, text typed) the form reads from `typed_money` (deals.admin.forms.MoneyInputMixin)."""

    widget = forms.TextInput

    def __init__(self, **kwargs):
        kwargs.pop("localize", None)
        super().__init__(**kwargs)
        self.typed_money = None

    def widget_attrs(self, widget):
        # static/js/money-preview.js shows, beside the field, the amount as it will be shown.
        return {**super().widget_attrs(widget), "data-money-preview": "", "inputmode": "text", "size": 16}

    def to_python(self, value):
        self.typed_money = None
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal | int):
            return Decimal(value)
        try:
            typed = parse_money(str(value))
        except MoneyInputError as error:
            raise forms.ValidationError(error.message, code=error.code) from None
        self.typed_money = typed
        return typed.amount
