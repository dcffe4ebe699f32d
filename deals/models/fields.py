from django import forms
from django.db import models

from deals.core.text import clean_text
from deals.core.validators import web_url_validator


class WebURLFormField(forms.URLField):
    default_validators = [web_url_validator]
    default_error_messages = {"invalid": web_url_validator.message}

    def __init__(self, *, assume_scheme="https", **kwargs):
        # An address typed without a scheme is taken as https (Django 6's default; 5.2 warns unless told).
        super().__init__(assume_scheme=assume_scheme, **kwargs)


class CleanTextMixin:
    """A text field that never stores control characters (deals.core.text): every way in passes here.

    `clean` (a model's full_clean: the admin's forms, the CSV import) cleans the text before it is validated,
    so that a uniqueness or length check sees what will be stored; `pre_save` cleans it on every save through
    the ORM (the API, scripts, bulk_create). `to_python` is left alone: a restore (loaddata) gives back legacy
    rows exactly as they were backed up, and saves them raw, past `pre_save`.
    """

    def clean(self, value, model_instance):
        if isinstance(value, str):
            value = clean_text(value)
        return super().clean(value, model_instance)

    def pre_save(self, model_instance, add):
        value = super().pre_save(model_instance, add)
        if isinstance(value, str):
            cleaned = clean_text(value)
            if cleaned != value:
                setattr(model_instance, self.attname, cleaned)
                value = cleaned
        return value


class CleanCharField(CleanTextMixin, models.CharField):
    def deconstruct(self):
        # The column is Django's: migrations see a plain CharField (no migration for a change of Python behaviour).
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


class CleanTextField(CleanTextMixin, models.TextField):
    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.TextField", args, kwargs


class WebURLField(CleanTextMixin, models.URLField):
    """A URL that can only be http or https, with one clear message wherever it is entered."""

    default_validators = [web_url_validator]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": WebURLFormField, **kwargs})
