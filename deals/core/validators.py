"""Validators shared by models, forms and serializers."""

import datetime
from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

web_url_validator = URLValidator(
    schemes=["http", "https"],
    message=_("Enter a web address that starts with http:// or https://."),
)
FIRST_FOUNDED_YEAR = 1800


def validate_founded_year(year) -> None:
    """A founding year between 1800 and this year."""
    this_year = datetime.date.today().year
    if year is not None and not FIRST_FOUNDED_YEAR <= year <= this_year:
        raise ValidationError(
            _("Enter the year the company was founded, between %(first)d and %(last)d (e.g. 2015); %(year)d is not."),
            code="founded_year",
            params={"first": FIRST_FOUNDED_YEAR, "last": this_year, "year": year},
        )


# Parameters that say where a reader came from, not which article it is.
TRACKING_PARAMETERS = {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "yclid"}


def normalize_source_url(url: str) -> str:
    """One spelling per article: scheme and host in lower case, no tracking parameters (utm_*, fbclid, gclid…),
    no fragment, no trailing slash on the path. "https://Example.com/a/?utm_source=x#top" → "https://example.com/a".
    """
    if not url:
        return url
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return url
    # The other parameters are kept as written (decoding and encoding them again could change them).
    query = "&".join(pair for pair in parts.query.split("&") if pair and not _is_tracking(pair.partition("=")[0]))
    path = parts.path.rstrip("/")
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, query, ""))


def _is_tracking(name: str) -> bool:
    name = name.lower()
    return name.startswith("utm_") or name in TRACKING_PARAMETERS
