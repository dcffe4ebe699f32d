"""/api/v1/cycles/: the circular deals, read only, with the filters of the /circular/ page."""

from functools import cached_property

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers

from deals.api import schema
from deals.api.fields import AbsoluteURLField, ApiURLField
from deals.api.views import ApiViewSet
from deals.core.links import absolute_url_maker, detail_url_maker
from deals.figures.loops import loops
from deals.lists.money_filters import CycleFilterSet
from deals.models import Cycle

MONEY = {"max_digits": 22, "decimal_places": 2, "coerce_to_string": True, "allow_null": True}


class CycleCompanySerializer(serializers.Serializer):
    slug = serializers.SlugField(help_text=_("The company's slug."))
    name = serializers.CharField(help_text=_("The company's name."))
    api_url = ApiURLField("api:company-detail", help_text=_("This company in the API."))
    html_url = AbsoluteURLField(help_text=_("The company's public page."))


class CycleSourceSerializer(serializers.Serializer):
    title = serializers.CharField(help_text=_("Title of the article or filing."))
    url = serializers.CharField(help_text=_("Its address (http or https), or an empty string when it has none."))


class CycleDealSerializer(serializers.Serializer):
    slug = serializers.SlugField(source="deal.slug", help_text=_("The deal's slug."))
    title = serializers.CharField(source="deal.title", help_text=_("The deal's title."))
    announced_on = serializers.DateField(
        source="deal.announced_on", allow_null=True, help_text=_("First day of the period the date is known to.")
    )
    amount_usd = serializers.DecimalField(
        **MONEY, help_text=_("What the payer committed in this deal, in US dollars; null when not stated.")
    )
    further_usd = serializers.DecimalField(
        **MONEY, help_text=_('Further money of the payer in this deal that is only "up to" or conditional, or null.')
    )
    committed = serializers.BooleanField(help_text=_("False for a deal in talks: its money is not counted."))
    api_url = serializers.SerializerMethodField(help_text=_("This deal in the API."))
    html_url = serializers.SerializerMethodField(help_text=_("The deal's public page."))
    sources = CycleSourceSerializer(many=True, help_text=_("The sources the deal cites."))

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_api_url(self, item) -> str:
        return self._api_url(item.deal.slug)

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_html_url(self, item) -> str:
        return self._html_url(item.deal.slug)

    @cached_property
    def _api_url(self):
        return absolute_url_maker(self.context.get("request"), detail_url_maker("api:deal-detail", "slug"))

    @cached_property
    def _html_url(self):
        return absolute_url_maker(self.context.get("request"), detail_url_maker("deals:deal-detail", "slug"))


class SharedLegsSerializer(serializers.ListSerializer):
    """The legs of a page of loops. Loops share most of their legs (loops() gives them the same Leg): each is
    serialized once per page."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._written = {}

    def to_representation(self, data):
        return [self._once(leg) for leg in data]

    def _once(self, leg):
        if id(leg) not in self._written:
            self._written[id(leg)] = self.child.to_representation(leg)
        return self._written[id(leg)]


class CycleLegSerializer(serializers.Serializer):
    payer = CycleCompanySerializer(help_text=_("The company that pays."))
    payee = CycleCompanySerializer(help_text=_("The company that receives."))
    total_usd = serializers.DecimalField(
        **MONEY,
        help_text=_(
            "The leg's committed money in US dollars (more may be undisclosed when `complete` is false); null if none."
        ),
    )
    further_usd = serializers.DecimalField(
        **MONEY, help_text=_('Further money of the leg that is only "up to", conditional or non-binding; null if none.')
    )
    complete = serializers.BooleanField(help_text=_("Whether every deal of the leg has a stated, committed amount."))
    deal_count = serializers.IntegerField(help_text=_("How many deals make the leg."))
    deals = CycleDealSerializer(many=True, help_text=_("The leg's largest deals (all of them when few), by date."))

    class Meta:
        list_serializer_class = SharedLegsSerializer


class CycleSerializer(serializers.Serializer):
    companies = CycleCompanySerializer(many=True, help_text=_("The companies in the order the money goes round."))
    length = serializers.IntegerField(source="cycle.length", help_text=_("How many companies."))
    smaller_flow_usd = serializers.DecimalField(
        source="cycle.smaller_flow_usd",
        **MONEY,
        help_text=_("The smallest leg: the least that went all the way round; null when a leg's money is unknown."),
    )
    first_year = serializers.IntegerField(source="cycle.first_year", allow_null=True, help_text=_("Earliest deal."))
    last_year = serializers.IntegerField(source="cycle.last_year", allow_null=True, help_text=_("Latest deal."))
    deal_count = serializers.IntegerField(source="cycle.deal_count", help_text=_("How many deals in all."))
    folded = serializers.BooleanField(
        source="cycle.folded", help_text=_("Whether subsidiaries count as their parent (AWS as Amazon).")
    )
    legs = CycleLegSerializer(many=True, help_text=_("Each leg, in order round the loop."))


@extend_schema_view(
    list=extend_schema(
        summary=_("List circular deals"),
        description=_(
            "Loops of money between companies found in the published deals (Amazon invests in OpenAI, OpenAI "
            "buys AWS compute), sorted by the smaller of their flows, largest first. Subsidiaries count as their "
            "parent unless `separate=true`."
        ),
        parameters=[schema.FORMAT],
        responses={
            (200, schema.JSON): OpenApiResponse(CycleSerializer(many=True), description=schema.OK),
            (200, schema.CSV): schema.CSV_TABLE,
            **schema.READ_ERRORS,
        },
    )
)
class CycleViewSet(mixins.ListModelMixin, ApiViewSet):
    serializer_class = CycleSerializer
    filterset_class = CycleFilterSet
    queryset = Cycle.objects.all()

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(loops(page), many=True).data)
