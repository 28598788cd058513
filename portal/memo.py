"""Results derived from the published directory that every request recomputes identically,
kept in this process until the directory changes.

The key is api.DataVersion, the row every committed write to the directory moves on, with
portal.PageTreeVersion, its counterpart for the page tree (both read in one cheap query by primary
key, so every worker on every server sees a change at once), and today's date
(offers come into force and end at midnight). Nothing is remembered while a transaction is open:
what it has read may still be rolled back."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import TypeVar

from django.core.signals import request_finished, request_started
from django.db import connection, connections, router

from directory.models.offers import today

T = TypeVar("T")


class DirectoryMemo:
    def __init__(self, max_entries: int = 1000):
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._stamp: tuple | None = None
        self._values: dict[Hashable, object] = {}

    def get(self, key: Hashable, compute: Callable[[], T], keep_none: bool = True) -> T:
        """`keep_none=False` for lookups by a key from the URL: what is not found is not kept,
        so made-up URLs cannot fill the memo."""
        if connection.in_atomic_block:
            return compute()
        stamp = _current_stamp()
        with self._lock:
            if stamp != self._stamp:
                self._stamp, self._values = stamp, {}
            if key in self._values:
                return self._values[key]  # type: ignore[return-value]
        value = compute()
        with self._lock:
            room = len(self._values) < self.max_entries
            if self._stamp == stamp and room and (keep_none or value is not None):
                self._values[key] = value
        return value


# A GET or HEAD writes nothing to the directory or the page tree, so what it read of the versions
# first holds for the rest of it: one query per request, however many things it looks up.
_request = threading.local()


def _request_started(sender, environ=None, **kwargs) -> None:
    _request.reads_only = (environ or {}).get("REQUEST_METHOD") in {"GET", "HEAD"}
    _request.stamp = None


def _request_finished(sender, **kwargs) -> None:
    _request.reads_only, _request.stamp = False, None


request_started.connect(_request_started, dispatch_uid="portal-memo-request-started")
request_finished.connect(_request_finished, dispatch_uid="portal-memo-request-finished")


def _current_stamp() -> tuple:
    if getattr(_request, "reads_only", False):
        if _request.stamp is None:
            _request.stamp = (*_versions(), today())
        return _request.stamp
    return (*_versions(), today())


def _versions() -> tuple:
    from api.models import DataVersion

    from .models import PageTreeVersion

    # With the time of the change: a flushed or restored table starts counting again.
    sql = " ".join(
        [
            "SELECT * FROM (SELECT 1) AS one",
            _version_join(DataVersion, "data"),
            _version_join(PageTreeVersion, "pages"),
        ]
    )
    # Read where the data is read (the replica, when one serves this request), so the stamp
    # never runs ahead of the rows it stands for.
    with connections[router.db_for_read(DataVersion)].cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()


def _version_join(model, alias: str) -> str:
    table = connection.ops.quote_name(model._meta.db_table)
    return "".join(
        ["LEFT JOIN (SELECT number, changed_at FROM ", table, " WHERE id = 1) AS ", alias, " ON 1 = 1"]
    )


memo = DirectoryMemo()
