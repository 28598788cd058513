"""Registers the KOV data viewsets, the publishing views and their audit-log actions."""

from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.snippets.models import register_snippet

from . import urls
from .access_viewsets import GettingHelpGroup
from .dashboard import MyWorkPanel
from .proposals import describe_changes, field_label
from .scope import editable_municipalities, visible_municipalities
from .viewsets import DirectoryGroup

register_snippet(DirectoryGroup)
register_snippet(GettingHelpGroup)


@hooks.register("insert_global_admin_css")
def publishing_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("publishing/admin.css"))


@hooks.register("construct_homepage_panels")
def add_my_work_panel(request, panels):
    """KOV staff's dashboard: their own work first, with counts."""
    if editable_municipalities(request.user).exists():
        panels.insert(0, MyWorkPanel(request.user))


@hooks.register("register_admin_urls")
def register_publishing_urls():
    return [path("publishing/", include((urls.urlpatterns, "publishing"), namespace="publishing"))]


class KovMenuItem(MenuItem):
    """Shown to staff with a KOV (or county) in their scope."""

    def __init__(self, *args, editors_only=False, **kwargs):
        self.editors_only = editors_only
        super().__init__(*args, **kwargs)

    def is_shown(self, request):
        allowed = editable_municipalities if self.editors_only else visible_municipalities
        return allowed(request.user).exists()


publishing_menu = Menu(
    register_hook_name="register_publishing_menu_item",
    construct_hook_name="construct_publishing_menu",
)


@hooks.register("register_admin_menu_item")
def register_publishing_menu():
    return SubmenuMenuItem(_("Publishing"), publishing_menu, icon_name="tasks", name="publishing", order=250)


@hooks.register("register_publishing_menu_item")
def review_item():
    return KovMenuItem(
        _("Review queue"), reverse("publishing:review"), icon_name="tasks", order=100, editors_only=True
    )


@hooks.register("register_publishing_menu_item")
def price_list_item():
    return KovMenuItem(
        _("Price list spreadsheets"),
        reverse("publishing:price_list"),
        icon_name="table",
        order=200,
        editors_only=True,
    )


@hooks.register("register_publishing_menu_item")
def stale_item():
    return KovMenuItem(_("Stale data"), reverse("publishing:stale"), icon_name="warning", order=300)


@hooks.register("register_publishing_menu_item")
def translations_item():
    return KovMenuItem(
        _("Outdated translations"), reverse("publishing:translations"), icon_name="globe", order=400
    )


@hooks.register("register_publishing_menu_item")
def changes_item():
    return KovMenuItem(_("Change log"), reverse("publishing:changes"), icon_name="history", order=500)


@hooks.register("register_publishing_menu_item")
def overview_item():
    return KovMenuItem(_("Publication overview"), reverse("publishing:overview"), icon_name="site", order=600)


@hooks.register("register_log_actions")
def register_publishing_log_actions(actions):
    from wagtail.log_actions import LogFormatter

    def changes(log_entry) -> str:
        """ "telefon: +372 1 → +372 2" — the field's label and the values' names in the
        reader's language, never a column name or a primary key."""
        changed = (log_entry.data or {}).get("changed") or {}
        model = log_entry.content_type.model_class()
        if model is None:
            return ""
        if log_entry.action == "publishing.edit":  # values logged as text already
            parts = [f"{field_label(model, name)}: {old} → {new}" for name, (old, new) in changed.items()]
        else:
            rows = describe_changes(model, [(name, old, new) for name, (old, new) in changed.items()])
            parts = [f"{row['label']}: {row['old']} → {row['new']}" for row in rows]
        return "; ".join(parts)[:1000]

    class WithChanges(LogFormatter):
        """Says which fields a change to a published entry touched, when it did."""

        with_changes = ""

        def format_message(self, log_entry):
            described = changes(log_entry)
            if described:
                return self.with_changes % {"changes": described}
            return self.message

    @actions.register_action("publishing.edit")
    class Edit(LogFormatter):
        label = _("Edit")

        def format_message(self, log_entry):
            described = changes(log_entry)
            if not described:
                return _("Saved without changes")
            return _("Changed %(changes)s") % {"changes": described}

    @actions.register_action("publishing.submit")
    class Submit(WithChanges):
        label = _("Submit for approval")
        message = _("Submitted for approval")
        with_changes = _("Change submitted for approval: %(changes)s")

    @actions.register_action("publishing.approve")
    class Approve(WithChanges):
        label = _("Approve and publish")
        message = _("Approved and published")
        with_changes = _("Change approved and published: %(changes)s")

    @actions.register_action("publishing.reject")
    class Reject(LogFormatter):
        label = _("Reject")

        def format_message(self, log_entry):
            comment = (log_entry.data or {}).get("comment")
            described = changes(log_entry)
            if described:
                return _("Change rejected (%(comment)s): %(changes)s") % {
                    "comment": comment or "—",
                    "changes": described,
                }
            if comment:
                return _("Returned to the editors: %(comment)s") % {"comment": comment}
            return _("Returned to the editors")

    @actions.register_action("publishing.discard")
    class Discard(WithChanges):
        label = _("Discard draft")
        message = _("Draft discarded")
        with_changes = _("Change withdrawn: %(changes)s")

    @actions.register_action("publishing.withdraw")
    class Withdraw(LogFormatter):
        label = _("Withdraw")

        def format_message(self, log_entry):
            return _("Withdrawn; last day %(date)s") % {"date": (log_entry.data or {}).get("last_day", "")}

    @actions.register_action("publishing.verify")
    class Verify(LogFormatter):
        label = _("Mark verified")
        message = _("Marked as verified")

    @actions.register_action("publishing.import")
    class Import(LogFormatter):
        label = _("Spreadsheet upload")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            if "added" in data:
                return _(
                    "Price list uploaded: %(added)s added, %(changed)s changed, %(unchanged)s unchanged"
                ) % {
                    "added": data.get("added", 0),
                    "changed": data.get("changed", 0),
                    "unchanged": data.get("unchanged", 0),
                }
            prices = "; ".join(data.get("prices", []))
            if data.get("created"):
                return _("Created from a price list upload with prices: %(prices)s") % {"prices": prices}
            return _("New prices from a price list upload: %(prices)s") % {"prices": prices}

    @actions.register_action("publishing.translation_confirmed")
    class TranslationConfirmed(LogFormatter):
        label = _("Translation confirmed")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            return _("Translation confirmed as up to date: %(field)s (%(language)s)") % {
                "field": data.get("field", ""),
                "language": data.get("language", ""),
            }


@hooks.register("construct_reports_menu")
def hide_site_history_from_kov_staff(request, menu_items):
    """Wagtail's site-wide history lists every KOV's changes; KOV staff use the scoped
    change log (Publishing → Change log) instead."""
    if not request.user.is_superuser:
        menu_items[:] = [item for item in menu_items if item.name != "site-history"]
