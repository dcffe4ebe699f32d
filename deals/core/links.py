"""Addresses of the detail pages, built from a template per language instead of a full reverse() per link.

A list page links every row and every party (a company page, hundreds of links); reverse() walks the
URL resolvers each time. The template is reverse()'s own result for placeholder slugs, so the address
is the same; a value that is not a slug falls back to reverse(), which refuses it as before.
"""

import re
from functools import lru_cache
from urllib.parse import urlsplit

from django.core.signals import setting_changed
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

SLUG = re.compile(r"[-a-zA-Z0-9_]+")
PLACEHOLDER = "zzslugplaceholder{}zz"


@lru_cache(maxsize=128)
def _template(name: str, kwarg_names: tuple[str, ...], language: str, script_prefix: str, urlconf) -> list[str]:
    """reverse()'s address cut at each placeholder: [text, kwarg index, text, ...]."""
    url = reverse(name, kwargs={key: PLACEHOLDER.format(number) for number, key in enumerate(kwarg_names)})
    parts = re.split(PLACEHOLDER.format(r"(\d+)"), url)
    return [int(part) if number % 2 else part for number, part in enumerate(parts)]


def detail_url(name: str, **slugs: str) -> str:
    values = list(slugs.values())
    if not all(isinstance(value, str) and SLUG.fullmatch(value) for value in values):
        return reverse(name, kwargs=slugs)
    parts = _template(name, tuple(slugs), get_language(), get_script_prefix(), get_urlconf())
    return "".join(values[part] if isinstance(part, int) else part for part in parts)


def detail_url_maker(name: str, kwarg: str):
    """A function slug → address of the page `name`, for the active language: for many links in one table."""
    parts = _template(name, (kwarg,), get_language(), get_script_prefix(), get_urlconf())

    def url(slug: str) -> str:
        if not (isinstance(slug, str) and SLUG.fullmatch(slug)):
            return reverse(name, kwargs={kwarg: slug})
        return "".join(slug if isinstance(part, int) else part for part in parts)

    return url


def absolute_url_maker(request, url_of):
    """`url_of` (slugs → path, as detail_url_maker gives) made to give absolute addresses on the request's scheme
    and host, as request.build_absolute_uri does for a path; without a request, the paths themselves."""
    if request is None:
        return url_of
    origin = request.build_absolute_uri("/").removesuffix("/")
    return lambda *slugs: origin + url_of(*slugs)


def _forget_templates(setting, **kwargs):
    if setting in ("ROOT_URLCONF", "LANGUAGES", "LANGUAGE_CODE", "FORCE_SCRIPT_NAME"):
        _template.cache_clear()


setting_changed.connect(_forget_templates)


def web_link(url: str) -> str:
    """The URL when it is an http(s) link, else an empty string (so no javascript: link is ever rendered)."""
    return url if url and urlsplit(url).scheme in ("http", "https") else ""
