"""Keeping the index in step with the directory and the page tree.

Saving or deleting a model marks the documents it affects; when the transaction commits,
all marked documents are rebuilt and indexed in one batch (a municipality's 35 offers and
their 70 prices become one write, not a hundred). Outside a transaction that is at once, so a
published price or a new contact is searchable as soon as it is saved."""

from __future__ import annotations

import logging
import threading
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from directory import content_version
from directory import models as m
from directory.signals import bulk_saved
from jobs.runner import job

from .backends import get_backend
from .documents import documents_for

logger = logging.getLogger(__name__)
_local = threading.local()


def _pending() -> dict[str, set[int]]:
    if not hasattr(_local, "pending"):
        _local.pending = defaultdict(set)
    return _local.pending


def mark(source: str, pks) -> None:
    """Rebuild these documents once the current transaction commits (before the content version
    moves on: `_before_version_moves`)."""
    pks = {pk for pk in pks if pk is not None}
    if not pks:
        return
    _pending()[source].update(pks)
    # Registered each time: a rolled-back transaction drops its callbacks, and flushing
    # drains the whole set, so later callbacks of the same transaction find nothing to do.
    transaction.on_commit(flush)


def flush() -> dict[str, int]:
    """Index every marked document now (more than SEARCH_INDEX_INLINE_LIMIT: in a background
    job); those whose object is gone are deleted."""
    pending, _local.pending = _pending(), defaultdict(set)
    counts: dict[str, int] = {}
    if not any(pending.values()):
        return counts
    if sum(len(pks) for pks in pending.values()) > settings.SEARCH_INDEX_INLINE_LIMIT:
        # A bulk change (an approved price list, an import): re-indexed by a background job,
        # so the request that made it does not wait.
        index_documents.enqueue({source: sorted(pks) for source, pks in pending.items()})
        return counts
    return index_now(pending)


def index_now(pending, strict: bool = False) -> dict[str, int]:
    """Index these documents (source → primary keys); those whose object is gone are deleted.
    A search outage is logged (`strict`: raised, so that a job is retried)."""
    counts: dict[str, int] = {}
    backend = get_backend()
    try:
        for source, pks in pending.items():
            docs = list(documents_for(source, pks))
            counts[source] = backend.index(docs)
            gone = {f"{source}:{pk}" for pk in pks} - {doc.key for doc in docs}
            if gone:
                backend.delete(gone)
    except Exception:  # noqa: BLE001 - a search outage must not undo a saved price
        if strict:
            raise
        logger.exception("Search index update failed; run `manage.py rebuild_search_index`.")
    return counts


@job(attempts=5)
def index_documents(pending: dict[str, list[int]]) -> dict[str, int]:
    """Re-index after a bulk change, in the background (retried while search is down). The
    index is written after the change's own version: move it on again, so that searches keyed
    on it read the index updated."""
    counts = index_now(pending, strict=True)
    content_version.bump()
    return counts


def discard_pending() -> None:
    _local.pending = defaultdict(set)


# -- what each change affects --------------------------------------------------------------


def _ids(qs) -> list[int]:
    return list(qs.values_list("pk", flat=True))


def _component_changed(instance: m.Component) -> None:
    mark("component", [instance.pk])
    mark("offer", _ids(m.Offer.objects.filter(component=instance)))


def _service_changed(instance: m.Service) -> None:
    mark("service", [instance.pk])
    mark("offer", _ids(m.Offer.objects.filter(service=instance)))


def _journey_changed(journey_id: int) -> None:
    mark("journey", [journey_id])
    steps = m.JourneyStep.objects.filter(journey_id=journey_id)
    mark("component", _ids(m.Component.objects.filter(journey_steps__in=steps)))
    mark("service", _ids(m.Service.objects.filter(journey_steps__in=steps)))


def _municipality_changed(instance: m.Municipality) -> None:
    mark("municipality", [instance.pk])
    mark("offer", _ids(instance.offers.all()))
    mark("contact", _ids(instance.contacts.all()))


def _role_changed(instance: m.Role) -> None:
    mark("role", [instance.pk])
    mark("contact", _ids(instance.contacts.all()))


HANDLERS = {
    m.Component: _component_changed,
    m.Service: _service_changed,
    m.Journey: lambda instance: _journey_changed(instance.pk),
    m.JourneyStep: lambda instance: _journey_changed(instance.journey_id),
    m.Municipality: _municipality_changed,
    m.County: lambda instance: [_municipality_changed(x) for x in instance.municipalities.all()],
    m.Role: _role_changed,
    m.ContactPerson: lambda instance: mark("contact", [instance.pk]),
    m.Offer: lambda instance: mark("offer", [instance.pk]),
    m.Price: lambda instance: mark("offer", [instance.offer_id]),
    m.Provider: lambda instance: mark("offer", _ids(instance.offers.all())),
}


def _on_save(sender, instance, raw=False, **kwargs):
    if raw:
        return  # fixtures: the index is rebuilt after loading
    HANDLERS[sender](instance)


def _on_bulk_save(sender, instances, **kwargs):
    for instance in instances:
        HANDLERS[sender](instance)


def _on_delete(sender, instance, **kwargs):
    # The object is gone by commit time; its own document is deleted by key then.
    HANDLERS[sender](instance)


def _on_m2m(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and type(instance) in HANDLERS:
        HANDLERS[type(instance)](instance)


def _on_page(sender, instance, **kwargs):
    mark("page", [instance.pk])


def connect_signals() -> None:
    # The index is written before the content version moves on (not after it, when a search
    # could read the new version with the old index and keep that as current).
    content_version.committing.connect(_before_version_moves, dispatch_uid="search-index-before-version")
    for model in HANDLERS:
        post_save.connect(_on_save, sender=model, dispatch_uid=f"search-save-{model.__name__}")
        bulk_saved.connect(_on_bulk_save, sender=model, dispatch_uid=f"search-bulk-{model.__name__}")
        post_delete.connect(_on_delete, sender=model, dispatch_uid=f"search-delete-{model.__name__}")
    for through in (
        m.Offer.target_groups.through,
        m.Service.target_groups.through,
        m.Service.related_components.through,
        m.Journey.target_groups.through,
        m.JourneyStep.components.through,
        m.JourneyStep.services.through,
    ):
        m2m_changed.connect(_on_m2m, sender=through, dispatch_uid=f"search-m2m-{through.__name__}")

    from wagtail.signals import page_published, page_unpublished

    page_published.connect(_on_page, dispatch_uid="search-page-published")
    page_unpublished.connect(_on_page, dispatch_uid="search-page-unpublished")
    post_delete.connect(_on_page_deleted, dispatch_uid="search-page-deleted")


def _before_version_moves(sender, **kwargs):
    flush()


def _on_page_deleted(sender, instance, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page):
        mark("page", [instance.pk])
