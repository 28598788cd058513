from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "publishing"
    label = "publishing"
    verbose_name = _("Publishing")

    def ready(self):
        from . import signals  # noqa: F401 - connects the translation-outdated tracking
