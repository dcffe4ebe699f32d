from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from deals.core.choices import CitedField, DatePrecision
from deals.core.dates import format_partial_date
from deals.core.validators import normalize_source_url
from deals.models.constraints import http_url_or_blank
from deals.models.fields import CleanCharField, CleanTextField, WebURLField
from deals.models.indexes import SortIndex


class Source(models.Model):
    """A news article or filing. Without a URL it is identified by title, publisher and date."""

    url = WebURLField(_("URL"), max_length=1000, blank=True)
    title = CleanCharField(
        _("title"),
        max_length=500,
        blank=True,
        help_text=_(
            'The headline. Without one, the source is shown as "Publisher, date", e.g. "El País, 25 Sept 2023".'
        ),
    )
    publisher = CleanCharField(_("publisher"), max_length=200, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    published_precision = models.CharField(
        _("date known to the"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    language = CleanCharField(_("language"), max_length=8, blank=True, help_text=_("e.g. en, es."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Derived (deals.public_sources keeps it): whether a published deal cites the source, so the public list
    # reads an index instead of looking for a published citation of every source.
    cited_publicly = models.BooleanField(_("cited by a published deal"), default=False, editable=False)

    history = HistoricalRecords(excluded_fields=["cited_publicly"])

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = [models.F("published_on").desc(nulls_last=True), "title"]
        # The API lists public sources newest first: read in this order, a page stops after its rows.
        indexes = [
            SortIndex(
                fields=["-published_on", "title", "id"],
                condition=models.Q(cited_publicly=True),
                name="public_source_newest_first",
            )
        ]
        constraints = [
            models.UniqueConstraint(fields=["url"], condition=~models.Q(url=""), name="source_url_unique"),
            models.CheckConstraint(condition=http_url_or_blank("url"), name="source_url_http"),
        ]

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        self.url = normalize_source_url(self.url)
        super().save(*args, **kwargs)

    def clean(self):
        from deals.rules import services

        self.url = normalize_source_url(self.url)
        services.validate_source(self)

    @property
    def display_name(self) -> str:
        """What the source is called on every page, in the API and in the CSV: its title, else "Publisher, date"."""
        if self.title:
            return self.title
        named = ", ".join(part for part in (self.publisher, self.published_display) if part)
        return named or self.url or _("Source #%(id)s") % {"id": self.pk}

    @property
    def has_link(self) -> bool:
        return bool(self.url)

    @property
    def published_display(self) -> str:
        return format_partial_date(self.published_on, self.published_precision)


class Citation(models.Model):
    deal = models.ForeignKey("deals.Deal", verbose_name=_("deal"), on_delete=models.CASCADE, related_name="citations")
    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="citations")
    supports = models.CharField(_("supports"), max_length=20, choices=CitedField.choices, default=CitedField.GENERAL)
    quote = CleanTextField(_("quote"), blank=True, max_length=2000)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        ordering = ["supports", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["deal", "source", "supports"], name="citation_once_per_figure"),
        ]

    def __str__(self):
        return f"{self.source} → {self.get_supports_display()}"
