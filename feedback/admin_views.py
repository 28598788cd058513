"""The KOV staff's inbox of reported mistakes in the Wagtail admin.

Who sees what comes from publishing.scope, like the rest of the KOV data: a superuser sees
every report; the editors and moderators of a municipality ("KOV editors: <code>", "KOV
moderators: <code>") see and handle that municipality's reports — listing, opening and
direct URLs alike. Reports are created only by the public form, never in the admin, and
nobody deletes them (an editor explains why no change is needed instead).

Handling a report: open it from the list, follow the link to the entry it is about, correct
the entry (the correction goes through the publishing workflow), reply to the sender when
they gave an e-mail address (stored; `feedback.signals.report_answered` tells the mailer),
and close it as corrected — only once the correction is published — or as not a mistake,
with the reason."""

from __future__ import annotations

from django import forms
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList, Panel
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy

from directory.models import Price, PriceStatus
from publishing.models import PendingChange
from publishing.scope import editable_municipalities

from .models import Report, ReportStatus
from .signals import report_answered


def reports_for(user):
    reports = Report.objects.select_related(
        "municipality", "offer__component", "offer__service", "offer__provider", "contact__role"
    )
    if not (user.is_authenticated and user.is_active):
        return reports.none()
    return reports.filter(municipality__in=editable_municipalities(user))


def correction_pending(report: Report) -> bool:
    """Whether a correction of the report's entry still waits for approval (a change to it,
    or a new price of the offer, not yet published)."""
    entry = report.offer or report.contact
    if entry is None:
        return False
    if PendingChange.objects.for_entry(entry).exists() or entry.status != PriceStatus.PUBLISHED:
        return True
    return (
        bool(report.offer_id)
        and Price.objects.filter(
            offer_id=report.offer_id, status__in=[PriceStatus.DRAFT, PriceStatus.PENDING]
        ).exists()
    )


class ReportPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        if not (user.is_authenticated and user.is_active):
            return False
        if user.is_superuser:
            return action != "add"
        if action in {"view", "change"}:
            return editable_municipalities(user).exists()
        return False

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        return editable_municipalities(user).filter(pk=instance.municipality_id).exists()

    def instances_user_has_any_permission_for(self, user, actions):
        if not any(self.user_has_permission(user, action) for action in actions):
            return Report.objects.none()
        return reports_for(user)


class ReportForm(WagtailAdminModelForm):
    """Status, note and reply, with the rules of closing a report."""

    def clean(self):
        cleaned = super().clean()
        report = self.instance
        status = cleaned.get("status")
        if status == ReportStatus.FIXED and correction_pending(report):
            self.add_error(
                "status",
                _("The correction still awaits approval; mark the report corrected once it is published."),
            )
        if status == ReportStatus.NOT_A_MISTAKE and not (cleaned.get("editor_note") or "").strip():
            self.add_error("editor_note", _("Explain why no change is needed."))
        if (cleaned.get("reply") or "").strip() and not report.email:
            self.add_error("reply", _("The sender gave no e-mail address, so they cannot be answered."))
        return cleaned


class ReportEntryPanel(Panel):
    """What the report is about, with links to the entry in the admin and on the public site."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "feedback/admin/report_entry.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            report = self.instance
            context["report"] = report
            if report.offer_id:
                context["admin_url"] = reverse("wagtailsnippets_directory_offer:edit", args=[report.offer_id])
                context["public_url"] = report.offer.get_absolute_url()
            elif report.contact_id:
                context["admin_url"] = reverse(
                    "wagtailsnippets_directory_contactperson:edit", args=[report.contact_id]
                )
                context["public_url"] = report.page_url
            else:
                context["public_url"] = report.page_url or report.municipality.get_absolute_url()
            context["correction_pending"] = correction_pending(report)
            return context


class ReportIndexView(generic.IndexView):
    def get_base_queryset(self):
        return reports_for(self.request.user)


class ReportEditView(generic.EditView):
    def get_queryset(self):
        return reports_for(self.request.user)

    def save_instance(self):
        report = self.form.instance
        answered = "reply" in self.form.changed_data and report.reply.strip()
        if answered:
            report.replied_at = timezone.now()
            report.replied_by = self.request.user
        instance = super().save_instance()
        if answered:
            user = self.request.user
            transaction.on_commit(
                lambda: report_answered.send(sender=Report, report=instance, reply=instance.reply, user=user)
            )
        return instance


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
        TitleColumn("subject", label=_("about"), url_name="reports:edit"),
        DateColumn("created_at", label=_("received")),
        Column("municipality", label=_("municipality")),
        Column("message", label=_("what is wrong")),
        Column("status", label=_("status"), accessor="get_status_display"),
    ]
    list_filter = ["status", "language"]
    search_fields = ["message", "editor_note"]
    edit_handler = ObjectList(
        [
            ReportEntryPanel(heading=_("About")),
            FieldPanel("message", read_only=True),
            FieldPanel("email", read_only=True),
            FieldPanel("language", read_only=True),
            FieldPanel("status"),
            FieldPanel("editor_note", heading=_("Note: what was done, or why no change is needed")),
            FieldPanel("reply", widget=forms.Textarea(attrs={"rows": 4})),
        ],
        base_form_class=ReportForm,
    )

    @property
    def permission_policy(self):
        return ReportPermissionPolicy(self.model)


report_viewset = ReportViewSet("reports")
