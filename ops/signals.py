"""Invalidate the public response cache whenever content changes.

Rather than listing the models whose changes show on public pages — a list every new app would
have to remember to join — every model listens, except those of apps whose writes never change
what the public sees (sessions, login bookkeeping, editors' presence pings, analytics counters:
OPS_CACHE_IGNORED_APPS). The bump runs on commit: a request that reads the new version then also
reads the new data, and a rolled-back change invalidates nothing."""

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from .cache import bump_data_version

DISPATCH_PREFIX = "ops-cache-invalidation"


def _affects_public(model) -> bool:
    meta = model._meta
    if meta.app_label in settings.OPS_CACHE_IGNORED_APPS:
        return False
    return f"{meta.app_label}.{meta.model_name}" not in settings.OPS_CACHE_IGNORED_MODELS


def _bump_on_commit(using: str) -> None:
    # One bump per transaction is enough, however many rows it saved.
    pending = getattr(connections[using], "run_on_commit", [])
    if any(entry[1] is bump_data_version for entry in pending):
        return
    transaction.on_commit(bump_data_version, using=using)


def content_changed(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    if kwargs.get("raw"):  # loaddata: the loader decides when the cache goes stale
        return
    _bump_on_commit(using)


def relation_changed(sender, instance, action, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    if action in {"post_add", "post_remove", "post_clear"} and _affects_public(type(instance)):
        _bump_on_commit(using)


def page_tree_changed(sender, **kwargs) -> None:
    _bump_on_commit(DEFAULT_DB_ALIAS)


def connect_invalidation() -> None:
    """Connect per model, not to every sender: models with no listener keep Django's fast
    bulk delete (sessions, log entries)."""
    for model in apps.get_models(include_auto_created=False):
        if _affects_public(model):
            uid = f"{DISPATCH_PREFIX}:{model._meta.label_lower}"
            post_save.connect(content_changed, sender=model, dispatch_uid=f"{uid}:save")
            post_delete.connect(content_changed, sender=model, dispatch_uid=f"{uid}:delete")
    m2m_changed.connect(relation_changed, dispatch_uid=f"{DISPATCH_PREFIX}:m2m")
    # Set-based writes to the directory (e.g. a whole price list approved at once).
    from directory.signals import bulk_saved

    bulk_saved.connect(content_changed, dispatch_uid=f"{DISPATCH_PREFIX}:bulk")
    try:
        from wagtail import signals as wagtail_signals
    except ImportError:  # pragma: no cover - Wagtail is a dependency; keep ops importable alone
        return
    # Moving pages rewrites the tree with raw updates that send no post_save; publishing may too.
    for signal in ("published", "unpublished", "page_published", "page_unpublished", "post_page_move"):
        getattr(wagtail_signals, signal).connect(
            page_tree_changed, dispatch_uid=f"{DISPATCH_PREFIX}:{signal}"
        )
