from django import forms
from django.db import models

from deals.validators import web_url_validator


class WebURLFormField(forms.URLField):
    default_validators = [web_url_validator]
    default_error_messages = {"invalid": web_url_validator.message}

    def __init__(self, *, assume_scheme="https", **kwargs):
        # An address typed without a scheme is taken as https (Django 6's default; 5.2 warns unless told).
        super().__init__(assume_scheme=assume_scheme, **kwargs)


class WebURLField(models.URLField):
    """A URL that can only be http or https, with one clear message wherever it is entered."""

    default_validators = [web_url_validator]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": WebURLFormField, **kwargs})
