from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from deals.core.choices import CompanyKind
from deals.core.links import detail_url
from deals.core.validators import validate_founded_year
from deals.models.constraints import http_url_or_blank
from deals.models.fields import CleanCharField, CleanTextField, WebURLField


class CompanyQuerySet(models.QuerySet):
    def search(self, text: str):
        return self.filter(models.Q(name__icontains=text) | models.Q(aliases__icontains=text))


class Company(models.Model):
    name = CleanCharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=CompanyKind.choices, default=CompanyKind.OTHER)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent company"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subsidiaries",
    )
    country = CleanCharField(_("country"), max_length=2, blank=True, help_text=_("ISO 3166 two-letter code, e.g. US."))
    founded_year = models.PositiveSmallIntegerField(
        _("founded in"), null=True, blank=True, validators=[validate_founded_year], help_text=_("e.g. 2015.")
    )
    website = WebURLField(_("website"), blank=True)
    description = CleanTextField(_("short description"), blank=True)
    legal_form = CleanCharField(
        _("legal form"), max_length=100, blank=True, help_text=_("Where notable, e.g. public benefit corporation.")
    )
    aliases = CleanTextField(
        _("aliases"), blank=True, help_text=_("Other names the company is known by, one per line.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Derived (deals.rules.public.refresh_public_companies keeps it): whether the company has a public page, so a
    # lookup reads one column instead of asking four questions of the deals and alliances.
    has_page = models.BooleanField(_("has a public page"), default=False, editable=False)

    history = HistoricalRecords(excluded_fields=["has_page"])
    objects = CompanyQuerySet.as_manager()

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=http_url_or_blank("website"), name="company_website_http"),
            models.CheckConstraint(condition=~models.Q(parent=models.F("pk")), name="company_not_own_parent"),
        ]
        indexes = [
            models.Index(fields=["name", "id"], condition=models.Q(has_page=True), name="company_with_page_by_name"),
            models.Index(fields=["kind", "name"], name="company_kind_name"),
            models.Index(fields=["country", "name"], name="company_country_name"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return detail_url("deals:company-detail", slug=self.slug)

    @property
    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    @property
    def group(self) -> "Company":
        """The top of the company's corporate family (AWS → Amazon)."""
        company, seen = self, {self.pk}
        while company.parent_id and company.parent_id not in seen:
            seen.add(company.parent_id)
            company = company.parent
        return company

    def clean(self):
        if self.pk and self.parent_id:
            ancestor, seen = self.parent, set()
            while ancestor is not None and ancestor.pk not in seen:
                if ancestor.pk == self.pk:
                    raise ValidationError({"parent": _("A company cannot be its own parent or ancestor.")})
                seen.add(ancestor.pk)
                ancestor = ancestor.parent
