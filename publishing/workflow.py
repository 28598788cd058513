"""The publishing workflow: an editor drafts, submits for approval; a KOV moderator approves
(publishes) or rejects with a comment. Applies to prices, offers and contact persons, and
to every model in publishing.registry (where to get the help: locations, eligibility, how
to apply, availability).

- A price is never edited once published: a change is a new Price row; approving it calls
  `Price.publish()`, which closes the previous price's validity the day before.
- A price whose `valid_from` lies in the future is published at approval and takes effect on
  its date: `Price.objects.on(date)` / `.current()` only return it from then on. No scheduler
  is needed.
- Nothing published is deleted: an offer is withdrawn (`Offer.withdraw()`), a contact person
  is ended (`valid_to`). Only drafts and rejected entries may be discarded.
- Nothing published is edited in place either: an editor's change to a published offer,
  contact or other registered entry (with its inline rows, e.g. opening hours) is kept as a
  `PendingChange` (see its docstring for why), submitted at once; the moderator's approval
  writes it onto the live row, rejection drops it.
- Nothing new goes public unreviewed either: a row that would be public as soon as it is saved
  (publishing.registry: an eligibility, service area or availability statement under a
  published offer, a location given for one, a how-to-apply text) is proposed as a
  PendingChange without an entry (`propose_addition`, `propose_additions` for an upload) and
  created only when a moderator approves it.

Every step is written to Wagtail's audit log (who, what, when) and shows in the admin."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import LogContext, get_active_log_context, log
from wagtail.models import ModelLogEntry

from directory.models import ContactPerson, Offer, Price, PriceCorrection, PriceStatus
from directory.models.offers import today

from . import proposals, registry, scope
from .models import PendingChange
from .signals import change_decided, change_submitted


class WorkflowError(Exception):
    """A workflow step is not possible in the entry's current state."""


class OwnSubmissionError(WorkflowError, PermissionDenied):
    """Four eyes: nobody approves what they submitted themselves."""

    def __init__(self):
        super().__init__(_("You submitted this yourself: another moderator must approve it."))


SUBMIT_ACTIONS = ("publishing.submit", "publishing.import")
DECISION_ACTIONS = (*SUBMIT_ACTIONS, "publishing.reject", "publishing.recall", "publishing.approve")


def _last_decisions(model, pks) -> dict[str, ModelLogEntry]:
    """The latest submit/import/reject/recall/approve log entry of each entry, one query."""
    latest: dict[str, ModelLogEntry] = {}
    entries = (
        ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=[str(pk) for pk in pks],
            action__in=DECISION_ACTIONS,
        )
        .select_related("user")
        .order_by("timestamp", "pk")
    )
    for entry in entries:
        latest[entry.object_id] = entry
    return latest


def annotate(objects) -> list:
    """Set `submitter_id` (who sent each pending entry for approval: the latest submit or
    upload; for an uploaded price its creator) and `returned` (who returned a draft, when and
    why) on offers, prices and contacts: a query per model however many there are."""
    objects = list(objects)
    by_model: dict[type, list] = {}
    for obj in objects:
        by_model.setdefault(type(obj), []).append(obj)
    for model, items in by_model.items():
        latest = _last_decisions(model, [obj.pk for obj in items])
        for obj in items:
            entry = latest.get(str(obj.pk))
            obj.submitter_id = None
            obj.submitter_name = ""
            obj.returned = None
            if entry is not None and entry.action in SUBMIT_ACTIONS:
                obj.submitter_id = entry.user_id
                obj.submitter_name = entry.user_display_name
            elif entry is None and isinstance(obj, Price) and obj.status == PriceStatus.PENDING:
                obj.submitter_id = obj.created_by_id  # written pending by a price-list upload
                obj.submitter_name = str(obj.created_by or "")
            if entry is not None and entry.action == "publishing.reject" and obj.status == PriceStatus.DRAFT:
                obj.returned = {
                    "who": entry.user_display_name,
                    "when": entry.timestamp,
                    "reason": (entry.data or {}).get("comment", ""),
                }
    return objects


