"""JSON shapes of companies, sources, deals and alliances, read and written through the API.

Deals are written with their parties, tranches and citations in one request; the rules
(parties that make sense, publishing only with a citation and the permission to) are the
ones in `deals.rules.services`, which the admin calls too.
"""

from contextlib import contextmanager

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from deals.api.fields import (
    AbsoluteURLField,
    ApiURLField,
    CompanySlugField,
    LabelField,
    LinesField,
    StrictModelSerializer,
    WebURLField,
)
from deals.core.choices import CompanyKind, DealKind, DealStatus, RelationKind
from deals.core.money import CENT, format_money, format_range
from deals.core.validators import normalize_source_url
from deals.models import (
    DEAL_TERM_FIELDS,
    Alliance,
    Citation,
    Company,
    Deal,
    DealOption,
    DealParty,
    DealRelation,
    Publication,
    Role,
    Source,
    Tranche,
)
from deals.rules import services


@contextmanager
def rule_errors(field: str):
    """Report a domain rule's ValidationError as a 400 on `field`."""
    try:
        yield
    except DjangoValidationError as error:
        raise serializers.ValidationError({field: error.messages}) from error


# Companies


class CompanySerializer(StrictModelSerializer):
    api_url = ApiURLField("api:company-detail", help_text=_("This company in the API."))
    html_url = AbsoluteURLField(help_text=_("The company's public page."))
    kind_display = LabelField(CompanyKind, source="kind", help_text=_("The kind, in the language of the request."))
    parent = CompanySlugField(
        allow_null=True,
        required=False,
        help_text=_("Slug of the parent company (AWS → amazon), or null."),
    )
    parent_name = serializers.CharField(
        source="parent.name", read_only=True, allow_null=True, help_text=_("Name of the parent company, or null.")
    )
    website = WebURLField(
        max_length=200,
        help_text=_("The company's website (http or https), or an empty string."),
    )
    aliases = LinesField(required=False, help_text=_("Other names the company is known by."))

    class Meta:
        model = Company
        fields = [
            "slug",
            "name",
            "kind",
            "kind_display",
            "parent",
            "parent_name",
            "country",
            "founded_year",
            "website",
            "legal_form",
            "aliases",
            "description",
            "updated_at",
            "api_url",
            "html_url",
        ]
        extra_kwargs = {
            "slug": {"help_text": _("Unique identifier used in URLs, e.g. anthropic.")},
            "name": {"help_text": _("The company's name.")},
            "kind": {"help_text": _("What the company is.")},
            "founded_year": {"help_text": _("Year the company was founded, or null.")},
            "description": {"help_text": _("A short description.")},
            "updated_at": {"help_text": _("When the record last changed.")},
        }

    def validate(self, attrs):
        company = Company(**{**self._current_values(), **attrs})
        with rule_errors("parent"):
            company.clean()
        return attrs

    def _current_values(self):
        if self.instance is None:
            return {}
        return {"pk": self.instance.pk, "parent": self.instance.parent}


class CompanyRefSerializer(StrictModelSerializer):
    class Meta:
        model = Company
        fields = ["slug", "name"]
        extra_kwargs = {
            "slug": {"help_text": _("The company's slug.")},
            "name": {"help_text": _("The company's name.")},
        }


# Sources


