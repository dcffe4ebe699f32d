"""OpenAPI descriptions the viewsets cannot infer: operations' texts, the `format` parameter, error responses."""

from decimal import Decimal

from django.core.validators import RegexValidator
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_filters import ModelChoiceFilter, NumberFilter
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_parameter_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers

from deals.lists.filters import AllianceFilterSet, CompanyFilterSet, DealFilterSet
from deals.lists.money_filters import CycleFilterSet

FORMAT = OpenApiParameter(
    "format",
    str,
    enum=["json", "csv"],
    description=_(
        "json (the default, also when empty) or csv. CSV gives one row per result, nested objects as "
        "`name.field` columns and lists as JSON text; `Accept: text/csv` does the same."
    ),
)

_DETAIL = inline_serializer("ErrorDetail", {"detail": serializers.CharField(help_text=_("What went wrong."))})

BAD_REQUEST = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description=_(
        "Invalid input: each offending field (or query parameter) is a key whose value lists the reasons; "
        "errors not about one field are under `non_field_errors`."
    ),
)
UNAUTHENTICATED = OpenApiResponse(_DETAIL, description=_("Missing or invalid credentials."))
FORBIDDEN = OpenApiResponse(
    _DETAIL, description=_("The account lacks the model permission (or the publish permission).")
)
NOT_FOUND = OpenApiResponse(_DETAIL, description=_("No such object, or not visible to this client."))
THROTTLED = OpenApiResponse(
    _DETAIL,
    description=_(
        "Too many requests from this anonymous client; the `Retry-After` header says how many seconds to wait."
    ),
)

JSON = "application/json"
CSV = "text/csv"
OK = _("JSON by default; with `?format=csv`, a header row and one row per result, formulas defused.")
CSV_TABLE = OpenApiResponse(OpenApiTypes.STR, description=OK)
# Errors are always JSON, whatever format was asked for.
READ_ERRORS = {(400, JSON): BAD_REQUEST, (401, JSON): UNAUTHENTICATED, (404, JSON): NOT_FOUND, (429, JSON): THROTTLED}


def read_operations(singular, plural, list_serializer, detail_serializer, lookup="slug"):
    return {
        "list": extend_schema(
            summary=format_lazy(_("List {plural}"), plural=plural),
            description=format_lazy(
                _(
                    "The {plural} visible to the client, filtered, sorted and paginated. Anonymous clients see "
                    "published data only and are throttled."
                ),
                plural=plural,
            ),
            parameters=[FORMAT],
            responses={
                (200, JSON): OpenApiResponse(list_serializer(many=True), description=OK),
                (200, CSV): CSV_TABLE,
                **READ_ERRORS,
            },
        ),
        "retrieve": extend_schema(
            summary=format_lazy(_("Get one {singular} by {lookup}"), singular=singular, lookup=lookup),
            parameters=[FORMAT],
            responses={
                (200, JSON): OpenApiResponse(detail_serializer, description=OK),
                (200, CSV): CSV_TABLE,
                **READ_ERRORS,
            },
        ),
    }


_STALE = inline_serializer(
    "StaleWrite",
    {
        "detail": serializers.CharField(help_text=_("Who saved the deal last and when; nothing was saved.")),
        "version": serializers.IntegerField(help_text=_("The deal's current version.")),
        "changed_by": serializers.CharField(help_text=_("Who saved it last.")),
        "changed_at": serializers.CharField(help_text=_("When, in UTC.")),
    },
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    location=OpenApiParameter.HEADER,
    description=_(
        "The ETag of your GET of this deal: the write is refused with 412 if the deal, as you would read it now, "
        "is no longer the same. Optional, like `version` in the body; without either, the write applies as sent."
    ),
)
# A write based on an older copy of a deal is refused rather than overwriting (deals.api.preconditions).
STALE_WRITES = {
    (409, JSON): OpenApiResponse(
        _STALE, description=_("The `version` sent is not the deal's current one: someone saved it since.")
    ),
    (412, JSON): OpenApiResponse(_STALE, description=_("The `If-Match` ETag is not the deal's current one.")),
}


def writable_operations(singular, plural, list_serializer, detail_serializer, lookup="slug", versioned=False):
    """`versioned`: updates take the stale-write preconditions (`version`, If-Match) and may answer 409 or 412."""
    writes = {(400, JSON): BAD_REQUEST, (401, JSON): UNAUTHENTICATED, (403, JSON): FORBIDDEN}
    updates = {**writes, (404, JSON): NOT_FOUND, **(STALE_WRITES if versioned else {})}
    update_parameters = [IF_MATCH] if versioned else []
    return {
        **read_operations(singular, plural, list_serializer, detail_serializer, lookup),
        "create": extend_schema(
            summary=format_lazy(_("Create a {singular}"), singular=singular),
            description=_("Staff with the model's add permission."),
            responses={(201, JSON): detail_serializer, **writes},
        ),
        "update": extend_schema(
            summary=format_lazy(_("Replace a {singular}"), singular=singular),
            description=_("Staff with the model's change permission. Nested lists sent replace the stored ones."),
            parameters=update_parameters,
            responses={(200, JSON): detail_serializer, **updates},
        ),
        "partial_update": extend_schema(
            summary=format_lazy(_("Change some fields of a {singular}"), singular=singular),
            description=_("Staff with the model's change permission. Fields left out are kept."),
            parameters=update_parameters,
            responses={(200, JSON): detail_serializer, **updates},
        ),
    }


def delete_operation(singular):
    return extend_schema(
        summary=format_lazy(_("Delete a {singular}"), singular=singular),
        description=_(
            "Staff with the model's delete permission. With `If-Match`, refused (412) if the deal changed since."
        ),
        parameters=[IF_MATCH],
        responses={
            204: None,
            (401, JSON): UNAUTHENTICATED,
            (403, JSON): FORBIDDEN,
            (404, JSON): NOT_FOUND,
            (412, JSON): STALE_WRITES[(412, JSON)],
        },
    )


