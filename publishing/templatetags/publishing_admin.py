"""Workflow buttons for the admin pages of KOV staff.

Every workflow button belongs to the page's one action form (`publishing/includes/
action_form.html`, rendered outside the edit form) through its `form` attribute and posts to
its own URL through `formaction`. So a button inside Wagtail's edit form is never a form
inside a form, never the edit form's default button (pressing Enter in a field still saves
the edit), and always sends the CSRF token of the action form."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.http import urlencode
from wagtail.admin.auth import user_has_any_page_permission

from publishing.finding import can_search
from publishing.viewsets import MODEL_KEYS

register = template.Library()

ACTION_FORM_ID = "publishing-actions"


@register.inclusion_tag("publishing/includes/action_button.html", takes_context=True)
def action_button(context, model_key: str, pk: int, action: str, label: str, style: str = ""):
    """A button that posts `action` on the entry `model_key`/`pk` and comes back here."""
    request = context["request"]
    url = reverse("publishing:action", args=[model_key, pk, action])
    return {
        "url": f"{url}?{urlencode({'next': request.get_full_path()})}",
        "label": label,
        "style": style,
        "action": action,
        "form_id": ACTION_FORM_ID,
    }


@register.inclusion_tag("publishing/includes/reason_field.html")
def reason_field(model_key: str, pk: int, label: str, required: bool = True):
    """The moderator's reason for returning one entry, sent with that entry's Reject button."""
    return {
        "name": reason_name(model_key, pk),
        "label": label,
        "required": required,
        "form_id": ACTION_FORM_ID,
    }


def reason_name(model_key: str, pk: int) -> str:
    return f"reason-{model_key}-{pk}"


@register.filter
def publishing_model_key(obj) -> str:
    """ "offer", "price" or "contact": the key of the entry's kind in workflow URLs."""
    return MODEL_KEYS[type(obj)]


@register.inclusion_tag("publishing/includes/dashboard_search.html", takes_context=True)
def dashboard_search(context, search_form, root_page):
    """Wagtail's page search for those who may see pages; the KOV data search for KOV staff."""
    user = context["request"].user
    return {
        "request": context["request"],
        "pages": user_has_any_page_permission(user),
        "kov": can_search(user),
        "search_form": search_form,
        "root_page": root_page,
    }
