from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Running the portal in production: health checks, request ids and JSON logs, error
    pages, the public response cache and its invalidation, login rate limiting, backups."""

    name = "ops"
    label = "ops"
    verbose_name = _("Operations")

    def ready(self):
        from . import ratelimit, signals

        signals.connect_invalidation()
        ratelimit.connect()
