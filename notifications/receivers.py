"""Domain events → e-mail jobs, queued when the transaction that caused them commits.

Everything a transaction causes is gathered first (a batch approval of 500 prices is one
e-mail per editor, not 500); what the message needs from rows that may be gone by then (a
pending change is deleted when decided) is read at once."""

from __future__ import annotations

import uuid
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.models import ModelLogEntry

from feedback.models import Report
from feedback.signals import report_answered
from jobs.runner import enqueue_on_commit
from publishing import scope
from publishing.models import PendingChange, PriceImport
from publishing.signals import change_decided, change_submitted
from publishing.viewsets import edit_url

from . import tasks


class _Batch:
    """The events of one transaction, turned into jobs when it commits."""

    def __init__(self):
        self.submitted: dict[tuple, list] = defaultdict(list)
        self.decided: dict[tuple, list] = defaultdict(list)
        self.done = False

    def __call__(self):
        self.done = True
        for (municipality_id, by_id), entries in self.submitted.items():
            tasks.changes_submitted.enqueue(uuid.uuid4().hex, municipality_id, entries, by_id)
        for (submitter_id, approved, comment, by_id), entries in self.decided.items():
            tasks.changes_decided.enqueue(uuid.uuid4().hex, submitter_id, entries, approved, comment, by_id)
        self.submitted.clear()
        self.decided.clear()


def _batch() -> tuple[_Batch, bool]:
    """This transaction's batch, and whether it must be run by the caller (no transaction)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return _Batch(), True
    for _savepoints, callback, _robust in connection.run_on_commit:
        if isinstance(callback, _Batch) and not callback.done:
            return callback, False
    batch = _Batch()
    transaction.on_commit(batch, robust=True)
    return batch, False


def _describe(entry) -> dict:
    if isinstance(entry, PendingChange):  # a change names its entry; an addition what it adds
        return {"label": entry.title, "url": entry.edit_url}
    return {"label": str(entry), "url": edit_url(entry)}


def _submitters(entries) -> dict[int, int | None]:
    """Who submitted each entry (by its index in `entries`): a pending change names its
    editor; otherwise the latest "submitted" audit entry, else whoever created the row (an
    uploaded price list's prices are pending from the start)."""
    found: dict[int, int | None] = {}
    by_model = defaultdict(list)
    for index, entry in enumerate(entries):
        if isinstance(entry, PendingChange):
            found[index] = entry.submitted_by_id
        else:
            by_model[type(entry)].append(index)
    for model, indexes in by_model.items():
        ids = [str(entries[i].pk) for i in indexes]
        logged = dict(
            ModelLogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(model),
                object_id__in=ids,
                action="publishing.submit",
            )
            .order_by("timestamp", "pk")
            .values_list("object_id", "user_id")
        )
        for i in indexes:
            entry = entries[i]
            found[i] = logged.get(str(entry.pk)) or getattr(entry, "created_by_id", None)
    return found


@receiver(change_submitted, dispatch_uid="notifications-submitted")
def on_submitted(sender, entries, user, **kwargs):
    batch, run_now = _batch()
    for entry in entries:
        municipality = scope.municipality_of(entry)
        batch.submitted[(municipality.pk, user.pk if user else None)].append(_describe(entry))
    if run_now:
        batch()


@receiver(change_decided, dispatch_uid="notifications-decided")
def on_decided(sender, entries, user, approved, comment="", **kwargs):
    entries = list(entries)
    batch, run_now = _batch()
    submitters = _submitters(entries)
    moderator = user.pk if user else None
    for index, entry in enumerate(entries):
        submitter = submitters.get(index)
        if submitter is None or submitter == moderator:
            continue  # nobody to tell, or the moderator decided on their own change
        batch.decided[(submitter, bool(approved), comment or "", moderator)].append(_describe(entry))
    if run_now:
        batch()


@receiver(post_save, sender=Report, dispatch_uid="notifications-report")
def on_report(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        enqueue_on_commit(tasks.report_received, instance.pk)


@receiver(post_save, sender=PriceImport, dispatch_uid="notifications-import")
def on_import(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance.status != PriceImport.Status.APPLIED:
        return
    if update_fields is not None and "status" not in update_fields:
        return
    enqueue_on_commit(tasks.import_applied, instance.pk)


@receiver(report_answered, dispatch_uid="notifications-report-answered")
def on_report_answered(sender, report, **kwargs):
    if report.email:
        enqueue_on_commit(tasks.reply_to_resident, report.pk)
