from django.db import models
from django.utils.translation import gettext_lazy as _

from deals.core.choices import DealKind
from deals.models.indexes import SortIndex

MONEY = {"max_digits": 22, "decimal_places": 2}


class MonthFigures(models.Model):
    """The counted money of the published deals of one kind announced in one month: what the charts add up.

    Derived, never edited: rebuilt from the money flows by `deals.figures.periods`, a month at a time. Committed
    money apart from the further money that is only "up to", conditional or non-binding; a deal counts once in
    the month and kind it belongs to, whatever its number of flows.
    """

    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    kind = models.CharField(_("kind"), max_length=30, choices=DealKind.choices)
    committed_usd = models.DecimalField(_("committed (US$)"), **MONEY, default=0)
    further_usd = models.DecimalField(_("further, up to or conditional (US$)"), **MONEY, default=0)
    deal_count = models.PositiveIntegerField(_("deals"), default=0)

    class Meta:
        verbose_name = _("month's figures")
        verbose_name_plural = _("months' figures")
        constraints = [models.UniqueConstraint(fields=["year", "month", "kind"], name="month_figures_unique")]

    def __str__(self):
        return f"{self.year}-{self.month:02} {self.kind}"


class ProxyWarLab(models.Model):
    """An AI lab (a corporate group) backed by big-tech, cloud or chip groups, with what they put in together.

    Derived, never edited: rebuilt from the money flows by `deals.figures.proxy_war`, a lab at a time.
    `joint_usd` is what rounds that name their investors without each one's share put in.
    """

    lab = models.OneToOneField("deals.Company", on_delete=models.CASCADE, primary_key=True, related_name="+")
    total_usd = models.DecimalField(_("committed (US$)"), **MONEY, default=0)
    further_usd = models.DecimalField(_("further, up to or conditional (US$)"), **MONEY, default=0)
    joint_usd = models.DecimalField(_("committed jointly (US$)"), **MONEY, default=0)
    joint_further_usd = models.DecimalField(_("further jointly, up to or conditional (US$)"), **MONEY, default=0)
    backer_count = models.PositiveIntegerField(_("backers"), default=0)

    class Meta:
        verbose_name = _("backed AI lab")
        verbose_name_plural = _("backed AI labs")
        indexes = [SortIndex(fields=["-total_usd", "-backer_count"], name="proxy_war_lab_order")]

    def __str__(self):
        return f"{self.lab_id}: {self.backer_count} backers"


class ProxyWarBacker(models.Model):
    """What one big-tech, cloud or chip group put into one AI lab (groups both), over their investment flows.

    `total_usd` and `further_usd` are empty when no counted flow states an amount; `complete` is false when
    a flow has no counted committed amount (undisclosed, or in a deal in talks).
    """

    lab = models.ForeignKey("deals.Company", on_delete=models.CASCADE, related_name="+")
    backer = models.ForeignKey("deals.Company", on_delete=models.CASCADE, related_name="+")
    total_usd = models.DecimalField(_("committed (US$)"), **MONEY, null=True, blank=True)
    further_usd = models.DecimalField(_("further, up to or conditional (US$)"), **MONEY, null=True, blank=True)
    complete = models.BooleanField(default=True)
    deal_count = models.PositiveIntegerField(_("deals"), default=0)

    class Meta:
        verbose_name = _("backer of an AI lab")
        verbose_name_plural = _("backers of AI labs")
        constraints = [models.UniqueConstraint(fields=["lab", "backer"], name="proxy_war_backer_unique")]

    def __str__(self):
        return f"{self.backer_id} → {self.lab_id}"
