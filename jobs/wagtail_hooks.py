"""Settings → Background jobs: administrators reach the job list (status, tries, next run,
traceback) in Django's admin, where django_tasks_db registers it read-only."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_settings_menu_item")
def register_jobs_menu_item():
    return SuperuserMenuItem(
        _("Background jobs"),
        reverse("admin:django_tasks_database_dbtaskresult_changelist"),
        icon_name="tasks",
        order=900,
    )
