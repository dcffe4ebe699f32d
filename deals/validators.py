"""Validators shared by models, forms and serializers."""

from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

web_url_validator = URLValidator(
    schemes=["http", "https"],
    message=_("Enter a web address that starts with http:// or https://."),
)
