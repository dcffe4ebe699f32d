from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DealsConfig(AppConfig):
    name = "deals"
    verbose_name = _("Deals")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.backends.signals import connection_created

        from deals.figures import signals  # noqa: F401
        from deals.lists import pg_timestamps

        connection_created.connect(pg_timestamps.install, dispatch_uid="deals.lists.pg_timestamps")
