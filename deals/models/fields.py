from django import forms
from django.db import models

from deals.validators import web_url_validator


class WebURLFormField(forms.URLField):
    default_validators = [web_url_validator]
    default_error_messages = {"invalid": web_url_validator.message}


class WebURLField(models.URLField):
    """A URL that can only be http or https, with one clear message wherever it is entered."""

    default_validators = [web_url_validator]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": WebURLFormField, **kwargs})