class SourceSerializer(StrictModelSerializer):
    api_url = ApiURLField("api:source-detail", lookup_field="pk", help_text=_("This source in the API."))
    url = WebURLField(
        max_length=1000,
        help_text=_("Address of the article or filing (http or https), or an empty string when it has none."),
    )
    archived_url = WebURLField(
        max_length=1000,
        help_text=_("Address of an archived copy (http or https), or an empty string when there is none."),
    )
    published_display = serializers.CharField(
        read_only=True, help_text=_("The publication date, no more precise than it is known.")
    )
    display_name = serializers.CharField(
        read_only=True,
        help_text=_('What the source is called: its title, or "Publisher, date" when it has none.'),
    )

    class Meta:
        model = Source
        fields = [
            "id",
            "url",
            "archived_url",
            "title",
            "display_name",
            "publisher",
            "published_on",
            "published_precision",
            "published_display",
            "language",
            "updated_at",
            "api_url",
        ]
        extra_kwargs = {
            "id": {"help_text": _("Identifier of the source.")},
            "title": {"help_text": _("Title of the article or filing; may be empty (see display_name).")},
            "publisher": {"help_text": _("Who published it.")},
            "published_on": {"help_text": _("Date of publication, or null.")},
            "published_precision": {"help_text": _("Whether the date is known to the day, the month or the year.")},
            "updated_at": {"help_text": _("When the record last changed.")},
        }

    def validate_url(self, url):
        """Stored normalised (no trailing slash, no utm_*, fbclid or gclid); the same article twice is refused,
        naming the source it already is. Sources without a URL may be many."""
        url = normalize_source_url(url)
        try:
            services.validate_source(Source(pk=getattr(self.instance, "pk", None), url=url))
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error
        return url


# Deals: nested parts


class WholeRowsListSerializer(serializers.ListSerializer):
    """Rows sent for a nested list replace the stored ones, so each must be whole, even in a PATCH."""

    def to_internal_value(self, data):
        # A list serializer of its own is a root, not partial: every required field of a row is required.
        rows = serializers.ListSerializer(child=type(self.child)(context=self.context), data=data, context=self.context)
        if not rows.is_valid():
            raise serializers.ValidationError(rows.errors)
        return rows.validated_data


class PartySerializer(StrictModelSerializer):
    company = CompanySlugField(help_text=_("Slug of the company."))
    company_name = serializers.CharField(source="company.name", read_only=True, help_text=_("Name of the company."))
    role_display = LabelField(Role, source="role", help_text=_("The role, in the language of the request."))

    class Meta:
        model = DealParty
        list_serializer_class = WholeRowsListSerializer
        fields = [
            "company",
            "company_name",
            "role",
            "role_display",
            "amount",
            "amount_qualifier",
            "commitment",
            "amount_usd",
        ]
        extra_kwargs = {
            "amount": {"help_text": _("The company's own share of the amount, in the deal's currency, or null.")},
            "amount_qualifier": {"help_text": _("How exactly the share was stated: exact, up_to, about, at_least.")},
            "commitment": {
                "help_text": _("Whether the share is committed, conditional or non_binding (e.g. a letter of intent).")
            },
            "role": {
                "help_text": _(
                    "What the company does in the deal; money flows from investor to investee, "
                    "customer to provider, acquirer to target."
                )
            },
            "amount_usd": {"help_text": _("The company's own share in US dollars, or null.")},
        }


class PartyRowSerializer(StrictModelSerializer):
    """A row of the deals' parties table: one company in one role of one deal."""

    deal = serializers.SlugRelatedField(slug_field="slug", read_only=True, help_text=_("Slug of the deal."))
    deal_title = serializers.CharField(source="deal.title", read_only=True, help_text=_("Title of the deal."))
    company = serializers.SlugRelatedField(slug_field="slug", read_only=True, help_text=_("Slug of the company."))
    company_name = serializers.CharField(source="company.name", read_only=True, help_text=_("Name of the company."))
    role_display = LabelField(Role, source="role", help_text=_("The role, in the language of the request."))
    currency = serializers.CharField(
        source="deal.currency", read_only=True, help_text=_("The deal's currency, in which the share is stated.")
    )
    others_unnamed = serializers.BooleanField(
        source="deal.others_unnamed",
        read_only=True,
        help_text=_("true when the source names only some of the deal's parties."),
    )

    class Meta:
        model = DealParty
        fields = [
            "deal",
            "deal_title",
            "company",
            "company_name",
            "role",
            "role_display",
            "amount",
            "currency",
            "amount_qualifier",
            "commitment",
            "amount_usd",
            "others_unnamed",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "role": {"help_text": _("What the company does in the deal.")},
            "amount": {"help_text": _("The company's own share of the amount, in the deal's currency, or null.")},
            "amount_qualifier": {"help_text": _("How exactly the share was stated: exact, up_to, about, at_least.")},
            "commitment": {
                "help_text": _("Whether the share is committed, conditional or non_binding (e.g. a letter of intent).")
            },
            "amount_usd": {"help_text": _("The company's own share in US dollars, or null.")},
        }


