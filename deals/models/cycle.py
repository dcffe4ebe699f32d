from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from deals.models.indexes import SortIndex

# The page's sort (Meta.ordering), one index per view: a page reads its twenty rows in order instead of sorting
# ten thousand. Partial, because SQLite cannot use a (folded, ...) index for the bare `WHERE folded` Django writes.
PAGE_ORDER = ["-smaller_flow_usd", "length", "signature"]


class Cycle(models.Model):
    """A loop of money between companies (Amazon → OpenAI → Amazon), found in the published deals.

    Rows are rebuilt by `deals.figures.cycles` whenever published deals change, once with subsidiaries folded
    into their top parent and once with them kept apart. The loop's legs are CycleLeg rows, which
    many loops share.
    """

    folded = models.BooleanField(_("subsidiaries counted as their parent"), default=True)
    signature = models.CharField(max_length=400)
    # ",12,5,33,": the companies in the order the money goes round, from the leg with the earliest deal;
    # the commas let a filter find one company with a plain `contains` (a rebuild writes no join rows).
    members = models.CharField(max_length=400)
    length = models.PositiveSmallIntegerField(_("companies"))
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
        indexes = [
            models.Index(fields=["folded", "smaller_flow_usd"], name="cycle_by_smaller_flow"),
            SortIndex(fields=PAGE_ORDER, condition=Q(folded=True), name="cycle_page_folded"),
            SortIndex(fields=PAGE_ORDER, condition=Q(folded=False), name="cycle_page_separate"),
        ]

    def __str__(self):
        return self.signature

    @staticmethod
    def member_key(company_id: int) -> str:
        return f",{company_id},"

    @property
    def company_ids(self) -> list[int]:
        return [int(part) for part in self.members.strip(",").split(",")]

    @property
    def legs(self) -> list[tuple[int, int]]:
        """(payer, payee) of each leg, in order round the loop."""
        ids = self.company_ids
        return list(zip(ids, ids[1:] + ids[:1], strict=True))


class CycleLeg(models.Model):
    """Every flow from one company to another that is part of a loop, with what is known of its money.

    `deals` lists the leg's largest deals (all of them when few) as [{"id", "usd", "committed"}],
    `usd` being the payer's part of the deal and `committed` false for deals in talks.
    """

    folded = models.BooleanField(default=True)
    payer = models.ForeignKey("deals.Company", on_delete=models.CASCADE, related_name="+")
    payee = models.ForeignKey("deals.Company", on_delete=models.CASCADE, related_name="+")
    total_usd = models.DecimalField(_("committed (US$)"), max_digits=22, decimal_places=2, null=True, blank=True)
    further_usd = models.DecimalField(
        _("further, up to or conditional (US$)"), max_digits=22, decimal_places=2, null=True, blank=True
    )
    complete = models.BooleanField(_("every amount known"), default=False)
    deal_count = models.PositiveIntegerField(_("deals"), default=0)
    deals = models.JSONField(default=list)

    class Meta:
        verbose_name = _("leg of a circular deal")
        verbose_name_plural = _("legs of circular deals")
        constraints = [models.UniqueConstraint(fields=["folded", "payer", "payee"], name="cycle_leg_once_per_view")]

    def __str__(self):
        return f"{self.payer_id} → {self.payee_id}"
