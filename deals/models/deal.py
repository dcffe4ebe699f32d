from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models, transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from deals.core.choices import (
    Commitment,
    DatePrecision,
    DealKind,
    DealStatus,
    Exclusivity,
    Publication,
    Qualifier,
    QuantityUnit,
    RelationKind,
    Role,
)
from deals.core.currencies import validate_currency_code
from deals.core.dates import format_partial_date, truncate
from deals.core.links import detail_url
from deals.core.money import USD, usd_equivalent
from deals.models.constraints import non_negative
from deals.models.fields import CleanCharField, CleanTextField
from deals.models.indexes import SortIndex

NON_NEGATIVE = [MinValueValidator(0)]
PARTY_FIELDS = ("deal_id", "company_id", "role", "amount", "amount_qualifier", "commitment", "amount_usd")
PARTY_COMPANY_FIELDS = ("name", "slug", "kind", "parent_id", "updated_at")
# The lists' order of deals: newest first, undated last, ties by title, then id (stable pages).
NEWEST_FIRST = (models.F("announced_on").desc(nulls_last=True), "title", "pk")
CURRENCY_CODE = RegexValidator(r"^[A-Za-z]{3}$", _("Enter a three-letter ISO 4217 currency code, e.g. USD."))
PARTIAL_DATE_HELP = _(
    "Known only to the month or the year? Enter any day of it (for a month, e.g. 2025-10-01; for a year, "
    "e.g. 2025-01-01) and choose the precision: the page shows no more than that."
)


def partial_date(verbose_name, help_text=PARTIAL_DATE_HELP):
    return models.DateField(verbose_name, null=True, blank=True, help_text=help_text)


def date_precision(verbose_name):
    return models.CharField(verbose_name, max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)


# The deal's stake, valuation, capacity, quantity, exclusivity and term columns, in the order every surface lists them
# (the deals CSV, the CSV import and the API).
DEAL_TERM_FIELDS = (
    "stake_qualifier",
    "stake_after_percent",
    "stake_value_usd",
    "valuation_usd",
    "valuation_pre_usd",
    "valuation_post_usd",
    "capacity_gw",
    "capacity_qualifier",
    "quantity",
    "quantity_unit",
    "quantity_qualifier",
    "exclusivity",
    "exclusivity_scope",
    "starts_on",
    "starts_precision",
    "ends_on",
    "ends_precision",
    "duration_months",
    "delivery_on",
    "delivery_precision",
)


class StoredConversion(NamedTuple):
    currency: str
    usd_rate: Decimal | None
    amount_usd: Decimal | None
    was_derived: bool

    def follows_rate(self, amount_usd) -> bool:
        """A derived dollar amount the editor left alone is derived again; one they typed is kept."""
        return self.was_derived and amount_usd == self.amount_usd


class DealQuerySet(models.QuerySet):
    def published(self):
        return self.filter(publication=Publication.PUBLISHED)

    def with_parties(self):
        # Only the company columns a party is shown with: loading whole companies (descriptions, aliases)
        # for every party of a page costs more than the page's own query.
        parties = (
            DealParty.objects.select_related("company")
            .only(*PARTY_FIELDS, *(f"company__{name}" for name in PARTY_COMPANY_FIELDS))
            .order_by("role", "company__name")
        )
        return self.prefetch_related(Prefetch("parties", queryset=parties))

    def with_citation_count(self):
        # A subquery per row rather than a join and GROUP BY: a page then reads only its own rows' citations
        # and stays in index order, and counting the matching deals leaves the citations out.
        citations = self.model.citations.rel.related_model.objects.filter(deal=OuterRef("pk")).order_by()
        counted = citations.values("deal").annotate(n=Count("pk")).values("n")
        return self.annotate(citation_count=Coalesce(Subquery(counted), 0))

    def involving(self, company, role: str | None = None):
        parties = DealParty.objects.filter(company=company)
        if role:
            parties = parties.filter(role=role)
        return self.filter(pk__in=parties.values("deal_id"))