class TrancheSerializer(StrictModelSerializer):
    company = CompanySlugField(
        allow_null=True,
        required=False,
        help_text=_("Slug of the company that pays this tranche, when it is one party's, or null."),
    )

    class Meta:
        model = Tranche
        list_serializer_class = WholeRowsListSerializer
        fields = [
            "position",
            "label",
            "amount",
            "amount_qualifier",
            "commitment",
            "company",
            "condition",
            "expected_on",
        ]
        extra_kwargs = {
            "position": {"help_text": _("Order of the tranche within the deal.")},
            "commitment": {
                "help_text": _("Whether the tranche is committed, conditional (see condition) or non_binding.")
            },
            "amount": {"help_text": _("Amount of the tranche, in the deal's currency.")},
            "amount_qualifier": {"help_text": _("How exactly the amount was stated.")},
            "condition": {"help_text": _("What the tranche depends on, if anything.")},
            "expected_on": {"help_text": _("When the tranche is expected, or null.")},
        }


class CitationSerializer(StrictModelSerializer):
    source_id = serializers.PrimaryKeyRelatedField(
        source="source", queryset=Source.objects.all(), help_text=_("Identifier of the cited source.")
    )
    source_url = serializers.CharField(
        source="source.url", read_only=True, help_text=_("Address of the source, or an empty string.")
    )
    source_title = serializers.CharField(source="source.title", read_only=True, help_text=_("Title of the source."))
    source_name = serializers.CharField(
        source="source.display_name",
        read_only=True,
        help_text=_('What the source is called: its title, or "Publisher, date" when it has none.'),
    )
    source_publisher = serializers.CharField(
        source="source.publisher", read_only=True, help_text=_("Publisher of the source.")
    )
    source_published_on = serializers.DateField(
        source="source.published_on",
        read_only=True,
        allow_null=True,
        help_text=_("Publication date of the source, or null."),
    )

    class Meta:
        model = Citation
        list_serializer_class = WholeRowsListSerializer
        fields = [
            "source_id",
            "source_url",
            "source_title",
            "source_name",
            "source_publisher",
            "source_published_on",
            "supports",
            "quote",
        ]
        extra_kwargs = {
            "supports": {"help_text": _("The figure of the deal that the source supports.")},
            "quote": {"help_text": _("A short quote from the source.")},
        }


class OptionSerializer(StrictModelSerializer):
    holder = CompanySlugField(help_text=_("Slug of the company that may buy the shares."))
    issuer = CompanySlugField(help_text=_("Slug of the company whose shares they are."))

    class Meta:
        model = DealOption
        list_serializer_class = WholeRowsListSerializer
        fields = [
            "kind",
            "holder",
            "issuer",
            "shares",
            "shares_qualifier",
            "exercise_price",
            "exercise_currency",
            "stake_percent",
            "vesting",
            "expires_on",
        ]
        extra_kwargs = {
            "kind": {"help_text": _("warrant or option.")},
            "shares": {"help_text": _("Number of shares it covers, or null.")},
            "shares_qualifier": {"help_text": _('How exactly the number was stated ("up to 160 million": up_to).')},
            "exercise_price": {"help_text": _("Price per share, in exercise_currency, or null.")},
            "exercise_currency": {"help_text": _("ISO 4217 code of the exercise price, e.g. USD.")},
            "stake_percent": {"help_text": _("Stake in the issuer it may acquire, in percent, or null.")},
            "vesting": {"help_text": _('What makes it vest, e.g. "as 1 GW … 6 GW are deployed".')},
            "expires_on": {"help_text": _("When it expires, or null.")},
        }


