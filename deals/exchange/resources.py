"""CSV import and export of companies, sources and deals (django-import-export).

A file with any bad row imports nothing: every row is validated with the models'
own rules and the errors are reported with their line numbers.
"""

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from deals.exchange.csv_export import option_text
from deals.models import DEAL_TERM_FIELDS, Company, Deal, DealOption, Publication, Source
from deals.rules import services


def _party_text(party) -> str:
    text = f"{party.company.slug}:{party.role}"
    if party.amount is not None:
        qualifier = f"{party.amount_qualifier} " if party.amount_qualifier != "exact" else ""
        text += f":{qualifier}{party.amount.normalize():f}"
    if party.commitment != "committed":
        text += f" ({party.commitment})"
    return text


class CompanyResource(resources.ModelResource):
    parent = fields.Field(attribute="parent", column_name="parent", widget=ForeignKeyWidget(Company, field="slug"))

    class Meta:
        model = Company
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "name",
            "kind",
            "parent",
            "country",
            "founded_year",
            "website",
            "legal_form",
            "aliases",
            "description",
        ]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True


class SourceResource(resources.ModelResource):
    class Meta:
        model = Source
        fields = ["id", "url", "title", "publisher", "published_on", "published_precision", "language"]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True


class DealResource(resources.ModelResource):
    """Deals' own figures. Parties are exported for reading; imported deals arrive as drafts."""

    parties = fields.Field(column_name="parties", readonly=True)
    options = fields.Field(column_name="options", readonly=True)

    class Meta:
        model = Deal
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "title",
            "kind",
            "status",
            "publication",
            "announced_on",
            "announced_precision",
            "amount",
            "currency",
            "amount_qualifier",
            "usd_rate",
            "amount_usd",
            "amount_as_stated",
            "commitment",
            "conditions",
            "amount_reported",
            "amount_in_words",
            "amount_per_unit",
            "per_unit",
            "others_unnamed",
            "stake_percent",
            *DEAL_TERM_FIELDS,
            "summary",
            "parties",
            "options",
        ]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True

    def get_queryset(self):
        options = DealOption.objects.select_related("holder", "issuer")
        return super().get_queryset().with_parties().prefetch_related(Prefetch("options", queryset=options))

    def dehydrate_parties(self, deal):
        """company:role, then the share with its qualifier and commitment when stated: "amazon:investor:50000000000"."""
        return "; ".join(_party_text(party) for party in deal.parties.all())

    def dehydrate_options(self, deal):
        return "; ".join(option_text(option) for option in deal.options.all())

    def before_save_instance(self, instance, row, **kwargs):
        # Publishing needs citations, which a CSV row cannot carry: imports stay drafts.
        if instance.pk is None or not Deal.objects.filter(pk=instance.pk, publication=Publication.PUBLISHED).exists():
            instance.publication = Publication.DRAFT

    def do_instance_save(self, instance, is_create):
        # Deal.save() applies the rules on publishing (deals.rules.services.check_publication) to the importing user:
        # a row they refuse is a bad row, listed with its number, and the file imports nothing.
        try:
            super().do_instance_save(instance, is_create)
        except services.PublishPermissionDenied as refused:
            raise ValidationError({"publication": [str(refused)]}) from refused