def submitter_id(obj) -> int | None:
    if isinstance(obj, PendingChange):
        return obj.submitted_by_id
    if not hasattr(obj, "submitter_id"):
        annotate([obj])
    return obj.submitter_id


def _require_other_than_submitter(user, obj) -> None:
    if submitter_id(obj) == user.pk:
        raise OwnSubmissionError


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


def needs_approval_to_edit(obj, values: dict | None = None) -> bool:
    """Whether saving `obj` waits for a moderator (publishing.registry says when a row is
    public; published prices are never edited at all). With `values` (what the form would
    write), also when the save would make it public: a new row under a published offer."""
    entry = registry.get(type(obj))
    return bool(entry and entry.needs_approval(obj, values))


def pending_change_for(entry) -> PendingChange | None:
    registered = registry.get(type(entry))
    if registered is None or registered.published is None or not entry.pk:
        return None
    return PendingChange.objects.for_entry(entry).select_related("submitted_by").first()


@transaction.atomic
def propose(entry, values: dict, user) -> PendingChange | None:
    """Submit an editor's change to a published entry for approval; the live row is not
    touched. `values` are field → JSON value (publishing.proposals) as the edit form holds
    them; those equal to the published ones are left out. Editing again replaces the
    proposal; proposing the published values again withdraws it (returns None)."""
    _require_editor(user, entry)
    live = type(entry).objects.select_for_update().get(pk=entry.pk)
    published = proposals.current_values(live, values)
    changes = {name: value for name, value in values.items() if value != published[name]}
    change = PendingChange.objects.for_entry(live).first()
    if not changes:
        if change is not None:
            _drop_change(change, user, "publishing.discard")
        return None
    change = change or PendingChange(entry=live, municipality=scope.municipality_of(live))
    change.changes = changes
    change.previous = {name: published[name] for name in changes}
    change.submitted_by = user
    change.submitted_at = timezone.now()
    change.returned_by, change.returned_at, change.reason = None, None, ""
    change.save()
    _log(change, "publishing.submit", user, changed=_changed(change))
    change_submitted.send(sender=PendingChange, entries=[change], user=user)
    return change


@transaction.atomic
def propose_addition(model, values: dict, user) -> PendingChange:
    """Submit a new row that would be public at once for approval: nothing is created until a
    moderator approves it. `values` are all its fields (publishing.proposals), as the add
    form holds them."""
    municipality = scope.municipality_of(proposals.unsaved_row(model, values))
    if not scope.can_edit_municipality(user, municipality):
        raise PermissionDenied
    change = PendingChange.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        municipality=municipality,
        changes=values,
        previous={},
        submitted_by=user,
        submitted_at=timezone.now(),
    )
    _log(change, "publishing.submit", user, changed=_changed(change))
    change_submitted.send(sender=PendingChange, entries=[change], user=user)
    return change


def propose_additions(rows, names: tuple[str, ...], user, municipality) -> list[PendingChange]:
    """New rows of one municipality (unsaved instances, e.g. a price-list upload's availability
    statements) as additions awaiting approval, written together in the caller's transaction."""
    now = timezone.now()
    changes = []
    for row in rows:
        changes.append(
            PendingChange(
                content_type=ContentType.objects.get_for_model(type(row)),
                municipality=municipality,
                changes=proposals.current_values(row, names),
                previous={},
                submitted_by=user,
                submitted_at=now,
            )
        )
    return PendingChange.objects.bulk_create(changes)


def additions_under(offer: Offer) -> list[PendingChange]:
    """The additions awaiting a decision that would be shown with `offer`."""
    found = []
    for change in PendingChange.objects.filter(
        municipality_id=offer.municipality_id, object_id__isnull=True
    ).select_related("submitted_by", "returned_by", "content_type"):
        entry = registry.get(change.content_type.model_class())
        if entry is not None and offer.pk in entry.offer_ids(change.changes):
            found.append(change)
    return found