class RelatedDealSerializer(serializers.Serializer):
    slug = serializers.SlugField(help_text=_("Slug of the related deal."))
    title = serializers.CharField(help_text=_("Title of the related deal."))
    relation = serializers.CharField(help_text=_("How the deals relate: expands, supersedes or part_of."))
    direction = serializers.ChoiceField(
        choices=["outgoing", "incoming"],
        help_text=_('"outgoing": this deal <relation> the related one; "incoming": the related one <relation> this.'),
    )


class RelationInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=RelationKind.choices, help_text=_("expands, supersedes or part_of."))
    deal = serializers.SlugField(help_text=_("Slug of the other deal: this deal <kind> that one."))


class RelatedDealsField(serializers.Field):
    """A deal's links to other deals: shown both ways; written as the deal's own links, replacing them.

    Rows are read as {slug, title, relation, direction}; written as {kind, deal}. A row as read is taken too
    ({relation, slug}), so a deal read and sent back is unchanged: "incoming" rows belong to the other deal and
    are skipped.
    """

    default_error_messages = {
        # DRF formats these with str.format: literal braces are doubled.
        "not_a_list": _("Expected a list of {{kind, deal}} objects."),
        "bad_row": _('Each link is an object {{"kind": "expands" | "supersedes" | "part_of", "deal": "<slug>"}}.'),
        "no_deal": _("No deal with this slug: {slug}."),
    }

    def __init__(self, **kwargs):
        super().__init__(source="*", required=False, **kwargs)

    def to_representation(self, deal):
        outgoing = [
            {"slug": r.to_deal.slug, "title": r.to_deal.title, "relation": r.kind, "direction": "outgoing"}
            for r in deal.relations_out.all()
        ]
        incoming = [
            {"slug": r.from_deal.slug, "title": r.from_deal.title, "relation": r.kind, "direction": "incoming"}
            for r in deal.relations_in.all()
        ]
        return outgoing + incoming

    def to_internal_value(self, data):
        if not isinstance(data, list):
            self.fail("not_a_list")
        links = []
        for row in data:
            if not isinstance(row, dict):
                self.fail("bad_row")
            if row.get("direction") == "incoming":
                continue
            kind, slug = row.get("kind", row.get("relation")), row.get("deal", row.get("slug"))
            if kind not in RelationKind.values or not isinstance(slug, str):
                self.fail("bad_row")
            other = Deal.objects.filter(slug=slug).first()
            if other is None:
                self.fail("no_deal", slug=slug)
            links.append((kind, other))
        return {"related": links}


# Deals


