"""Reports → Unmet needs in the Wagtail admin, for staff with a KOV or a county in scope."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from publishing.refusal import refuse_with_403

from . import admin_views


@hooks.register("register_admin_urls")
def register_unmet_needs_urls():
    return [
        path(
            "reports/unmet-needs/",
            refuse_with_403(admin_views.UnmetNeedsView.as_view()),
            name="analytics_unmet_needs",
        ),
        path(
            "reports/unmet-needs.csv",
            refuse_with_403(admin_views.unmet_needs_csv),
            name="analytics_unmet_needs_csv",
        ),
    ]


class UnmetNeedsMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.may_use_report(request.user)


@hooks.register("register_reports_menu_item")
def register_unmet_needs_menu_item():
    return UnmetNeedsMenuItem(
        _("Unmet needs"),
        reverse("analytics_unmet_needs"),
        name="unmet-needs",
        icon_name="search",
        order=1300,
    )