def _log(change: PendingChange, action: str, user, **data) -> None:
    """Audit a step of a change on its entry; of an addition (no entry yet) on the proposal,
    with its municipality, which scopes the change log."""
    if change.is_addition:
        log(change, action, user=user, data={**data, "municipality": change.municipality_id})
    else:
        log(change.entry, action, user=user, data=data)


def _changed(change: PendingChange) -> dict:
    return {name: [old, new] for name, old, new in change.diff}


def _approve_change(change: PendingChange, user) -> None:
    """Write a change onto its live entry, or create the row an addition proposes (with its
    many-to-many and inline rows), as the editor wrote it."""
    if change.is_returned:
        raise WorkflowError(
            _("This change was returned to its editor; she submits it again when it is ready.")
        )
    if change.is_addition:
        entry = change.content_type.model_class()()
        related = proposals.assign(entry, change.changes)
        _require_still_possible(entry, exclude=list(related))
    else:
        entry = type(change.entry).objects.select_for_update().get(pk=change.object_id)
        if proposals.current_values(entry, change.changes) != change.previous:
            raise WorkflowError(
                _(
                    "The published entry changed after this change was submitted; ask the editor to "
                    "edit it again."
                )
            )
        related = proposals.assign(entry, change.changes)
    # The editor wrote the text: translation flags raised by this save name them, not the moderator.
    with LogContext(user=change.submitted_by):
        entry.save()
        for name, pks in related.items():
            getattr(entry, name).set(pks)
    log(entry, "publishing.approve", user=user, data={"changed": _changed(change)})
    change_decided.send(sender=PendingChange, entries=[change], user=user, approved=True, comment="")
    change.delete()


def _require_still_possible(entry, exclude: list[str]) -> None:
    """An addition checked again at approval: the offer may have got its eligibility meanwhile."""
    try:
        entry.full_clean(exclude=exclude)
    except ValidationError as exc:
        reason = "; ".join(message for messages in exc.message_dict.values() for message in messages)
        raise WorkflowError(
            _("This addition cannot be made any more: %(reason)s Ask the editor to add it again.")
            % {"reason": reason}
        ) from None


def _drop_change(change: PendingChange, user, action: str, **data) -> None:
    _log(change, action, user, changed=_changed(change), **data)
    change.delete()


@transaction.atomic
def submit(obj, user) -> None:
    """Send a draft to the KOV's moderators."""
    _require_editor(user, obj)
    if isinstance(obj, PendingChange):
        return  # a change is submitted when it is saved
    if obj.status != PriceStatus.DRAFT:
        raise WorkflowError(_("Only a draft can be submitted for approval."))
    _set_status(obj, PriceStatus.PENDING)
    log(obj, "publishing.submit", user=user)
    change_submitted.send(sender=type(obj), entries=[obj], user=user)


@transaction.atomic
def approve(obj, user) -> None:
    """Publish a submitted entry. Approving a price of an offer that is itself awaiting
    approval publishes the offer too (a price cannot be public while its offer is not)."""
    _require_moderator(user, obj)
    if not isinstance(obj, PendingChange) and obj.status == PriceStatus.PUBLISHED:
        return
    _require_other_than_submitter(user, obj)
    if isinstance(obj, PendingChange):
        _approve_change(obj, user)
        return
    if isinstance(obj, Price):
        if obj.offer.status != PriceStatus.PUBLISHED:
            approve(obj.offer, user)
        obj.publish(user=user)
    else:
        _set_status(obj, PriceStatus.PUBLISHED)
    log(obj, "publishing.approve", user=user)
    change_decided.send(sender=type(obj), entries=[obj], user=user, approved=True, comment="")


@transaction.atomic
def approve_many(objects, user) -> int:
    """Approve a batch in one transaction: all or nothing. Offers, contacts and changes go
    one by one (a batch holds few); prices all together in a fixed number of queries
    (`Price.objects.publish()`, which closes each offer's previous prices as one-by-one
    publishing would), with their audit entries written in one INSERT."""
    prices = [obj for obj in objects if isinstance(obj, Price)]
    for obj in objects:
        if not isinstance(obj, Price):
            approve(obj, user)
    if prices:
        _approve_prices(prices, user)
    return len(objects)