DEAL_DESCRIPTIONS = {
    "slug": {"help_text": _("Unique identifier used in URLs.")},
    "title": {"help_text": _("Title of the deal.")},
    "kind": {"help_text": _("What kind of transaction or agreement it is.")},
    "status": {"help_text": _("How far the deal has gone.")},
    "publication": {
        "help_text": _("draft or published. A new deal is a draft; publishing needs the publish permission.")
    },
    "published_at": {"help_text": _("When the deal was first published, or null.")},
    "announced_on": {"help_text": _("First day of the period in which the deal was announced, or null.")},
    "announced_precision": {"help_text": _("Whether the date is known to the day, the month or the year.")},
    "amount": {"help_text": _("The deal's amount in its currency, or null.")},
    "amount_qualifier": {"help_text": _("How exactly the amount was stated: exact, up to, about, at least.")},
    "currency": {
        "trim_whitespace": False,
        "help_text": _(
            "Active ISO 4217 code, e.g. USD, EUR. A deal in another currency is published only with usd_rate."
        ),
    },
    "usd_rate": {
        "help_text": _("US dollars per unit of the currency, e.g. 1.17 for the euro; needed to publish a non-USD deal.")
    },
    "amount_as_stated": {"help_text": _('The source\'s wording, e.g. "up to $4B (about €3.8B)".')},
    "commitment": {
        "help_text": _(
            "committed (signed, unconditional), conditional (due if the conditions are met) or non_binding "
            "(a letter of intent or memorandum of understanding)."
        )
    },
    "conditions": {"help_text": _("What conditional money depends on, e.g. milestones or approval.")},
    "amount_reported": {
        "help_text": _("true when the amount comes from press reports about an announced deal, not from its parties.")
    },
    "amount_in_words": {
        "help_text": _('The amount when the source gives only words, e.g. "tens of billions of dollars".')
    },
    "others_unnamed": {"help_text": _('true when the source names only some parties ("Nvidia, SoftBank and others").')},
    "amount_per_unit": {"help_text": _("An amount per unit, in the deal's currency, e.g. 10000000000, or null.")},
    "per_unit": {"help_text": _('What the amount per unit pays for, e.g. "GW deployed".')},
    "quantity": {"help_text": _("A quantity that is not money, e.g. 1000000 (TPUs), or null.")},
    "quantity_unit": {"help_text": _("What the quantity counts: chips, gpus, tpus, gw, mw or other.")},
    "quantity_qualifier": {"help_text": _("How exactly the quantity was stated.")},
    "stake_percent": {"help_text": _("Stake acquired in this deal, in percent (0-100), or null.")},
    "stake_qualifier": {"help_text": _("How exactly the stake was stated.")},
    "stake_after_percent": {"help_text": _("Stake held after the deal, in percent (0-100), or null.")},
    "stake_value_usd": {"help_text": _("Value of the stake held, in US dollars, or null.")},
    "valuation_usd": {
        "help_text": _("Valuation implied by the deal, in US dollars, when the source does not say pre- or post-money.")
    },
    "valuation_pre_usd": {"help_text": _("Pre-money valuation in US dollars, or null.")},
    "valuation_post_usd": {"help_text": _("Post-money valuation in US dollars, or null.")},
    "exclusivity": {"help_text": _("none, exclusive, primary or preferred (within exclusivity_scope).")},
    "exclusivity_scope": {"help_text": _('What the exclusivity covers, e.g. "third-party cloud for OpenAI Frontier".')},
    "starts_on": {"help_text": _("First day of the period the agreement starts in, or null.")},
    "starts_precision": {"help_text": _("Whether the start is known to the day, the month or the year.")},
    "ends_on": {"help_text": _("First day of the period the agreement ends in, or null.")},
    "ends_precision": {"help_text": _("Whether the end is known to the day, the month or the year.")},
    "delivery_on": {"help_text": _("First day of the period of the first delivery (chips, capacity), or null.")},
    "delivery_precision": {"help_text": _("Whether the delivery date is known to the day, the month or the year.")},
    "capacity_gw": {"help_text": _("Compute capacity in gigawatts, or null.")},
    "capacity_qualifier": {"help_text": _("How exactly the capacity was stated.")},
    "duration_months": {"help_text": _("Duration of the agreement in months, or null.")},
    "summary": {"help_text": _("A short summary of the deal.")},
    "created_at": {"help_text": _("When the record was created.")},
    "updated_at": {"help_text": _("When the record last changed.")},
}


class DealDisplayMixin(serializers.Serializer):
    api_url = ApiURLField("api:deal-detail", help_text=_("This deal in the API."))
    html_url = AbsoluteURLField(help_text=_("The deal's public page, or null while it is a draft."))
    kind_display = LabelField(DealKind, source="kind", help_text=_("The kind, in the language of the request."))
    status_display = LabelField(DealStatus, source="status", help_text=_("The status, in the language of the request."))
    announced_display = serializers.CharField(
        read_only=True, help_text=_('The announced date as precise as it is known, e.g. "September 2023".')
    )
    amount_display = serializers.SerializerMethodField(help_text=_('The amount as a reader sees it, e.g. "up to $4B".'))

    def get_amount_display(self, deal) -> str:
        return format_money(deal.amount, deal.currency, deal.amount_qualifier)


