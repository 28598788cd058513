from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Running the portal in production: health checks, request ids and JSON logs, error
    pages, the public response cache, login rate limiting, backups."""

    name = "ops"
    label = "ops"
    verbose_name = _("Operations")

    def ready(self):
        from directory.content_version import bumped

        from . import cache, ratelimit

        bumped.connect(cache.remember_change, dispatch_uid="ops-remember-content-change")
        ratelimit.connect()
