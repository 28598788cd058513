"""The "my work" panel on the admin dashboard of KOV staff: what waits for them, with counts
and a link to each list. One query per count."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from directory.models import ContactPerson, Municipality, Offer, Price, PriceStatus
from directory.models.offers import today

from . import scope, workflow
from .models import PendingChange

STALE_AFTER = dt.timedelta(days=365)


def my_work(user) -> list[dict]:
    """[{label, count, url}] for the user's role; moderators also see what awaits them."""
    editable = scope.editable_municipalities(user)
    moderated = scope.moderated_municipalities(user)
    review = reverse("publishing:review")
    drafts = [
        *Price.objects.filter(status=PriceStatus.DRAFT, offer__municipality__in=editable),
        *Offer.objects.filter(status=PriceStatus.DRAFT, municipality__in=editable),
        *ContactPerson.objects.filter(status=PriceStatus.DRAFT, municipality__in=editable),
    ]
    workflow.annotate(drafts)
    # What the user submitted, and what awaits her as a moderator (a county moderator edits nothing).
    workable = Q(pk__in=editable) | Q(pk__in=moderated)
    workable = Municipality.objects.filter(workable)
    pending = [
        *Price.objects.filter(status=PriceStatus.PENDING, offer__municipality__in=workable).select_related(
            "offer"
        ),
        *Offer.objects.filter(status=PriceStatus.PENDING, municipality__in=workable),
        *ContactPerson.objects.filter(status=PriceStatus.PENDING, municipality__in=workable),
    ]
    workflow.annotate(pending)
    changes = PendingChange.objects.filter(municipality__in=editable, submitted_by=user)
    cutoff = today() - STALE_AFTER
    stale = Q(last_verified__isnull=True) | Q(last_verified__lt=cutoff)
    current = Q(valid_to__isnull=True) | Q(valid_to__gte=today())
    rows = [
        {"label": _("My drafts"), "count": len(drafts), "url": review + "#drafts"},
        {
            "label": _("Submitted by me, awaiting a moderator (recallable)"),
            "count": sum(obj.submitter_id == user.pk for obj in pending) + changes.awaiting().count(),
            "url": review + "#mine",
        },
        {
            "label": _("Returned to me with a reason"),
            "count": sum(bool(obj.returned) for obj in drafts) + changes.returned().count(),
            "url": review + "#mine",
        },
        {
            "label": _("Due for verification (not checked for 12 months)"),
            "count": Offer.objects.filter(stale, current, municipality__in=editable).count()
            + ContactPerson.objects.filter(stale, current, municipality__in=editable).count(),
            "url": reverse("publishing:stale"),
        },
        {
            "label": _("Scheduled price changes (starting later)"),
            "count": Price.objects.published()
            .filter(offer__municipality__in=editable, valid_from__gt=today())
            .count(),
            "url": reverse("wagtailsnippets_directory_price:list") + "?status=published",
        },
    ]
    moderated_ids = set(moderated.values_list("pk", flat=True))
    if moderated_ids:
        theirs = PendingChange.objects.awaiting().filter(municipality_id__in=moderated_ids)
        theirs = theirs.exclude(submitted_by=user)
        awaiting = theirs.count() + sum(
            obj.submitter_id != user.pk and _municipality_id(obj) in moderated_ids for obj in pending
        )
        rows.insert(0, {"label": _("Awaiting my approval"), "count": awaiting, "url": review + "#awaiting"})
    return rows


def _municipality_id(obj) -> int:
    return obj.offer.municipality_id if isinstance(obj, Price) else obj.municipality_id


class MyWorkPanel(Component):
    name = "publishing_my_work"
    order = 10
    template_name = "publishing/dashboard_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        return {"rows": my_work(self.user)}
