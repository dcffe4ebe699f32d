"""Warrants and options a deal grants: who may buy whose shares, how many, at what price, once what is done."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from deals.core.choices import OptionKind, Qualifier
from deals.core.currencies import validate_currency_code
from deals.core.money import USD
from deals.models.constraints import non_negative
from deals.models.fields import CleanTextField


class DealOption(models.Model):
    """E.g. AMD's warrant for OpenAI to buy up to 160 million AMD shares at $0.01, vesting as 1 GW … 6 GW deploy."""

    deal = models.ForeignKey("deals.Deal", verbose_name=_("deal"), on_delete=models.CASCADE, related_name="options")
    kind = models.CharField(_("kind"), max_length=10, choices=OptionKind.choices, default=OptionKind.WARRANT)
    holder = models.ForeignKey(
        "deals.Company",
        verbose_name=_("holder"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The company that may buy the shares."),
    )
    issuer = models.ForeignKey(
        "deals.Company",
        verbose_name=_("issuer"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The company whose shares they are."),
    )
    shares = models.PositiveBigIntegerField(_("number of shares"), null=True, blank=True)
    shares_qualifier = models.CharField(
        _("number is"), max_length=10, choices=Qualifier.choices, default=Qualifier.EXACT
    )
    exercise_price = models.DecimalField(
        _("exercise price per share"),
        max_digits=20,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    exercise_currency = models.CharField(
        _("currency of the price"),
        max_length=3,
        default=USD,
        validators=[validate_currency_code],
        help_text=_("ISO 4217 code, e.g. USD."),
    )
    stake_percent = models.DecimalField(
        _("stake it may acquire (%)"),
        max_digits=6,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    vesting = CleanTextField(
        _("vesting"),
        blank=True,
        max_length=1000,
        help_text=_('What makes it vest, e.g. "tranches vest as 1 GW … 6 GW are deployed, and on AMD share prices".'),
    )
    expires_on = models.DateField(_("expires on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("warrant or option")
        verbose_name_plural = _("warrants and options")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=non_negative("exercise_price"), name="option_price_non_negative"),
            models.CheckConstraint(
                condition=Q(stake_percent__isnull=True) | Q(stake_percent__gte=0, stake_percent__lte=100),
                name="option_stake_between_0_and_100",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.holder} → {self.issuer}"

    def save(self, *args, **kwargs):
        self.exercise_currency = (self.exercise_currency or USD).upper()
        super().save(*args, **kwargs)