LIST_FIELDS = [
    "slug",
    "title",
    "kind",
    "kind_display",
    "status",
    "status_display",
    "publication",
    "announced_on",
    "announced_precision",
    "announced_display",
    "amount",
    "currency",
    "amount_qualifier",
    "amount_usd",
    "amount_display",
    "stake_percent",
    "parties",
    "citation_count",
    "updated_at",
    "api_url",
    "html_url",
]


class DealRowSerializer(DealDisplayMixin, StrictModelSerializer):
    """A row of the deals table: the deal's figures and its parties, nothing that needs another query."""

    parties = PartySerializer(many=True, read_only=True, help_text=_("The companies in the deal and their roles."))
    citation_count = serializers.IntegerField(read_only=True, help_text=_("How many citations back the deal."))

    class Meta:
        model = Deal
        fields = LIST_FIELDS
        read_only_fields = LIST_FIELDS
        extra_kwargs = DEAL_DESCRIPTIONS


class DealSerializer(DealDisplayMixin, StrictModelSerializer):
    """A whole deal; written with its parties, tranches and citations, each list replacing the stored one."""

    parties = PartySerializer(
        many=True, help_text=_("The companies in the deal and their roles; at least two companies.")
    )
    tranches = TrancheSerializer(
        many=True,
        required=False,
        help_text=_("Parts of the amount paid at different times. Sent, the list replaces the stored one."),
    )
    options = OptionSerializer(
        many=True,
        required=False,
        help_text=_("Warrants and options the deal grants. Sent, the list replaces the stored one."),
    )
    citations = CitationSerializer(
        many=True,
        required=False,
        help_text=_(
            "The sources behind the deal's figures. Sent (in a POST, PUT or PATCH), the list REPLACES the deal's "
            "citations: send every citation to keep, with the new ones. Left out of a PATCH, they are kept."
        ),
    )
    related = RelatedDealsField(
        help_text=_(
            "Deals this one expands, supersedes or is part of (outgoing) and deals that do so to it (incoming). "
            'Written as a list of {"kind": "expands" | "supersedes" | "part_of", "deal": "<slug>"}, which '
            "replaces this deal's outgoing links; incoming ones belong to the other deal and are left alone."
        )
    )
    warnings = serializers.SerializerMethodField(
        help_text=_(
            "In the answer to a write: what the editor should check, e.g. a likely duplicate (a deal with the "
            "same parties announced in the same month). Empty when reading."
        )
    )
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=_(
            "Goes up by one on every save. In a PUT or PATCH, send the version you read: if the deal has been "
            "saved since, the write is refused with 409 and nothing is lost. Left out, the write applies as sent. "
            "Ignored when creating a deal."
        ),
    )

    class Meta:
        model = Deal
        fields = [
            *[name for name in LIST_FIELDS if name != "citation_count"],
            "version",
            "published_at",
            "usd_rate",
            "amount_as_stated",
            "commitment",
            "conditions",
            "amount_reported",
            "amount_in_words",
            "amount_per_unit",
            "per_unit",
            "others_unnamed",
            *DEAL_TERM_FIELDS,
            "summary",
            "tranches",
            "options",
            "citations",
            "related",
            "warnings",
            "created_at",
        ]
        read_only_fields = ["published_at", "created_at", "updated_at"]
        extra_kwargs = DEAL_DESCRIPTIONS

    def get_warnings(self, deal) -> list[str]:
        return getattr(deal, "write_warnings", [])

    def validate_citations(self, citations):
        default = Citation._meta.get_field("supports").default
        pairs = [(citation["source"].pk, citation.get("supports", default)) for citation in citations]
        if len(set(pairs)) < len(pairs):
            raise serializers.ValidationError(_("A source is cited twice for the same figure."))
        return citations

    def validate(self, attrs):
        old = self.instance.publication if self.instance else None
        new = self._value(attrs, "publication")
        if self.instance is None and new != Publication.DRAFT:
            raise serializers.ValidationError(
                {"publication": _("A deal created through the API is a draft: publish it with an update.")}
            )
        services.check_publish_permission(self.context["request"].user, old, new)
        if "parties" in attrs:
            with rule_errors("parties"):
                services.validate_parties((party["company"], party["role"]) for party in attrs["parties"])
        self._validate_figures(attrs)
        with rule_errors("usd_rate"):
            services.validate_usd_equivalents(
                self._value(attrs, "currency"),
                self._value(attrs, "usd_rate"),
                [self._value(attrs, "amount"), *(party.get("amount") for party in attrs.get("parties", []))],
            )
        if "citations" in attrs:
            citation_count = len(attrs["citations"])
        else:
            citation_count = self.instance.citations.count() if self.instance else 0
        with rule_errors("publication"):
            services.validate_publishable(new, citation_count)
        return attrs

    def _validate_figures(self, attrs):
        """The deal's own rules (Deal.clean: rates, dates, units), its parties' shares and its links."""
        own = {field.name for field in Deal._meta.concrete_fields}
        deal = Deal(**{name: self._value(attrs, name) for name in own if name not in ("id", "version")})
        deal.pk = getattr(self.instance, "pk", None)
        try:
            services.validate_deal(deal)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from error
        if "parties" in attrs:
            shares = [(party["role"], party.get("amount")) for party in attrs["parties"]]
        elif self.instance is not None:
            shares = list(self.instance.parties.values_list("role", "amount"))
        else:
            shares = []
        with rule_errors("parties"):
            services.validate_party_shares(deal.amount, deal.currency, deal.amount_qualifier, shares)
        if "related" in attrs:
            with rule_errors("related"):
                services.validate_relations(deal, attrs["related"])

    def _value(self, attrs, name):
        """A field's value after this write: the one sent, else the stored one, else the model's default."""
        if name in attrs:
            return attrs[name]
        if self.instance is not None:
            return getattr(self.instance, name)
        return Deal._meta.get_field(name).get_default()

    @transaction.atomic
    def create(self, validated_data):
        nested = self._pop_nested(validated_data)
        deal = Deal(**validated_data)
        self._save(deal, nested)
        self._replace_nested(deal, nested)
        deal.write_warnings = services.duplicate_warnings(deal)
        return deal

    @transaction.atomic
    def update(self, deal, validated_data):
        nested = self._pop_nested(validated_data)
        for name, value in validated_data.items():
            setattr(deal, name, value)
        self._save(deal, nested)
        self._replace_nested(deal, nested)
        deal.write_warnings = services.duplicate_warnings(deal)
        return deal

    @staticmethod
    def _save(deal, nested):
        """Deal.save() checks the publishing rules again, under the row lock (services.check_publication)."""
        if "citations" in nested:
            services.declare_citations(deal, len(nested["citations"]))
        deal.save()

    @staticmethod
    def _pop_nested(validated_data):
        # The version sent is a precondition the view checks (deals.api.preconditions), not a value to store.
        validated_data.pop("version", None)
        return {name: validated_data.pop(name) for name in NESTED_NAMES if name in validated_data}

    @staticmethod
    def _replace_nested(deal, nested):
        for name, rows in nested.items():
            if name == "related":
                deal.relations_out.all().delete()
                for kind, other in rows:
                    DealRelation.objects.get_or_create(from_deal=deal, to_deal=other, kind=kind)
                continue
            getattr(deal, name).all().delete()
            for row in rows:
                NESTED_MODELS[name].objects.create(deal=deal, **row)


