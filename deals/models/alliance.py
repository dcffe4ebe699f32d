from django.db import models
from django.utils.translation import gettext_lazy as _

from deals.core.choices import DealKind
from deals.core.links import detail_url
from deals.models.indexes import SortIndex


class Alliance(models.Model):
    """Two corporate groups and every published deal between them, with totals kept up to date.

    Subsidiaries count as their top parent (AWS as Amazon), and `company_a` is the one whose
    slug sorts first, so each pair is stored once. Rows are rebuilt by `deals.figures.alliances`.
    """

    company_a = models.ForeignKey("deals.Company", on_delete=models.CASCADE, related_name="+")
    company_b = models.ForeignKey("deals.Company", on_delete=models.CASCADE, related_name="+")
    slug = models.SlugField(max_length=410, unique=True)
    deals = models.ManyToManyField("deals.Deal", related_name="alliances")
    deal_count = models.PositiveIntegerField(_("deals"), default=0, db_index=True)
    # Committed money both ways (deals.figures): "up to", conditional and non-binding money is in further_usd.
    total_usd = models.DecimalField(_("committed (US$)"), max_digits=22, decimal_places=2, default=0, db_index=True)
    further_usd = models.DecimalField(
        _("further, up to or conditional (US$)"), max_digits=22, decimal_places=2, default=0
    )
    undisclosed_count = models.PositiveIntegerField(_("flows of undisclosed amount"), default=0)
    first_announced = models.DateField(_("first deal"), null=True, blank=True)
    latest_announced = models.DateField(_("latest deal"), null=True, blank=True, db_index=True)
    dominant_kind = models.CharField(_("main kind of deal"), max_length=30, choices=DealKind.choices, blank=True)

    class Meta:
        verbose_name = _("alliance")
        verbose_name_plural = _("alliances")
        ordering = ["-total_usd", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["company_a", "company_b"], name="alliance_pair_unique"),
            models.CheckConstraint(condition=~models.Q(company_a=models.F("company_b")), name="alliance_two_companies"),
        ]
        indexes = [
            SortIndex(fields=["-total_usd", "slug"], name="alliance_largest_first"),
            SortIndex(fields=["-deal_count", "slug"], name="alliance_most_deals_first"),
            SortIndex(fields=["-latest_announced", "slug"], name="alliance_latest_first"),
            models.Index(fields=["first_announced"], name="alliance_first_announced"),
            # A company page's largest partners, one side of the pair at a time (deals.rules.public.largest_alliances).
            # Plain DESC, as the query sorts: total_usd is never empty.
            models.Index(fields=["company_a", "-total_usd", "slug"], name="alliance_a_largest_first"),
            models.Index(fields=["company_b", "-total_usd", "slug"], name="alliance_b_largest_first"),
        ]

    def __str__(self):
        return f"{self.company_a} ↔ {self.company_b}"

    def get_absolute_url(self):
        return detail_url("deals:alliance-detail", slug_a=self.company_a.slug, slug_b=self.company_b.slug)
