"""Dates known to a day, a month or a year, shown no more precisely than they are known."""

import datetime
from functools import lru_cache

from django.utils.formats import date_format
from django.utils.translation import get_language

from deals.models.choices import DatePrecision


def truncate(value: datetime.date | None, precision: str) -> datetime.date | None:
    """The first day of the period a partial date stands for, so equal periods compare equal."""
    if value is None:
        return None
    if precision == DatePrecision.YEAR:
        return value.replace(month=1, day=1)
    if precision == DatePrecision.MONTH:
        return value.replace(day=1)
    return value


def format_partial_date(value: datetime.date | None, precision: str, language: str | None = None) -> str:
    """The date as shown in `language` (the active one when not given: a writer of many rows passes it once)."""
    if value is None:
        return ""
    return _formatted(value, precision, language or get_language())


# Lists repeat the same months; Django's date_format looks up the locale's formats on every call.
@lru_cache(maxsize=8192)
def _formatted(value: datetime.date, precision: str, language: str | None) -> str:
    if precision == DatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.MONTH:
        return date_format(value, "YEAR_MONTH_FORMAT")
    return date_format(value, "DATE_FORMAT")
