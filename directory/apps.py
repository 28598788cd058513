from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    label = "directory"
    verbose_name = _("Directory")

    def ready(self):
        from django.db.backends.signals import connection_created

        from . import content_version, guards

        content_version.connect()
        connection_created.connect(guards.register_sqlite_function, dispatch_uid="directory_price_guard")