class Deal(models.Model):
    title = CleanCharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=DealKind.choices)
    status = models.CharField(_("status"), max_length=20, choices=DealStatus.choices, default=DealStatus.ANNOUNCED)
    publication = models.CharField(
        _("publication"), max_length=10, choices=Publication.choices, default=Publication.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(_("first published at"), null=True, blank=True, editable=False)

    announced_on = models.DateField(
        _("announced on"), null=True, blank=True, db_index=True, help_text=PARTIAL_DATE_HELP
    )
    announced_precision = models.CharField(
        _("date known to the"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    # The agreement's own dates: "over about five years from 2027" is starts_on 2027 (year) and ends_on 2032.
    starts_on = partial_date(_("starts on"))
    starts_precision = date_precision(_("start known to the"))
    ends_on = partial_date(_("ends on"))
    ends_precision = date_precision(_("end known to the"))
    delivery_on = partial_date(
        _("first delivery on"),
        help_text=_(
            "When the first chips, capacity or service are due, e.g. the first gigawatt in the second half of "
            "2026 (2026-07-01, month). For a month, enter any day of it, e.g. 2025-10-01."
        ),
    )
    delivery_precision = date_precision(_("delivery known to the"))

    amount = models.DecimalField(
        _("amount"), max_digits=20, decimal_places=2, null=True, blank=True, validators=NON_NEGATIVE
    )
    currency = CleanCharField(
        _("currency"),
        max_length=3,
        default=USD,
        validators=[validate_currency_code],
        help_text=_("ISO 4217 code, e.g. USD, EUR. A deal in another currency than USD is published with its rate."),
    )
    amount_qualifier = models.CharField(
        _("amount is"), max_length=10, choices=Qualifier.choices, default=Qualifier.EXACT
    )
    usd_rate = models.DecimalField(
        _("US dollars per unit"),
        max_digits=14,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Exchange rate used to derive the US-dollar equivalent when the currency is not USD."),
    )
    amount_usd = models.DecimalField(
        _("US-dollar equivalent"),
        max_digits=20,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
        db_index=True,
        help_text=_("Leave empty to derive it from the amount and the rate."),
    )
    amount_as_stated = CleanCharField(
        _("amount as stated"),
        max_length=200,
        blank=True,
        help_text=_('Wording of the source, e.g. "up to $4B (about €3.8B)".'),
    )
    amount_reported = models.BooleanField(
        _("amount only reported"),
        default=False,
        help_text=_(
            "The deal was announced but its amount was not: the figure comes from press reports "
            '(e.g. "people familiar with the matter"). Shown as "reported".'
        ),
    )
    amount_in_words = CleanCharField(
        _("amount in words"),
        max_length=200,
        blank=True,
        help_text=_('When the source gives no figure, only words: "tens of billions of dollars". Shown as the amount.'),
    )
    amount_per_unit = models.DecimalField(
        _("amount per unit"),
        max_digits=20,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
        help_text=_("In the deal's currency, e.g. 10000000000 for $10B per GW deployed."),
    )
    per_unit = CleanCharField(
        _("per"), max_length=100, blank=True, help_text=_('What the amount per unit is paid for, e.g. "GW deployed".')
    )
    commitment = models.CharField(
        _("money is"),
        max_length=12,
        choices=Commitment.choices,
        default=Commitment.COMMITTED,
        help_text=_(
            "Committed: signed and unconditional. Conditional: due only if the conditions below are met. "
            "Non-binding: a letter of intent, memorandum of understanding or framework agreement. "
            "Totals count only committed money as committed."
        ),
    )
    others_unnamed = models.BooleanField(
        _("other parties not named"),
        default=False,
        help_text=_(
            'The source names only some parties ("Nvidia, SoftBank and others"): the named ones are then never '
            "credited with the whole amount."
        ),
    )
    conditions = CleanCharField(
        _("conditions"),
        max_length=500,
        blank=True,
        help_text=_("What conditional money depends on, e.g. milestones or regulatory approval."),
    )

    stake_percent = models.DecimalField(
        _("stake acquired (%)"),
        max_digits=6,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    stake_qualifier = models.CharField(_("stake is"), max_length=10, choices=Qualifier.choices, default=Qualifier.EXACT)
    stake_after_percent = models.DecimalField(
        _("stake held after the deal (%)"),
        max_digits=6,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("The buyer's whole holding once the deal closes, e.g. Microsoft's about 27% of OpenAI."),
    )
    stake_value_usd = models.DecimalField(
        _("value of the stake (US$)"),
        max_digits=20,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
        help_text=_("What the stake held is worth, as the source values it."),
    )
    valuation_usd = models.DecimalField(
        _("implied valuation (US$)"),
        max_digits=20,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
        help_text=_(
            'A valuation the source gives without saying pre- or post-money ("valued at $157B"). When it says '
            "which, use the fields below."
        ),
    )
    valuation_pre_usd = models.DecimalField(
        _("pre-money valuation (US$)"), max_digits=20, decimal_places=2, null=True, blank=True, validators=NON_NEGATIVE
    )
    valuation_post_usd = models.DecimalField(
        _("post-money valuation (US$)"),
        max_digits=20,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
    )
    exclusivity = models.CharField(
        _("exclusivity"),
        max_length=10,
        choices=Exclusivity.choices,
        default=Exclusivity.NONE,
        help_text=_("Whether the provider or partner is the only, the primary or a preferred one, within the scope."),
    )
    exclusivity_scope = CleanCharField(
        _("exclusive for"),
        max_length=300,
        blank=True,
        help_text=_('What the exclusivity covers, e.g. "third-party cloud for OpenAI Frontier".'),
    )
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=20,
        decimal_places=3,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
        help_text=_("A count that is not money, e.g. 1000000 TPUs. Capacity in GW can go here or below."),
    )
    quantity_unit = models.CharField(
        _("unit"), max_length=10, choices=QuantityUnit.choices, blank=True, help_text=_("What the quantity counts.")
    )
    quantity_qualifier = models.CharField(
        _("quantity is"), max_length=10, choices=Qualifier.choices, default=Qualifier.EXACT
    )
    capacity_gw = models.DecimalField(
        _("compute capacity (GW)"), max_digits=9, decimal_places=3, null=True, blank=True, validators=NON_NEGATIVE
    )
    capacity_qualifier = models.CharField(
        _("capacity is"), max_length=10, choices=Qualifier.choices, default=Qualifier.EXACT
    )
    duration_months = models.PositiveIntegerField(_("duration (months)"), null=True, blank=True)
    summary = CleanTextField(_("summary"), blank=True)

    related = models.ManyToManyField(
        "self", through="DealRelation", symmetrical=False, related_name="related_from", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)
    version = models.PositiveIntegerField(
        default=1, help_text=_("Goes up on every save, so a stale edit can be refused.")
    )

    history = HistoricalRecords(excluded_fields=["published_at"])
    objects = DealQuerySet.as_manager()

    class Meta:
        verbose_name = _("deal")
        verbose_name_plural = _("deals")
        ordering = [models.F("announced_on").desc(nulls_last=True), "title"]
        permissions = [("publish_deal", _("Can publish and unpublish deals"))]
        constraints = [
            models.CheckConstraint(condition=non_negative("amount"), name="deal_amount_non_negative"),
            models.CheckConstraint(condition=non_negative("amount_usd"), name="deal_amount_usd_non_negative"),
            models.CheckConstraint(condition=non_negative("usd_rate"), name="deal_usd_rate_non_negative"),
            models.CheckConstraint(condition=non_negative("valuation_usd"), name="deal_valuation_non_negative"),
            models.CheckConstraint(condition=non_negative("capacity_gw"), name="deal_capacity_non_negative"),
            models.CheckConstraint(condition=non_negative("quantity"), name="deal_quantity_non_negative"),
            models.CheckConstraint(
                condition=Q(stake_after_percent__isnull=True)
                | Q(stake_after_percent__gte=0, stake_after_percent__lte=100),
                name="deal_stake_after_between_0_and_100",
            ),
            models.CheckConstraint(
                condition=Q(stake_percent__isnull=True) | Q(stake_percent__gte=0, stake_percent__lte=100),
                name="deal_stake_between_0_and_100",
            ),
        ]
        # The lists' sorts, and each filter followed by the default sort (see tests/test_query_plans.py).
        indexes = [
            SortIndex(fields=["publication", "-announced_on", "title", "id"], name="deal_newest_first"),
            SortIndex(fields=["publication", "-amount_usd", "id"], name="deal_largest_first"),
            SortIndex(fields=["publication", "kind", "-announced_on", "title", "id"], name="deal_kind_newest"),
            SortIndex(
                fields=["publication", "kind", "status", "-announced_on", "title", "id"], name="deal_kind_status_newest"
            ),
            SortIndex(fields=["publication", "status", "-announced_on", "title", "id"], name="deal_status_newest"),
            # The feeds: newest published first (deals.web.feeds).
            SortIndex(fields=["publication", "-published_at", "-created_at"], name="deal_newest_published"),
            models.Index(fields=["kind"], name="deal_kind"),
            models.Index(fields=["publication", "stake_percent"], name="deal_stake"),
            models.Index(fields=["publication", "currency"], name="deal_currency"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        from deals.rules import services

        # One transaction from reading the stored row (locked until the end of the caller's transaction, so a
        # concurrent save waits) to writing this one: the rules and the version see the row this save replaces.
        with transaction.atomic(using=kwargs.get("using")):
            stored = self._stored_row()
            services.prepare_save(self, stored)
            self.currency = (self.currency or USD).upper()
            self.announced_on = truncate(self.announced_on, self.announced_precision)
            self.starts_on = truncate(self.starts_on, self.starts_precision)
            self.ends_on = truncate(self.ends_on, self.ends_precision)
            self.delivery_on = truncate(self.delivery_on, self.delivery_precision)
            previous = self._stored_conversion(stored)
            if self.amount_usd is None or self.currency == USD or (previous and previous.follows_rate(self.amount_usd)):
                self.amount_usd = self.derived_amount_usd()
            if stored is not None:
                self.version = stored["version"] + 1  # from the locked row: every save counts, whatever was read
                if (previous.currency, previous.usd_rate) != (self.currency, self.usd_rate):
                    # Before super().save(): its post_save receivers total the parties' dollar shares.
                    self._restate_party_shares()
            super().save(*args, **kwargs)
            if stored is not None:
                self.parties.update(deal_announced_on=self.announced_on, deal_published=self.is_published)

    def get_absolute_url(self):
        return detail_url("deals:deal-detail", slug=self.slug)

    def clean(self):
        from deals.rules import services

        services.validate_deal(self)

    @property
    def is_published(self) -> bool:
        return self.publication == Publication.PUBLISHED

    @property
    def announced_display(self) -> str:
        return format_partial_date(self.announced_on, self.announced_precision)

    @property
    def starts_display(self) -> str:
        return format_partial_date(self.starts_on, self.starts_precision)

    @property
    def ends_display(self) -> str:
        return format_partial_date(self.ends_on, self.ends_precision)

    @property
    def delivery_display(self) -> str:
        return format_partial_date(self.delivery_on, self.delivery_precision)

    def derived_amount_usd(self):
        return usd_equivalent(self.amount, self.currency, self.usd_rate)

    def _stored_row(self) -> dict | None:
        """The saved row's columns this save depends on, read under a row lock; None for a new deal.

        FOR NO KEY UPDATE: it keeps other saves of the deal waiting, not the inserts of rows that refer to the deal
        (a container's money flows, written by the refresh of one of its parts, deals.figures.derived_locks).
        """
        if self.pk is None or self._state.adding:
            return None
        columns = ("amount", "currency", "usd_rate", "amount_usd", "version", "publication", "published_at")
        return Deal.objects.select_for_update(no_key=True).filter(pk=self.pk).values(*columns).first()

    @staticmethod
    def _stored_conversion(row):
        """How the saved row converts to dollars, or None for a new deal."""
        if row is None:
            return None
        derived = usd_equivalent(row["amount"], row["currency"], row["usd_rate"])
        was_derived = row["amount_usd"] == derived
        return StoredConversion(row["currency"], row["usd_rate"], row["amount_usd"], was_derived)

    def _restate_party_shares(self):
        parties = list(self.parties.exclude(amount=None))
        for party in parties:
            party.amount_usd = usd_equivalent(party.amount, self.currency, self.usd_rate)
        DealParty.objects.bulk_update(parties, ["amount_usd"])


class DealPartyQuerySet(models.QuerySet):
    def copy_from_deals(self) -> int:
        """Copy each party's deal date and publication onto it (after writes that bypass save(), like loaddata)."""
        deal = Deal.objects.filter(pk=OuterRef("deal_id"))
        return self.update(
            deal_announced_on=Subquery(deal.values("announced_on")),
            deal_published=Exists(deal.filter(publication=Publication.PUBLISHED)),
        )


class DealParty(models.Model):
    deal = models.ForeignKey(Deal, verbose_name=_("deal"), on_delete=models.CASCADE, related_name="parties")
    # No index of its own: the party indexes below all start with the company. A fourth one let PostgreSQL's
    # planner read a company's parties and filter their dates one by one where party_company_role_date reads the
    # range (the choice depended on the indexes' sizes).
    company = models.ForeignKey(
        "deals.Company",
        verbose_name=_("company"),
        on_delete=models.PROTECT,
        related_name="deal_parties",
        db_index=False,
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    amount = models.DecimalField(
        _("own share of the amount"),
        max_digits=20,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
        help_text=_("In the deal's currency, e.g. Amazon's $50B of a $110B round."),
    )
    amount_qualifier = models.CharField(
        _("share is"), max_length=10, choices=Qualifier.choices, default=Qualifier.EXACT
    )
    commitment = models.CharField(
        _("share committed?"),
        max_length=12,
        choices=Commitment.choices,
        default=Commitment.COMMITTED,
        help_text=_("Whether this party's own share is committed, conditional or non-binding."),
    )
    amount_usd = models.DecimalField(
        _("own share in US dollars"), max_digits=20, decimal_places=2, null=True, blank=True, editable=False
    )
    # Copies of the deal's date and publication, kept by Deal.save() and DealParty.save(), so that one index answers
    # "a company's published deals in a date range" and finds the newest of them without reading each deal.
    deal_announced_on = models.DateField(null=True, editable=False)
    deal_published = models.BooleanField(default=False, editable=False)

    history = HistoricalRecords(excluded_fields=["deal_announced_on", "deal_published"])
    objects = DealPartyQuerySet.as_manager()

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["role", "company__name"]
        constraints = [
            models.UniqueConstraint(fields=["deal", "company", "role"], name="party_once_per_role"),
            models.CheckConstraint(condition=non_negative("amount"), name="party_amount_non_negative"),
        ]
        indexes = [
            # The deals of a company in some roles, in a date range, read from the index alone.
            models.Index(fields=["company", "role", "deal_announced_on", "deal"], name="party_company_role_date"),
            # A company's published deals newest first, in any role (deals.lists.newest_window).
            SortIndex(
                fields=["company", "deal_published", "-deal_announced_on", "role", "deal"], name="party_company_newest"
            ),
            # The companies that ever took a role.
            models.Index(fields=["role", "company"], name="party_role_company"),
        ]

    def __str__(self):
        return f"{self.company} ({self.get_role_display()})"

    def save(self, *args, **kwargs):
        deal = self.deal
        self.amount_usd = usd_equivalent(self.amount, deal.currency, deal.usd_rate)
        self.deal_announced_on = deal.announced_on
        self.deal_published = deal.is_published
        super().save(*args, **kwargs)


class Tranche(models.Model):
    deal = models.ForeignKey(Deal, verbose_name=_("deal"), on_delete=models.CASCADE, related_name="tranches")
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    label = CleanCharField(_("label"), max_length=100, help_text=_('e.g. "initial", "later", "on conditions".'))
    amount = models.DecimalField(_("amount"), max_digits=20, decimal_places=2, validators=NON_NEGATIVE)
    amount_qualifier = models.CharField(
        _("amount is"), max_length=10, choices=Qualifier.choices, default=Qualifier.EXACT
    )
    company = models.ForeignKey(
        "deals.Company",
        verbose_name=_("paid by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("When the tranche is one party's, e.g. Amazon's part of a round."),
    )
    commitment = models.CharField(
        _("money is"), max_length=12, choices=Commitment.choices, default=Commitment.COMMITTED
    )
    condition = CleanCharField(
        _("condition"), max_length=300, blank=True, help_text=_("What conditional money depends on.")
    )
    expected_on = models.DateField(_("expected on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        ordering = ["position", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="tranche_amount_non_negative")]

    def __str__(self):
        return f"{self.label}: {self.amount} {self.deal.currency}"


class DealRelation(models.Model):
    from_deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="relations_out")
    to_deal = models.ForeignKey(
        Deal, verbose_name=_("related deal"), on_delete=models.CASCADE, related_name="relations_in"
    )
    kind = models.CharField(_("relation"), max_length=20, choices=RelationKind.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("related deal")
        verbose_name_plural = _("related deals")
        constraints = [
            models.UniqueConstraint(fields=["from_deal", "to_deal", "kind"], name="relation_unique"),
            models.CheckConstraint(condition=~Q(from_deal=models.F("to_deal")), name="relation_not_to_itself"),
        ]

    def __str__(self):
        return f"{self.from_deal} {self.get_kind_display()} {self.to_deal}"

    def clean(self):
        if self.from_deal_id is not None and self.from_deal_id == self.to_deal_id:
            raise ValidationError({"to_deal": _("A deal cannot be related to itself: choose another deal.")})
