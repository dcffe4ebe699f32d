"""Text in another language than the page's says so: the element holding it carries its `lang` (screen readers
and hyphenation read it rightly) and a small marker ("ES", with a translated tooltip) tells the reader.

One rule, `marked()`, for every surface: the template filters (deals.templatetags.languages) for a source's title
and quotes, which keep the source's language, and for what editors wrote (settings.EDITORIAL_LANGUAGE), shown
untranslated on pages in another language; and the feeds' summaries.
"""

import re

from django.conf import settings
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _

# A language tag as BCP 47 writes it (es, pt-BR, zh-Hant); anything else in Source.language is not one.
LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{1,8})*$")


def language_tag(code: str) -> str:
    """The tag of a language as an editor typed it ("ES", "es_es" → "es", "es-es"), or "" if it is not one."""
    tag = (code or "").strip().lower().replace("_", "-")
    return tag if LANGUAGE_TAG.match(tag) else ""


def _primary(tag: str) -> str:
    return tag.split("-")[0]


def page_language() -> str:
    return get_language() or settings.LANGUAGE_CODE


def differs_from_page(code: str) -> bool:
    """Whether text in the language `code` is in another language than the page's (an unknown one is not)."""
    tag = language_tag(code)
    return bool(tag) and _primary(tag) != _primary(page_language())


def language_name(tag: str) -> str:
    """The language's name in the page's language ("Spanish", "Español"), or its tag when Django has no name."""
    for code in (tag, _primary(tag)):
        try:
            return get_language_info(code)["name_translated"]
        except KeyError:
            continue
    return tag


def quoted_tooltip(code: str) -> str:
    return _("Quoted as published. Language: %(language)s") % {"language": language_name(language_tag(code))}


def untranslated_tooltip() -> str:
    return _("Not translated. Language: %(language)s") % {"language": language_name(settings.EDITORIAL_LANGUAGE)}


def marked(text, code: str, tooltip: str, autoescape=True, element="span"):
    """`text` in an element with `lang` and a marker when its language is not the page's; else as it was. The
    element is a `div` for text in paragraphs (`linebreaks`), else a `span`."""
    if not text or not differs_from_page(code):
        return text
    tag = language_tag(code)
    # Without autoescaping (a template's {% autoescape off %}, a feed's escaped HTML) the text is written as it is.
    shown = conditional_escape(text) if autoescape else mark_safe(text)  # noqa: S308
    element = "div" if element == "div" else "span"
    return format_html(
        '<{} lang="{}">{}</{}> <abbr class="lang-marker" lang="{}" title="{}">{}</abbr>',
        element,
        tag,
        shown,
        element,
        page_language(),
        tooltip,
        _primary(tag).upper(),
    )
