"""Dates known to a day, a month or a year, shown no more precisely than they are known."""

import calendar
import datetime
import re
from functools import lru_cache

from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from deals.core.choices import DatePrecision

ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


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


def impossible_date_message(text) -> str | None:
    """For a well-formed YYYY-MM-DD that names no day ("2025-02-30"), a sentence saying so; else None."""
    if not isinstance(text, str):
        return None
    match = ISO_DATE.match(text.strip())
    if not match:
        return None
    year, month, day = (int(part) for part in match.groups())
    try:
        datetime.date(year, month, day)
    except ValueError:
        if not 1 <= month <= 12:
            return _("%(text)s is not a date: there is no month %(month)d (write YYYY-MM-DD).") % {
                "text": text.strip(),
                "month": month,
            }
        days = calendar.monthrange(year, month)[1] if year >= 1 else 31
        return _("%(text)s is not a date: %(month)s %(year)d has %(days)d days.") % {
            "text": text.strip(),
            "month": calendar.month_name[month],
            "year": year,
            "days": days,
        }
    return None
