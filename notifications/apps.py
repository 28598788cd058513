from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    label = "notifications"
    verbose_name = _("E-mail notifications")

    def ready(self):
        from . import receivers  # noqa: F401 - listens to reports, the workflow and imports