NESTED_MODELS = {"parties": DealParty, "tranches": Tranche, "options": DealOption, "citations": Citation}
NESTED_NAMES = (*NESTED_MODELS, "related")


# Alliances


class AllianceDealSerializer(DealDisplayMixin, StrictModelSerializer):
    class Meta:
        model = Deal
        fields = [
            "slug",
            "title",
            "kind",
            "kind_display",
            "announced_on",
            "announced_display",
            "amount_usd",
            "amount_display",
            "api_url",
            "html_url",
        ]
        read_only_fields = fields
        extra_kwargs = DEAL_DESCRIPTIONS


class AllianceSerializer(StrictModelSerializer):
    api_url = ApiURLField("api:alliance-detail", help_text=_("This alliance in the API."))
    html_url = AbsoluteURLField(help_text=_("The alliance's public page."))
    company_a = CompanyRefSerializer(read_only=True, help_text=_("One side: the group whose slug sorts first."))
    company_b = CompanyRefSerializer(read_only=True, help_text=_("The other side."))
    dominant_kind_display = LabelField(
        DealKind, source="dominant_kind", help_text=_("The main kind, in the language of the request.")
    )
    total_display = serializers.SerializerMethodField(
        help_text=_('The total as a reader sees it, e.g. "$15B committed, up to $50B"; null when no amount is known.')
    )
    up_to_usd = serializers.SerializerMethodField(
        help_text=_("Committed and further money together: the most the alliance can come to; null when unknown.")
    )
    # Null, not 0, when no flow between the two states its amount (unknown is not zero).
    total_usd = serializers.DecimalField(
        max_digits=22,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text=_(
            "Committed money between the two groups, both ways, in US dollars (each dollar once; see /figures/); "
            "null when no amount is known."
        ),
    )
    further_usd = serializers.DecimalField(
        max_digits=22,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text=_('Further money that is only "up to", conditional or non-binding; null when unknown.'),
    )

    class Meta:
        model = Alliance
        fields = [
            "slug",
            "company_a",
            "company_b",
            "deal_count",
            "total_usd",
            "further_usd",
            "up_to_usd",
            "undisclosed_count",
            "total_display",
            "first_announced",
            "latest_announced",
            "dominant_kind",
            "dominant_kind_display",
            "api_url",
            "html_url",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "slug": {"help_text": _("Identifier of the alliance: the two groups' slugs joined by '--'.")},
            "deal_count": {"help_text": _("How many published deals the two groups made together.")},
            "undisclosed_count": {"help_text": _("Flows of money between them whose amount is not disclosed.")},
            "first_announced": {"help_text": _("Date of the first deal, or null.")},
            "latest_announced": {"help_text": _("Date of the latest deal, or null.")},
            "dominant_kind": {"help_text": _("The most common kind of deal between them.")},
        }

    def to_representation(self, alliance):
        data = super().to_representation(alliance)
        if not _money_known(alliance):
            data["total_usd"] = data["further_usd"] = None
        return data

    def get_total_display(self, alliance) -> str | None:
        return format_range(alliance.total_usd, alliance.further_usd) if _money_known(alliance) else None

    def get_up_to_usd(self, alliance) -> str | None:
        if not _money_known(alliance):
            return None
        return str((alliance.total_usd + alliance.further_usd).quantize(CENT))


def _money_known(alliance) -> bool:
    """Whether any flow between the two states its amount (else the zeros stored are "unknown", not "none")."""
    return bool(alliance.total_usd or alliance.further_usd)


class AllianceDetailSerializer(AllianceSerializer):
    deals = AllianceDealSerializer(many=True, read_only=True, help_text=_("The published deals between the two."))

    class Meta(AllianceSerializer.Meta):
        fields = [*AllianceSerializer.Meta.fields, "deals"]
        read_only_fields = fields
