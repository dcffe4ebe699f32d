"""Atom feeds of newly published deals: all of them, and one company's."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import F
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import linebreaks
from django.utils.translation import gettext as _

from deals.core.languages import marked, untranslated_tooltip
from deals.core.text import clean_text
from deals.rules.public import public_companies, public_deals

FEED_LENGTH = 50


class LatestDealsFeed(Feed):
    feed_type = Atom1Feed

    def title(self, obj=None):
        return _("Dealsite: newly published deals")

    def subtitle(self, obj=None):
        return _("Source-linked deals of the AI industry.")

    def link(self, obj=None):
        return reverse("deals:deal-list")

    def deals(self, obj=None):
        return public_deals()

    def items(self, obj=None):
        # Both NULLS LAST (created_at is never empty), as the index deal_newest_published is built on PostgreSQL.
        newest_first = F("published_at").desc(nulls_last=True), F("created_at").desc(nulls_last=True)
        return self.deals(obj).order_by(*newest_first)[:FEED_LENGTH]

    # Text is cleaned of control characters at input (deals.core.text), but rows older than that may hold some, which
    # XML 1.0 cannot carry: the feed cleans what it shows, so such a row never makes it a 500.

    def item_title(self, deal):
        return clean_text(deal.title)

    def item_description(self, deal):
        # Atom readers take the summary as HTML: escape what the editor typed. A feed in another language than the
        # editors' says the summary is not translated, as the pages do.
        summary = linebreaks(clean_text(deal.summary), autoescape=True)
        return marked(summary, settings.EDITORIAL_LANGUAGE, untranslated_tooltip(), autoescape=False, element="div")

    def item_pubdate(self, deal):
        return deal.published_at or deal.created_at

    def item_updateddate(self, deal):
        return deal.updated_at


class CompanyDealsFeed(LatestDealsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(public_companies(), slug=slug)

    def title(self, company=None):
        return _("Dealsite: newly published deals of %(company)s") % {"company": clean_text(company.name)}

    def link(self, company=None):
        return company.get_absolute_url()

    def deals(self, company=None):
        return public_deals().involving(company)