def _approve_prices(prices: list[Price], user) -> None:
    offer_ids = {price.offer_id for price in prices}
    offers = Offer.objects.filter(pk__in=offer_ids)
    allowed = scope.moderated_municipalities(user)
    if offers.exclude(municipality__in=allowed).exists():
        raise PermissionDenied
    if any(price.submitter_id == user.pk for price in annotate(prices)):
        raise OwnSubmissionError
    # A price cannot be public while its offer is not: approving it publishes the offer too.
    for offer in offers.exclude(status=PriceStatus.PUBLISHED):
        approve(offer, user)
    chosen = Price.objects.filter(pk__in=[price.pk for price in prices])
    published = chosen.select_related("unit").publish(user)
    context = get_active_log_context()
    content_type = ContentType.objects.get_for_model(Price)
    ModelLogEntry.objects.bulk_create(
        [
            ModelLogEntry(
                content_type=content_type,
                object_id=str(price.pk),
                label=str(price)[:255],
                action="publishing.approve",
                user=user,
                uuid=context.uuid,
                timestamp=price.published_at,
                data={},
            )
            for price in published
        ],
        batch_size=1000,
    )
    change_decided.send(sender=Price, entries=published, user=user, approved=True, comment="")


@transaction.atomic
def reject(obj, user, comment: str = "") -> None:
    """Return a submitted entry to its editors as a draft, with the moderator's reason (which
    is required: the editor must learn what to correct)."""
    _require_moderator(user, obj)
    comment = comment.strip()
    if not comment:
        raise WorkflowError(_("Write the reason for the editor before returning it."))
    if isinstance(obj, PendingChange):
        # The published version stays; the editor finds her change on the edit form with the
        # reason, corrects it and saves to submit it again.
        if obj.is_returned:
            raise WorkflowError(_("This change was already returned to its editor."))
        obj.returned_by, obj.returned_at, obj.reason = user, timezone.now(), comment
        obj.save(update_fields=["returned_by", "returned_at", "reason"])
        _log(obj, "publishing.reject", user, changed=_changed(obj), comment=comment)
        change_decided.send(sender=PendingChange, entries=[obj], user=user, approved=False, comment=comment)
        return
    if obj.status != PriceStatus.PENDING:
        raise WorkflowError(_("Only an entry awaiting approval can be rejected."))
    _set_status(obj, PriceStatus.DRAFT)
    log(obj, "publishing.reject", user=user, data={"comment": comment})
    change_decided.send(sender=type(obj), entries=[obj], user=user, approved=False, comment=comment)


@transaction.atomic
def recall(obj, user) -> None:
    """The editor takes her own submitted entry back to draft before a moderator decides."""
    _require_editor(user, obj)
    if isinstance(obj, PendingChange):
        _drop_change(obj, user, "publishing.discard")
        return
    if obj.status != PriceStatus.PENDING:
        raise WorkflowError(_("Only an entry awaiting approval can be recalled."))
    _set_status(obj, PriceStatus.DRAFT)
    log(obj, "publishing.recall", user=user)


@transaction.atomic
def discard(obj, user) -> None:
    """Delete a draft that was never published, or withdraw a change awaiting approval."""
    _require_editor(user, obj)
    if isinstance(obj, PendingChange):
        _drop_change(obj, user, "publishing.discard")
        return
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
def correct_price(price: Price, user, reason: str, amounts: dict) -> PriceCorrection:
    """A KOV moderator corrects what a published price said (`Price.correct()`), with a reason
    the public sees beside the corrected price; the audit log keeps old and new amounts."""
    _require_moderator(user, price)
    correction = price.correct(reason, user=user, **amounts)
    changed = {
        name: [_text(getattr(correction, f"old_{name}")), _text(getattr(correction, f"new_{name}"))]
        for name in PriceCorrection.AMOUNTS
        if getattr(correction, f"old_{name}") != getattr(correction, f"new_{name}")
    }
    log(price, "publishing.correct", user=user, data={"changed": changed, "reason": correction.reason})
    return correction


def _text(value) -> str:
    return "—" if value is None else str(value)


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
