from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from wagtail import hooks

from .urls import admin_urlpatterns


@hooks.register("register_admin_urls")
def register_notification_urls():
    return [
        path(
            "notifications/",
            include((admin_urlpatterns, "notifications_admin"), namespace="notifications_admin"),
        )
    ]


@hooks.register("register_account_menu_item")
def notification_preferences_item(request):
    return {
        "url": reverse("notifications_admin:preferences"),
        "label": _("E-mail notifications"),
        "help_text": _("Choose which e-mails the portal sends you, at once or as a daily summary."),
    }
