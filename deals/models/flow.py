from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from deals.core.choices import FlowPurpose

MONEY = {"max_digits": 22, "decimal_places": 2, "null": True, "blank": True}


class MoneyFlow(models.Model):
    """Who pays whom in one published deal, for what, and how sure the money is. Derived, never edited.

    Rows are rebuilt from the deal, its parties, tranches and relations by `deals.figures.flows`; every total
    of the site (alliances, company totals and years, charts, circular deals, proxy war, home) is a sum of
    them. `committed_usd` is money promised without conditions; `further_usd` is money beyond it that is only
    "up to", conditional or non-binding. Both empty: the amount is undisclosed (or in another currency without
    a rate: `unconverted`). An empty payer (or payee) is the parties of the round together, when the source
    gives the whole but not each one's share.
    """

    deal = models.ForeignKey("deals.Deal", on_delete=models.CASCADE, related_name="flows")
    payer = models.ForeignKey("deals.Company", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    payee = models.ForeignKey("deals.Company", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    # The top parents of payer and payee (AWS's flows are Amazon's): alliances and group totals read these.
    payer_group = models.ForeignKey("deals.Company", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    payee_group = models.ForeignKey("deals.Company", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    payee_role = models.CharField(_("paid as"), max_length=20)
    purpose = models.CharField(_("for"), max_length=12, choices=FlowPurpose.choices)
    committed_usd = models.DecimalField(_("committed (US$)"), **MONEY)
    further_usd = models.DecimalField(_("further, up to or conditional (US$)"), **MONEY)
    unconverted = models.BooleanField(_("in another currency, without a rate"), default=False)
    # Not added to totals: a deal in talks, cancelled or superseded. Its row stays, so pages can say so.
    counted = models.BooleanField(default=True)
    # What of the stated amount the deal's parts carry themselves (counted there, not here).
    in_parts_usd = models.DecimalField(_("carried by its parts (US$)"), **MONEY)
    announced_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("money flow")
        verbose_name_plural = _("money flows")
        indexes = [
            models.Index(fields=["deal"], name="flow_deal"),
            models.Index(fields=["payer_group", "payee_group"], name="flow_groups"),
            models.Index(fields=["payee_group", "payer_group"], name="flow_groups_reverse"),
            models.Index(fields=["payer"], name="flow_payer"),
            models.Index(fields=["payee"], name="flow_payee"),
            # The charts' months are recomputed a month at a time (deals.figures.periods).
            models.Index(fields=["announced_on"], name="flow_announced"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(payer__isnull=False) | Q(payee__isnull=False), name="flow_has_payer_or_payee"
            ),
        ]

    def __str__(self):
        return f"{self.payer_id or '…'} → {self.payee_id or '…'} ({self.deal_id})"
