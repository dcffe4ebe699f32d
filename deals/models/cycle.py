from django.db import models
from django.utils.translation import gettext_lazy as _


class Cycle(models.Model):
    """A loop of money between companies (Amazon → OpenAI → Amazon), found in the published deals.

    Rows are rebuilt by `deals.cycles` whenever published deals change, once with subsidiaries folded
    into their top parent and once with them kept apart. `steps` holds the loop in order:
    [{"payer": id, "payee": id, "total_usd": "…" or null, "complete": bool, "deals": [{"id", "usd", "committed"}]}].
    """

    folded = models.BooleanField(_("subsidiaries counted as their parent"), default=True)
    signature = models.CharField(max_length=400)
    length = models.PositiveSmallIntegerField(_("companies"))
    companies = models.ManyToManyField("deals.Company", related_name="cycles")
    steps = models.JSONField(default=list)
    smaller_flow_usd = models.DecimalField(
        _("smaller of the flows (US$)"), max_digits=22, decimal_places=2, null=True, blank=True
    )
    deal_count = models.PositiveIntegerField(_("deals"), default=0)
    first_year = models.PositiveSmallIntegerField(_("first year"), null=True, blank=True)
    last_year = models.PositiveSmallIntegerField(_("last year"), null=True, blank=True)

    class Meta:
        verbose_name = _("circular deal")
        verbose_name_plural = _("circular deals")
        ordering = [models.F("smaller_flow_usd").desc(nulls_last=True), "length", "signature"]
        constraints = [models.UniqueConstraint(fields=["folded", "signature"], name="cycle_once_per_view")]
        indexes = [models.Index(fields=["folded", "smaller_flow_usd"], name="cycle_by_smaller_flow")]

    def __str__(self):
        return self.signature
