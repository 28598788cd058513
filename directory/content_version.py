"""One content version: the counter of published content (directory.models.ContentVersion).

Every committed transaction that changed something the public reads moves it on once
(`changed`, connected in DirectoryConfig.ready to the models in PUBLIC_MODELS). Whatever is
built from that content and kept — cached responses and template fragments, the per-process
memo, the API's Last-Modified, the open-data files — is keyed on `current()`, so a published
price shows everywhere at once and a write to anything else (a resident's report, an import
preview, an image rendition, a search log line) invalidates nothing.

The bump runs after commit: a request that reads the new version also reads the new rows, and
a rolled-back change moves nothing. It logs and continues if it fails — the editor's write is
already committed and must not come back as an error.

    from directory import content_version
    content_version.current().key   # "41.1796543210123456": part of every cache key
    content_version.bump()          # after writes that send no model signals (raw SQL, restore)
    content_version.bumped          # signal sent after each bump, with `version`
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass

from django.apps import apps
from django.core.signals import request_finished, request_started
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import Signal

from .models import ContentVersion
from .signals import bulk_saved

logger = logging.getLogger(__name__)

# What the public reads: an app label (all its models) or a model label. Page means every
# page type. Not here, on purpose: feedback reports, import previews and uploads, search logs,
# image renditions, sessions and logins.
PUBLIC_MODELS = (
    "directory",
    "wagtailcore.page",
    "wagtailcore.site",
    "wagtailcore.pageviewrestriction",
    "search.synonym",
    "referrals",
)
DISPATCH_UID = "content-version"

# Sent in the process that moved the version on, with `version`: for what wants to know when
# content changed (ops pins reads to the primary database for a few seconds after).
bumped = Signal()
# Sent after a commit that changed public content, just before the version moves on: for stores
# derived from the content and written on commit (the search index), so that whoever reads the
# new version reads them updated too. Receivers that fail are logged; the version still moves.
committing = Signal()


@dataclass(frozen=True)
class Version:
    number: int
    changed_at: dt.datetime

    @property
    def key(self) -> str:
        """For cache keys. The time is part of it: a restored or flushed table counts again
        from an old number, never from an old time."""
        return f"{self.number}.{int(self.changed_at.timestamp() * 1_000_000)}"


NEVER_CHANGED = Version(0, dt.datetime(1970, 1, 1, tzinfo=dt.UTC))

# A GET or HEAD writes no content, so the version it read first holds for the rest of it: one
# query per request, however many caches ask.
_request = threading.local()


def current() -> Version:
    """The version of the content this request reads (from the database it reads from)."""
    if getattr(_request, "reads_only", False):
        if _request.version is None:
            _request.version = _read(router.db_for_read(ContentVersion))
        return _request.version
    return _read(router.db_for_read(ContentVersion))


def bump() -> Version:
    """Move the version on now: every cached response, fragment and memo entry is stale."""
    using = router.db_for_write(ContentVersion)
    now = dt.datetime.now(dt.UTC)
    rows = ContentVersion.objects.db_manager(using)
    if not rows.filter(pk=1).update(number=F("number") + 1, changed_at=now):
        rows.get_or_create(pk=1, defaults={"number": 1, "changed_at": now})
    _request.version = None
    version = _read(using)
    for receiver, error in bumped.send_robust(sender=ContentVersion, version=version):
        if isinstance(error, Exception):
            logger.error("%r failed after the content version moved on", receiver, exc_info=error)
    return version


def _read(using: str) -> Version:
    """One primary-key read, on every request: plain SQL, since building it with the ORM costs
    ten times as much as running it (~0.2 ms, most of a cached page's cost)."""
    connection = connections[using]
    table = connection.ops.quote_name(ContentVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT number, changed_at FROM {table} WHERE id = 1")  # noqa: S608 — our own table name
        row = cursor.fetchone()
    # No row before the first change is counted (a fresh or flushed database): reads never write.
    if row is None:
        return NEVER_CHANGED
    number, changed_at = row
    # Stored in UTC; SQLite hands it back without its time zone.
    return Version(number, changed_at if changed_at.tzinfo else changed_at.replace(tzinfo=dt.UTC))


def changed(sender=None, using: str | None = None, **kwargs) -> None:
    """Receiver: content the public reads changed; move the version on once this transaction
    commits (one bump per transaction, however many rows it saved)."""
    if kwargs.get("raw"):  # loaddata: the loader decides
        return
    if kwargs.get("action", "post_add") not in {"post_add", "post_remove", "post_clear"}:
        return
    using = using or DEFAULT_DB_ALIAS
    pending = connections[using].run_on_commit
    if connections[using].in_atomic_block and any(entry[1] is _bump_after_commit for entry in pending):
        return
    transaction.on_commit(_bump_after_commit, using=using, robust=True)


def _bump_after_commit() -> None:
    for receiver, error in committing.send_robust(sender=ContentVersion):
        if isinstance(error, Exception):
            logger.error("%r failed before the content version moved on", receiver, exc_info=error)
    try:
        bump()
    except Exception:  # noqa: BLE001 - the write is committed; the editor must not see an error
        logger.exception(
            "The content version did not move on; public caches may show the previous content "
            "until the next change or `manage.py invalidate_cache`."
        )


def public_models() -> list:
    page = apps.get_model("wagtailcore", "Page")
    found = []
    for model in apps.get_models():
        label = model._meta.label_lower
        if model is ContentVersion:
            continue
        if (
            model._meta.app_label in PUBLIC_MODELS
            or label in PUBLIC_MODELS
            or (issubclass(model, page) and "wagtailcore.page" in PUBLIC_MODELS)
        ):
            found.append(model)
    return found


def connect() -> None:
    from wagtail import signals as wagtail_signals

    for model in public_models():
        uid = f"{DISPATCH_UID}:{model._meta.label_lower}"
        post_save.connect(changed, sender=model, dispatch_uid=f"{uid}:save")
        post_delete.connect(changed, sender=model, dispatch_uid=f"{uid}:delete")
        bulk_saved.connect(changed, sender=model, dispatch_uid=f"{uid}:bulk")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(changed, sender=through, dispatch_uid=f"{uid}:m2m:{field.name}")
    # Moving a page rewrites paths with raw updates that send no post_save.
    for name in ("page_published", "page_unpublished", "post_page_move"):
        getattr(wagtail_signals, name).connect(changed, dispatch_uid=f"{DISPATCH_UID}:{name}")
    request_started.connect(_request_started, dispatch_uid=f"{DISPATCH_UID}:request-started")
    request_finished.connect(_request_finished, dispatch_uid=f"{DISPATCH_UID}:request-finished")


def _request_started(sender, environ=None, **kwargs) -> None:
    _request.reads_only = (environ or {}).get("REQUEST_METHOD") in {"GET", "HEAD"}
    _request.version = None


def _request_finished(sender, **kwargs) -> None:
    _request.reads_only, _request.version = False, None
