"""Reads from a streaming replica, writes to the primary.

Active only when settings.DATABASES has a "replica" alias (DATABASE_REPLICA_URL). Reads stay on
the primary when they must see the latest write: inside a transaction on the primary (a
publish reads what it is about to change), for models that hold sessions and logins, and for
the whole of a request that ops.middleware.PrimaryDatabaseMiddleware pins (writes, the admin,
logged-in editors, the seconds after a content change)."""

import contextlib
import contextvars

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
# Apps whose rows are written and read back within moments (logins, sessions, admin state).
PRIMARY_ONLY_APPS = {"auth", "sessions", "admin", "contenttypes", "wagtailadmin", "wagtailusers"}

_pinned: contextvars.ContextVar[bool] = contextvars.ContextVar("db_pinned_to_primary", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextlib.contextmanager
def primary_only(pin: bool = True):
    """Within this block every read goes to the primary (if `pin`)."""
    token = _pinned.set(pin or _pinned.get())
    try:
        yield
    finally:
        _pinned.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if not replica_configured():
            return None
        if _pinned.get() or model._meta.app_label in PRIMARY_ONLY_APPS:
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same database.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
