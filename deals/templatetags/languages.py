"""The filters that mark text in another language than the page's (the rule: deals.core.languages)."""

from django import template
from django.conf import settings
from django.utils.html import conditional_escape, format_html
from django.utils.translation import gettext as _

from deals.core.languages import differs_from_page, marked, quoted_tooltip, untranslated_tooltip

register = template.Library()


@register.filter(needs_autoescape=True)
def in_language(text, code, autoescape=True):
    """`{{ citation.quote|in_language:source.language }}`: text quoted as written, in the language `code`."""
    return marked(text, code, quoted_tooltip(code), autoescape)


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
    return marked(text, settings.EDITORIAL_LANGUAGE, untranslated_tooltip(), autoescape, element)


@register.simple_tag
def untranslated_notice():
    """On a list in another language than the editors': one line saying its titles are not translated (each row
    would be too many markers)."""
    if not differs_from_page(settings.EDITORIAL_LANGUAGE):
        return ""
    return format_html(
        '<p class="small muted untranslated-notice"><abbr class="lang-marker" title="{}">{}</abbr> {}</p>',
        untranslated_tooltip(),
        settings.EDITORIAL_LANGUAGE.upper(),
        _("Titles, summaries and descriptions are the editors' own, not translated."),
    )