# What each filter of the shared FilterSets means to an API client; labels alone are written for forms.
FILTER_HELP = {
    DealFilterSet: {
        "q": _("Words to find in the title, the summary or a party's name or alias."),
        "kind": _("Only deals of this kind."),
        "status": _("Only deals with this status."),
        "company": _("Slug of a company: deals in which it takes any role."),
        "investor": _("Slug of a company: deals in which it invests (as investor or lead investor)."),
        "investee": _("Slug of a company: deals in which it receives investment."),
        "provider": _("Slug of a company: deals in which it provides compute, chips or services."),
        "customer": _("Slug of a company: deals in which it is the customer."),
        "announced_after": _("Announced on or after this date (YYYY-MM-DD)."),
        "announced_before": _("Announced on or before this date (YYYY-MM-DD)."),
        "min_usd": _("US-dollar equivalent of at least this amount."),
        "max_usd": _("US-dollar equivalent of at most this amount."),
        "currency": _("Three-letter ISO 4217 code of the deal's currency, e.g. USD."),
        "has_stake": _("true: only deals that state a stake; false: only those that do not."),
        "ordering": _("Sort order; deals without the value sort last. Default: newest announced first."),
    },
    CompanyFilterSet: {
        "q": _("Words to find in the name or an alias."),
        "kind": _("Only companies of this kind."),
        "country": _("Two-letter ISO 3166 country code, e.g. US."),
        "parent": _("Slug of a company: only its direct subsidiaries."),
        "role": _("Only companies that took this part in a published deal."),
        "ordering": _("Sort order; totals are over published deals. Default: by name."),
    },
    AllianceFilterSet: {
        "q": _("Words to find in either company's name or alias."),
        "company": _("Slug of a company: alliances of its group."),
        "kind": _("Only alliances with at least one deal of this kind."),
        "year_from": _("Only alliances with a deal in this year or later."),
        "year_to": _("Only alliances with a deal in this year or earlier."),
        "ordering": _("Sort order. Default: largest total first."),
    },
    CycleFilterSet: {
        "company": _("Slug of a company: loops it is part of (with `separate` unset, its group's loops)."),
        "year": _("Only loops whose deals span this year."),
        "separate": _("true: subsidiaries apart (AWS is not Amazon); false or absent: counted as their parent."),
    },
}


class WebURLFieldExtension(OpenApiSerializerFieldExtension):
    """An http or https address, or an empty string when there is none."""

    target_class = "deals.api.fields.WebURLField"

    def map_serializer_field(self, auto_schema, direction):
        return {"type": "string", "maxLength": self.target.max_length, "pattern": "^$|^https?://"}


class SharedFilterSetExtension(DjangoFilterExtension):
    """The shared FilterSets in the schema: API descriptions, company filters typed as slugs, and the limits
    each filter's form field enforces, so that the schema promises no more than the server accepts."""

    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        if isinstance(filter_field, ModelChoiceFilter) and filter_field.extra.get("to_field_name") == "slug":
            parameters = [
                build_parameter_type(
                    name=field_name, required=False, location=OpenApiParameter.QUERY, schema={"type": "string"}
                )
            ]
        else:
            parameters = super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)
        help_text = FILTER_HELP.get(filterset_class, {}).get(field_name)
        for parameter in parameters:
            parameter["schema"].update(_limits(filter_field))
            if help_text:
                parameter["description"] = _describe(help_text, parameter.get("description"))
        return parameters


def _limits(filter_field) -> dict:
    extra = filter_field.extra
    limits = {}
    if isinstance(filter_field, NumberFilter):
        places, digits = extra.get("decimal_places"), extra.get("max_digits")
        if places == 0:
            limits["type"] = "integer"
        elif places:
            limits["multipleOf"] = float(Decimal(1).scaleb(-places))
        if digits is not None and places is not None:
            limits["maximum"] = 10 ** (digits - places) - 1
        for key, bound in (("min_value", "minimum"), ("max_value", "maximum")):
            if extra.get(key) is not None:
                limits[bound] = int(extra[key])
    if extra.get("max_length"):
        limits["maxLength"] = extra["max_length"]
    for validator in extra.get("validators", []):
        if isinstance(validator, RegexValidator) and not validator.inverse_match:
            limits["pattern"] = validator.regex.pattern
    return limits


def _describe(help_text, generated):
    """Our sentence, followed by the list of choices drf-spectacular generated, if any."""
    choices = generated.partition("\n\n")[2] if generated and "\n\n" in generated else ""
    return f"{help_text}\n\n{choices}" if choices else str(help_text)


def empty_query_values_mean_absent(result, generator, request, public):
    """drf-spectacular hook: say that `?kind=` is the same as no `kind`, for every query parameter.

    That is how the shared FilterSets read their forms' empty fields, and pagination and `format` agree.
    """
    for operations in result["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query":
                    parameter["allowEmptyValue"] = True
    return result


class RelatedDealsFieldExtension(OpenApiSerializerFieldExtension):
    """A deal's links: read as {slug, title, relation, direction}, written as {kind, deal}."""

    target_class = "deals.api.serializers.RelatedDealsField"

    def map_serializer_field(self, auto_schema, direction):
        from deals.api.serializers import RelatedDealSerializer, RelationInputSerializer

        row = RelationInputSerializer if direction == "request" else RelatedDealSerializer
        component = auto_schema.resolve_serializer(row, direction)
        return {"type": "array", "items": component.ref, "description": str(self.target.help_text)}
