"""Results derived from the published directory that every request recomputes identically,
kept in this process until the directory changes.

The key is the content version (directory.content_version, read once per request, so every
worker on every server sees a change at once) and today's date (offers come into force and end
at midnight). Nothing is remembered while a transaction is open:
what it has read may still be rolled back."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar

from django.db import connection
from django.db.models import QuerySet

from directory import content_version
from directory.models.offers import today
from ops import release

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
        kept = self._kept(stamp, [key])
        if key in kept:
            return kept[key]  # type: ignore[return-value]
        value = compute()
        if keep_none or value is not None:
            self._keep(stamp, {key: value})
        return value

    def get_many(self, keys: Iterable[Hashable], compute: Callable[[list], dict]) -> dict:
        """The values of several keys; those not kept yet are computed together, in one call of
        `compute(missing keys)`, which returns a value for each of them. For results read per
        item: a page reads only the items it shows, and the next page only those not read yet."""
        keys = list(keys)
        if connection.in_atomic_block:
            return compute(keys) if keys else {}
        stamp = _current_stamp()
        found = self._kept(stamp, keys)
        missing = [key for key in keys if key not in found]
        if missing:
            computed = compute(missing)
            new = {key: computed[key] for key in missing}
            self._keep(stamp, new)
            found.update(new)
        return found

    def _kept(self, stamp: tuple, keys: list) -> dict:
        """What is kept of the keys under this content version and day (the memo starts afresh
        when either has moved on)."""
        with self._lock:
            if stamp != self._stamp:
                self._stamp, self._values = stamp, {}
            return {key: self._values[key] for key in keys if key in self._values}

    def _keep(self, stamp: tuple, values: dict) -> None:
        """Keep the values read under `stamp`, if it still holds and there is room for them all."""
        with self._lock:
            if self._stamp == stamp and self.max_entries - len(self._values) >= len(values):
                self._values.update(values)


def _current_stamp() -> tuple:
    return (content_version.current().key, today())


memo = DirectoryMemo()

# How long a template fragment of published content is kept ({% cache %}); the content version
# and the day in its key retire it sooner.
FRAGMENT_SECONDS = 24 * 3600


def fragment_cache() -> tuple[int, str]:
    """The timeout and the key part for `{% cache fragment_seconds name <object> LANGUAGE_CODE
    fragment_stamp %}`: the content version, the day and the release (ops.release). Inside a
    transaction nothing is kept (timeout 0): what it has read may still be rolled back or not
    yet be counted."""
    seconds = 0 if connection.in_atomic_block else FRAGMENT_SECONDS
    version, day = _current_stamp()
    return seconds, f"{version}:{day.isoformat()}:{release.current()}"


def kept_shape(build: Callable[..., QuerySet]) -> Callable[..., QuerySet]:
    """A query many pages run alike (the price list of any municipality, say), built by
    `build(language, day, …)` once per process and arguments; each call returns a copy
    (QuerySet.all()), which the caller filters further and reads. Django takes about as long to
    build a query of a few dozen columns (each resolved through the model's relations) as SQLite
    takes to run it. A shape holds no rows — the kept queryset itself is never evaluated — so it
    outlives content versions; what it reads is read afresh every time. Keyed on the day where
    the query names one (in force on …): room for a few days in three languages."""
    kept = functools.lru_cache(maxsize=24)(build)

    @functools.wraps(build)
    def shape(*args: Hashable) -> QuerySet:
        return kept(*args).all()

    return shape
