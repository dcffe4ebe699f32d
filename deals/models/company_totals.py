from django.db import models
from django.utils.translation import gettext_lazy as _

from deals.models.indexes import SortIndex

MONEY = {"max_digits": 22, "decimal_places": 2, "null": True, "blank": True}


class MoneyBySide(models.Model):
    """A company's money on each side of its published deals, and how many deals; derived, never edited."""

    invested_usd = models.DecimalField(_("invested (US$)"), **MONEY)
    received_usd = models.DecimalField(_("received (US$)"), **MONEY)
    provided_usd = models.DecimalField(_("sold as provider (US$)"), **MONEY)
    bought_usd = models.DecimalField(_("bought as customer (US$)"), **MONEY)
    # Beyond the committed money above: what is only "up to", conditional or non-binding (deals.figures).
    invested_further_usd = models.DecimalField(_("further invested, up to or conditional (US$)"), **MONEY)
    received_further_usd = models.DecimalField(_("further received, up to or conditional (US$)"), **MONEY)
    provided_further_usd = models.DecimalField(_("further sold, up to or conditional (US$)"), **MONEY)
    bought_further_usd = models.DecimalField(_("further bought, up to or conditional (US$)"), **MONEY)
    deal_count = models.PositiveIntegerField(_("deals"), default=0)

    class Meta:
        abstract = True


class CompanyTotals(MoneyBySide):
    """One company's money over its published deals, kept up to date by `deals.figures.company_totals`.

    Derived, never edited: lists sort companies by these columns instead of summing every deal
    on each request. An empty total (NULL) means no deal credits the company on that side.
    """

    company = models.OneToOneField("deals.Company", on_delete=models.CASCADE, primary_key=True, related_name="totals")

    class Meta:
        verbose_name = _("company totals")
        verbose_name_plural = _("company totals")
        # Lists sort companies by these, largest first, ties by company.
        indexes = [
            SortIndex(fields=["-invested_usd", "company"], name="company_totals_invested"),
            SortIndex(fields=["-received_usd", "company"], name="company_totals_received"),
            SortIndex(fields=["-provided_usd", "company"], name="company_totals_provided"),
            SortIndex(fields=["-bought_usd", "company"], name="company_totals_bought"),
            SortIndex(fields=["-deal_count", "company"], name="company_totals_deal_count"),
        ]

    def __str__(self):
        return f"{self.company_id}: {self.deal_count} deals"


class CompanyYear(MoneyBySide):
    """One company's money in one year of its published deals (year empty: the undated ones), for its chart.

    Derived like CompanyTotals and refreshed with it, so a company page reads a few rows instead of
    summing every deal of a company with thousands.
    """

    company = models.ForeignKey("deals.Company", on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("company year")
        verbose_name_plural = _("company years")
        indexes = [models.Index(fields=["company", "year"], name="company_year")]

    def __str__(self):
        return f"{self.company_id} in {self.year}"
