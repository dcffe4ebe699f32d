from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DealsConfig(AppConfig):
    name = "deals"
    verbose_name = _("Deals")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from deals.figures import signals  # noqa: F401
