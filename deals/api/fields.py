"""Serializer fields the API needs beyond DRF's: strict text, http(s) URLs, slugs, labels and links."""

import copy
from functools import cache

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from deals.core.dates import impossible_date_message
from deals.core.links import detail_url
from deals.core.text import clean_text
from deals.core.validators import web_url_validator
from deals.models import Company, Deal


@extend_schema_field({"type": "string", "format": "uri", "nullable": True})
class AbsoluteURLField(serializers.Field):
    """The public page of an object (its `get_absolute_url`), or null when it has none."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, instance):
        request = self.context.get("request")
        if isinstance(instance, Deal) and not instance.is_published:
            return None
        path = instance.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class CompanySlugField(serializers.SlugRelatedField):
    """A company named by its slug. An empty string is an error, not a silent null as in DRF."""

    default_error_messages = {
        "does_not_exist": _("No company with this slug: {value}."),
        "invalid": _("Enter the slug of a company."),
    }

    def __init__(self, **kwargs):
        super().__init__(slug_field="slug", queryset=Company.objects.all(), **kwargs)

    def run_validation(self, data=serializers.empty):
        # A NUL byte is in no slug, and PostgreSQL refuses text holding one: asking would be a 500.
        if data == "" or (isinstance(data, str) and "\x00" in data):
            self.fail("invalid")
        return super().run_validation(data)


@extend_schema_field({"type": "string", "format": "uri"})
class ApiURLField(serializers.Field):
    """The object's own URL in the API, always the JSON one (DRF's hyperlinks would keep `?format=csv`)."""

    def __init__(self, view_name: str, lookup_field: str = "slug", **kwargs):
        self.view_name, self.lookup_field = view_name, lookup_field
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, instance):
        # reverse()'s address from a template, without walking the resolvers for every object (deals.core.links).
        path = detail_url(self.view_name, **{self.lookup_field: str(getattr(instance, self.lookup_field))})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


@extend_schema_field({"type": "array", "items": {"type": "string", "maxLength": 200}})
class LinesField(serializers.Field):
    """A text of one item per line, shown and written as a list of strings."""

    default_error_messages = {
        "not_a_list": _("Expected a list of strings."),
        "bad_item": _("Each item must be a string of one line, at most 200 characters."),
    }

    def to_representation(self, value):
        return [line.strip() for line in value.splitlines() if line.strip()]

    def to_internal_value(self, data):
        if not isinstance(data, list):
            self.fail("not_a_list")
        if not all(isinstance(item, str) and "\n" not in item and len(item) <= 200 for item in data):
            self.fail("bad_item")
        return "\n".join(item.strip() for item in data if item.strip())


class LabelField(serializers.CharField):
    """The label of a choice, translated (Django's get_FOO_display rebuilds its lookup table on every call)."""

    def __init__(self, choices, **kwargs):
        self.labels = dict(choices.choices)
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return str(self.labels.get(value, value))


class StrictTextMixin:
    """Text only: a number or a boolean sent for a text field is a 400, not silently turned into text.

    Control characters are cleaned out as the models do (deals.core.text).
    """

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        # The limit applies to what was sent, as the schema says, not to what is left after trimming.
        if getattr(self, "max_length", None) is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        # As the model will store it (deals.models.fields.CleanTextMixin), so a uniqueness check sees that text;
        # a NUL is left for DRF's validator to refuse, as the admin's forms do.
        value = super().to_internal_value(data)
        return value if "\x00" in value else clean_text(value)


class TextField(StrictTextMixin, serializers.CharField):
    pass


class SlugTextField(StrictTextMixin, serializers.SlugField):
    def __init__(self, **kwargs):
        # An identifier is taken as sent: " amazon" is not a slug, rather than silently "amazon".
        super().__init__(trim_whitespace=False, **kwargs)


class WebURLField(serializers.Field):
    """An http or https address, or an empty string for none (DRF's URLField would also take ftp)."""

    default_error_messages = {
        "invalid": web_url_validator.message,
        "max_length": _("Ensure this field has no more than {max_length} characters."),
    }

    def __init__(self, max_length: int, **kwargs):
        self.max_length = max_length
        super().__init__(required=False, **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        if len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        if data:
            try:
                web_url_validator(data)
            except DjangoValidationError:
                self.fail("invalid")
        return data

    def to_representation(self, value):
        return value


class DateField(serializers.DateField):
    """A date that says why "2025-02-30" is refused: "2025-02-30 is not a date: February 2025 has 28 days."."""

    def to_internal_value(self, value):
        message = impossible_date_message(value)
        if message:
            raise serializers.ValidationError(message, code="invalid")
        return super().to_internal_value(value)


class StrictModelSerializer(serializers.ModelSerializer):
    """Model serializers whose text fields take text only, and whose dates explain an impossible day."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateField: DateField,
        models.CharField: TextField,
        models.TextField: TextField,
        models.SlugField: SlugTextField,
    }

    def get_fields(self):
        # Building the fields from the model's metadata costs a millisecond a request. A serializer that
        # validates input gets DRF's copy (each field made anew from its arguments, a third of that);
        # one that only shows objects gets read copies, ten times cheaper.
        prototypes = _field_prototypes(type(self))
        if _validates_input(self):
            return copy.deepcopy(prototypes)
        return {name: read_copy(field) for name, field in prototypes.items()}


@cache
def _field_prototypes(serializer_class) -> dict:
    """The fields ModelSerializer builds for the class; they depend on the class alone, not on the instance."""
    return serializers.ModelSerializer.get_fields(serializer_class())


def _validates_input(serializer) -> bool:
    """Whether the serializer, or the one it is nested in, was given data to validate."""
    return hasattr(serializer.root, "initial_data")


# What a serializer keeps of the objects it showed or the data it validated: never carried into a copy.
_SERIALIZER_STATE = ("fields", "_data", "_errors", "_validated_data")
# The fields DRF's fields bind to themselves: ListSerializer's, ListField's and DictField's child,
# ManyRelatedField's child relation.
_INNER_FIELDS = ("child", "child_relation")


def read_copy(field: serializers.Field) -> serializers.Field:
    """A copy of an unbound field for showing objects: its attributes copied, not rebuilt from its arguments.

    Binding the copy sets its own name, parent and source. Showing a value changes nothing else in a
    field, so the copy may share the prototype's validators, messages and choices; a field inside the
    field (a list's child, a many-relation's child relation) is copied too, with the copy as its parent.
    """
    clone = object.__new__(type(field))
    state = clone.__dict__
    state.update(field.__dict__)
    if isinstance(field, serializers.BaseSerializer):
        for name in _SERIALIZER_STATE:
            state.pop(name, None)
    for name in _INNER_FIELDS:
        inner = state.get(name)
        if inner is not None and getattr(inner, "parent", None) is field:
            state[name] = read_copy(inner)
            state[name].parent = clone
    return clone
