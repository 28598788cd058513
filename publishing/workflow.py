"""The publishing workflow: an editor drafts, submits for approval; a KOV moderator approves
(publishes) or rejects with a comment. Applies to prices, offers and contact persons.

- A price is never edited once published: a change is a new Price row; approving it calls
  `Price.publish()`, which closes the previous price's validity the day before.
- A price whose `valid_from` lies in the future is published at approval and takes effect on
  its date: `Price.objects.on(date)` / `.current()` only return it from then on. No scheduler
  is needed.
- Nothing published is deleted: an offer is withdrawn (`Offer.withdraw()`), a contact person
  is ended (`valid_to`). Only drafts and rejected entries may be discarded.

Every step is written to Wagtail's audit log (who, what, when) and shows in the admin."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from directory.models import ContactPerson, Offer, Price, PriceStatus
from directory.models.offers import today

from . import scope

WORKFLOW_MODELS = (Offer, Price, ContactPerson)


class WorkflowError(Exception):
    """A workflow step is not possible in the entry's current state."""


def _require_editor(user, obj):
    if not scope.can_edit_municipality(user, scope.municipality_of(obj)):
        raise PermissionDenied


def _require_moderator(user, obj):
    if not scope.can_moderate_municipality(user, scope.municipality_of(obj)):
        raise PermissionDenied


def _set_status(obj, status):
    if isinstance(obj, Price):
        # Drafts may change freely; the model guards published rows.
        Price.objects.filter(pk=obj.pk).exclude(status=PriceStatus.PUBLISHED).update(status=status)
        obj.status = status
    else:
        obj.status = status
        obj.save(update_fields=["status", "updated_at"])


@transaction.atomic
def submit(obj, user) -> None:
    """Send a draft to the KOV's moderators."""
    _require_editor(user, obj)
    if obj.status != PriceStatus.DRAFT:
        raise WorkflowError(_("Only a draft can be submitted for approval."))
    _set_status(obj, PriceStatus.PENDING)
    log(obj, "publishing.submit", user=user)


@transaction.atomic
def approve(obj, user) -> None:
    """Publish a submitted entry. Approving a price of an offer that is itself awaiting
    approval publishes the offer too (a price cannot be public while its offer is not)."""
    _require_moderator(user, obj)
    if obj.status == PriceStatus.PUBLISHED:
        return
    if isinstance(obj, Price):
        if obj.offer.status != PriceStatus.PUBLISHED:
            approve(obj.offer, user)
        obj.publish(user=user)
    else:
        _set_status(obj, PriceStatus.PUBLISHED)
    log(obj, "publishing.approve", user=user)


@transaction.atomic
def approve_many(objects, user) -> int:
    """Approve a batch in one transaction: all or nothing. Prices go in date order so each
    closes its predecessor."""
    ordered = sorted(
        objects,
        key=lambda o: (
            0 if not isinstance(o, Price) else 1,
            getattr(o, "offer_id", 0),
            getattr(o, "valid_from", dt.date.min),
        ),
    )
    for obj in ordered:
        approve(obj, user)
    return len(ordered)


@transaction.atomic
def reject(obj, user, comment: str = "") -> None:
    """Return a submitted entry to its editors as a draft, with the moderator's reason."""
    _require_moderator(user, obj)
    if obj.status != PriceStatus.PENDING:
        raise WorkflowError(_("Only an entry awaiting approval can be rejected."))
    _set_status(obj, PriceStatus.DRAFT)
    log(obj, "publishing.reject", user=user, data={"comment": comment})


@transaction.atomic
def discard(obj, user) -> None:
    """Delete a draft that was never published."""
    _require_editor(user, obj)
    if obj.status == PriceStatus.PUBLISHED:
        raise WorkflowError(_("Published entries are history and cannot be deleted."))
    log(obj, "publishing.discard", user=user)
    if isinstance(obj, Offer):
        if obj.prices.published().exists():
            raise WorkflowError(_("Published entries are history and cannot be deleted."))
        obj.prices.all().delete()
    obj.delete()


@transaction.atomic
def withdraw(offer: Offer, user, last_day: dt.date | None = None) -> None:
    """End an offer (and its open price) after `last_day`; nothing is deleted."""
    _require_editor(user, offer)
    offer.withdraw(last_day)
    log(offer, "publishing.withdraw", user=user, data={"last_day": (last_day or today()).isoformat()})


@transaction.atomic
def end_contact(contact: ContactPerson, user, last_day: dt.date | None = None) -> None:
    _require_editor(user, contact)
    contact.valid_to = last_day or today()
    contact.save(update_fields=["valid_to", "updated_at"])
    log(contact, "publishing.withdraw", user=user, data={"last_day": contact.valid_to.isoformat()})


@transaction.atomic
def mark_verified(obj, user) -> None:
    """Record that an editor checked the offer or contact is still accurate today."""
    _require_editor(user, obj)
    obj.last_verified = today()
    obj.save(update_fields=["last_verified", "updated_at"])
    log(obj, "publishing.verify", user=user)
