"""The KOV editors' inbox of reported mistakes in the Wagtail admin.

Who sees what, kept deliberately simple until the publishing work generalises KOV
permissions: a superuser sees every report; a member of a group named "KOV editors: <code>"
(made by build_site_tree) sees and handles the reports of that municipality only — listing,
editing and direct URLs alike. Reports are created only by the public form, never in the admin,
and editors do not delete them (they mark them "not a mistake")."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy

from .models import Report

EDITOR_GROUP_PREFIX = "KOV editors: "


def editor_municipality_codes(user) -> set[str]:
    """Codes of the municipalities whose editor group the user is in."""
    if not user.is_authenticated or not user.is_active:
        return set()
    if not hasattr(user, "_kov_editor_codes"):
        names = user.groups.filter(name__startswith=EDITOR_GROUP_PREFIX).values_list("name", flat=True)
        user._kov_editor_codes = {name[len(EDITOR_GROUP_PREFIX) :] for name in names}
    return user._kov_editor_codes


def reports_for(user):
    reports = Report.objects.select_related(
        "municipality", "offer__component", "offer__service", "offer__provider", "contact__role"
    )
    if user.is_active and user.is_superuser:
        return reports
    return reports.for_municipalities(editor_municipality_codes(user))


class ReportPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        if not (user.is_authenticated and user.is_active):
            return False
        if user.is_superuser:
            return action != "add"
        if action in {"view", "change"}:
            return bool(editor_municipality_codes(user))
        return False

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        return user.is_superuser or instance.municipality.code in editor_municipality_codes(user)

    def instances_user_has_any_permission_for(self, user, actions):
        if not any(self.user_has_permission(user, action) for action in actions):
            return Report.objects.none()
        return reports_for(user)


class ReportIndexView(generic.IndexView):
    def get_base_queryset(self):
        return reports_for(self.request.user)


class ReportEditView(generic.EditView):
    def get_queryset(self):
        return reports_for(self.request.user)


class ReportDeleteView(generic.DeleteView):
    def get_queryset(self):
        return reports_for(self.request.user)


class ReportViewSet(ModelViewSet):
    model = Report
    icon = "warning"
    menu_label = _("Reported mistakes")
    add_to_admin_menu = True
    menu_order = 250
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = ReportIndexView
    edit_view_class = ReportEditView
    delete_view_class = ReportDeleteView
    list_display = [
        DateColumn("created_at", label=_("received")),
        Column("municipality", label=_("municipality")),
        Column("subject", label=_("about")),
        Column("message", label=_("what is wrong")),
        Column("status", label=_("status"), accessor="get_status_display"),
    ]
    list_filter = ["status", "language"]
    panels = [
        FieldPanel("municipality", read_only=True),
        FieldPanel("offer", read_only=True),
        FieldPanel("contact", read_only=True),
        FieldPanel("message", read_only=True),
        FieldPanel("email", read_only=True),
        FieldPanel("language", read_only=True),
        FieldPanel("page_url", read_only=True),
        FieldPanel("status"),
        FieldPanel("editor_note"),
    ]

    @property
    def permission_policy(self):
        return ReportPermissionPolicy(self.model)


report_viewset = ReportViewSet("reports")
