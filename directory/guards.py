"""The database itself guards published price history (*hinnaajalugu*), so no code path — a
forgotten `save()` override, a `bulk_create(update_conflicts=True)`, a raw UPDATE in a shell —
can rewrite what a past date cost.

- A trigger refuses UPDATE and DELETE of a published price row, except the one change history
  allows: closing its validity (`valid_to` set, or moved earlier; never reopened or extended).
  An UPDATE that changes nothing passes.
- On PostgreSQL an exclusion constraint (btree_gist) refuses two published prices of one offer
  whose periods overlap; SQLite gets a trigger with the same rule.
- The unique constraint "price_one_per_offer_and_start" (in the model's Meta) refuses a second
  pending or published price for the same offer and start date.

`lifted()` switches the trigger off for one transaction on one connection (SET LOCAL on
PostgreSQL, a connection flag read by a registered SQL function on SQLite). Only the test suite's
table flush uses it; it is the hook a future correction path would use. An application role
without the owner's rights cannot drop the trigger (docs/DEPLOYMENT.md)."""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connections, transaction

SETTING = "abiportaal.price_guard"
MESSAGE = "published price history cannot be changed"

# Columns that must stay as they are on a published row.
FIXED = (
    "offer_id",
    "unit_id",
    "price_individual",
    "price_group",
    "client_share_amount",
    "client_share_percent",
    "currency",
    "valid_from",
    "status",
    "published_at",
    "created_at",
    "created_by_id",
)

POSTGRESQL_INSTALL = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    f"""
CREATE OR REPLACE FUNCTION directory_price_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status <> 'published' OR current_setting('{SETTING}', true) = 'off' THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    IF TG_OP = 'UPDATE'
       AND {" AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in FIXED)}
       AND (NEW.valid_to IS NOT DISTINCT FROM OLD.valid_to
            OR (NEW.valid_to IS NOT NULL AND (OLD.valid_to IS NULL OR NEW.valid_to < OLD.valid_to)))
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '{MESSAGE} (price %)', OLD.id USING ERRCODE = 'integrity_constraint_violation';
END;
$$""",
    "DROP TRIGGER IF EXISTS directory_price_guard ON directory_price",
    """CREATE TRIGGER directory_price_guard BEFORE UPDATE OR DELETE ON directory_price
       FOR EACH ROW EXECUTE FUNCTION directory_price_guard()""",
    """ALTER TABLE directory_price ADD CONSTRAINT price_published_periods_do_not_overlap
       EXCLUDE USING gist (offer_id WITH =, daterange(valid_from, valid_to, '[]') WITH &&)
       WHERE (status = 'published') DEFERRABLE INITIALLY DEFERRED""",
]
POSTGRESQL_UNINSTALL = [
    "ALTER TABLE directory_price DROP CONSTRAINT IF EXISTS price_published_periods_do_not_overlap",
    "DROP TRIGGER IF EXISTS directory_price_guard ON directory_price",
    "DROP FUNCTION IF EXISTS directory_price_guard()",
]

_SQLITE_CLOSING = (
    "(NEW.valid_to IS OLD.valid_to OR (NEW.valid_to IS NOT NULL "
    "AND (OLD.valid_to IS NULL OR NEW.valid_to < OLD.valid_to)))"
)
_SQLITE_OVERLAP = """
    NEW.status = 'published' AND EXISTS (
        SELECT 1 FROM directory_price p
        WHERE p.offer_id = NEW.offer_id AND p.id IS NOT NEW.id AND p.status = 'published'
          AND p.valid_from <= COALESCE(NEW.valid_to, '9999-12-31')
          AND NEW.valid_from <= COALESCE(p.valid_to, '9999-12-31'))"""
SQLITE_INSTALL = [
    f"""CREATE TRIGGER directory_price_guard_update BEFORE UPDATE ON directory_price
        WHEN OLD.status = 'published' AND NOT directory_price_guard_off() AND NOT (
            {" AND ".join(f"NEW.{c} IS OLD.{c}" for c in FIXED)} AND {_SQLITE_CLOSING})
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER directory_price_guard_delete BEFORE DELETE ON directory_price
        WHEN OLD.status = 'published' AND NOT directory_price_guard_off()
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER directory_price_no_overlap_insert BEFORE INSERT ON directory_price
        WHEN {_SQLITE_OVERLAP}
        BEGIN SELECT RAISE(ABORT, 'published prices of one offer overlap'); END""",
    f"""CREATE TRIGGER directory_price_no_overlap_update BEFORE UPDATE ON directory_price
        WHEN {_SQLITE_OVERLAP}
        BEGIN SELECT RAISE(ABORT, 'published prices of one offer overlap'); END""",
]
SQLITE_UNINSTALL = [
    f"DROP TRIGGER IF EXISTS {name}"
    for name in (
        "directory_price_guard_update",
        "directory_price_guard_delete",
        "directory_price_no_overlap_insert",
        "directory_price_no_overlap_update",
    )
]


def _statements(vendor: str, install: bool) -> list[str]:
    if vendor == "postgresql":
        return POSTGRESQL_INSTALL if install else POSTGRESQL_UNINSTALL
    if vendor == "sqlite":
        return SQLITE_INSTALL if install else SQLITE_UNINSTALL
    return []


def install(apps, schema_editor) -> None:
    for sql in _statements(schema_editor.connection.vendor, True):
        schema_editor.execute(sql, params=None)


def uninstall(apps, schema_editor) -> None:
    for sql in _statements(schema_editor.connection.vendor, False):
        schema_editor.execute(sql, params=None)


def register_sqlite_function(sender, connection, **kwargs) -> None:
    """`directory_price_guard_off()` for the SQLite triggers: true only inside `lifted()`.
    A connection without it (the sqlite3 shell) cannot change price rows at all."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "directory_price_guard_off", 0, lambda: int(getattr(connection, "price_guard_off", False))
        )


@contextmanager
def lifted(using: str = "default"):
    """Switch the price-history trigger off for the enclosed writes (one transaction)."""
    connection = connections[using]
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, 'off', true)", [SETTING])
        connection.price_guard_off = True
        try:
            yield
        finally:
            connection.price_guard_off = False
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT set_config(%s, 'on', true)", [SETTING])
