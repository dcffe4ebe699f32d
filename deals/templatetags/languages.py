"""Text in another language than the page's says so: the element holding it carries its `lang` (screen readers
and hyphenation read it rightly) and a small marker ("ES", with a translated tooltip) tells the reader.

One rule, `marked()`, for both cases: a source's title and quotes, which keep the source's language, and what
editors wrote (settings.EDITORIAL_LANGUAGE), shown untranslated on pages in another language.
"""

import re

from django import template
from django.conf import settings
from django.utils.html import conditional_escape, format_html
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _

register = template.Library()

# A language tag as BCP 47 writes it (es, pt-BR, zh-Hant); anything else in Source.language is not one.
LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{1,8})*$")


def language_tag(code: str) -> str:
    """The tag of a language as an editor typed it ("ES", "es_es" → "es", "es-es"), or "" if it is not one."""
    tag = (code or "").strip().lower().replace("_", "-")
    return tag if LANGUAGE_TAG.match(tag) else ""


def _primary(tag: str) -> str:
    return tag.split("-")[0]


def language_name(tag: str) -> str:
    """The language's name in the page's language ("Spanish", "español"), or its tag when Django has no name."""
    for code in (tag, _primary(tag)):
        try:
            return get_language_info(code)["name_translated"]
        except KeyError:
            continue
    return tag


def marked(text, code: str, tooltip: str, autoescape=True, element="span"):
    """`text` in an element with `lang` and a marker when its language is not the page's; else as it was. The
    element is a `div` for text in paragraphs (`linebreaks`), else a `span`."""
    tag = language_tag(code)
    if not text or not tag or _primary(tag) == _primary(get_language() or settings.LANGUAGE_CODE):
        return text
    shown = conditional_escape(text) if autoescape else text
    element = "div" if element == "div" else "span"
    return format_html(
        '<{} lang="{}">{}</{}> <abbr class="lang-marker" lang="{}" title="{}">{}</abbr>',
        element,
        tag,
        shown,
        element,
        get_language() or settings.LANGUAGE_CODE,
        tooltip,
        _primary(tag).upper(),
    )


@register.filter(needs_autoescape=True)
def in_language(text, code, autoescape=True):
    """`{{ citation.quote|in_language:source.language }}`: text quoted as written, in the language `code`."""
    tag = language_tag(code)
    return marked(
        text, code, _("Quoted as published. Language: %(language)s") % {"language": language_name(tag)}, autoescape
    )


@register.filter(needs_autoescape=True)
def source_title(source, autoescape=True):
    """A source's name on a page: its title in its language, or "Publisher, date" when it has no title."""
    if not source.title:
        return conditional_escape(source.display_name) if autoescape else source.display_name
    return in_language(source.title, source.language, autoescape)


@register.filter(needs_autoescape=True)
def editorial(text, element="span", autoescape=True):
    """`{{ deal.title|editorial }}`, `{{ deal.summary|linebreaks|editorial:"div" }}`: what editors wrote, marked as
    not translated on a page in another language."""
    tag = settings.EDITORIAL_LANGUAGE
    tooltip = _("Not translated. Language: %(language)s") % {"language": language_name(tag)}
    return marked(text, tag, tooltip, autoescape, element)
