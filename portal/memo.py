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

from django.db import connection

from directory.models.offers import today

T = TypeVar("T")


class DirectoryMemo:
    def __init__(self, max_entries: int = 1000):
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._stamp: tuple | None = None
        self._values: dict[Hashable, object] = {}

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        if connection.in_atomic_block:
            return compute()
        stamp = (*_versions(), today())
        with self._lock:
            if stamp != self._stamp:
                self._stamp, self._values = stamp, {}
            if key in self._values:
                return self._values[key]  # type: ignore[return-value]
        value = compute()
        with self._lock:
            if self._stamp == stamp and len(self._values) < self.max_entries:
                self._values[key] = value
        return value


def _versions() -> tuple:
    from api.models import DataVersion

    from .models import PageTreeVersion

    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            # With the time of the change: a flushed or restored table starts counting again.
            "SELECT * FROM (SELECT 1) AS one"
            " LEFT JOIN (SELECT number, changed_at FROM {} WHERE id = 1) AS data ON 1 = 1"
            " LEFT JOIN (SELECT number, changed_at FROM {} WHERE id = 1) AS pages ON 1 = 1".format(
                quote(DataVersion._meta.db_table), quote(PageTreeVersion._meta.db_table)
            )
        )
        return cursor.fetchone()


memo = DirectoryMemo()
