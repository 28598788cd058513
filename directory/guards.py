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

- A correction is the one way to change what a past date cost: the trigger lets a published
  row's amounts change only to exactly the values the latest `PriceCorrection` row recorded for
  it, from exactly the values it recorded as previous — so every such change has its reason,
  author and time on record first. Correction rows are append-only (their own trigger).

Nothing switches the guard off at run time. On SQLite only the test suite's table flush does
(a connection flag read by a registered SQL function; PostgreSQL's TRUNCATE fires no row
triggers). An application role without the owner's rights cannot drop the triggers
(docs/DEPLOYMENT.md)"""

from __future__ import annotations

MESSAGE = "published price history cannot be changed"

# What a correction may change on a published row (directory.models.PriceCorrection).
AMOUNTS = ("price_individual", "price_group", "client_share_amount", "client_share_percent")
# Columns that must stay as they are on a published row.
FIXED = (
    "offer_id",
    "unit_id",
    "currency",
    "valid_from",
    "status",
    "published_at",
    "created_at",
    "created_by_id",
)


def _same(columns, new: str, old: str, op: str) -> str:
    return " AND ".join(f"{new}{c} {op} {old}{c}" for c in columns)


def _allowed(op: str, corrections: bool) -> str:
    """SQL true for the changes history allows to a published row (OLD → NEW): closing its
    validity, or — once corrections exist — the amounts the latest correction recorded for it."""
    closing = (
        f"(NEW.valid_to {op} OLD.valid_to OR (NEW.valid_to IS NOT NULL "
        "AND (OLD.valid_to IS NULL OR NEW.valid_to < OLD.valid_to)))"
    )
    allowed = f"({_same(AMOUNTS, 'NEW.', 'OLD.', op)} AND {closing})"
    if corrections:
        latest = "(SELECT max(id) FROM directory_pricecorrection WHERE price_id = OLD.id)"
        allowed += f""" OR (NEW.valid_to {op} OLD.valid_to AND EXISTS (
            SELECT 1 FROM directory_pricecorrection c WHERE c.id = {latest}
            AND {_same(AMOUNTS, "c.old_", "OLD.", op)} AND {_same(AMOUNTS, "c.new_", "NEW.", op)}))"""  # noqa: S608
    return f"{_same(FIXED, 'NEW.', 'OLD.', op)} AND ({allowed})"


def _postgresql_install(corrections: bool) -> list[str]:
    statements = [
        "CREATE EXTENSION IF NOT EXISTS btree_gist",
        f"""
CREATE OR REPLACE FUNCTION directory_price_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status <> 'published' THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    IF TG_OP = 'UPDATE' AND {_allowed("IS NOT DISTINCT FROM", corrections)} THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '{MESSAGE} (price %)', OLD.id USING ERRCODE = 'integrity_constraint_violation';
END;
$$""",
        "DROP TRIGGER IF EXISTS directory_price_guard ON directory_price",
        """CREATE TRIGGER directory_price_guard BEFORE UPDATE OR DELETE ON directory_price
           FOR EACH ROW EXECUTE FUNCTION directory_price_guard()""",
    ]
    if corrections:
        statements += [
            f"""
CREATE OR REPLACE FUNCTION directory_price_correction_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{CORRECTIONS_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
END;
$$""",
            """CREATE TRIGGER directory_price_correction_guard BEFORE UPDATE OR DELETE
               ON directory_pricecorrection FOR EACH ROW
               EXECUTE FUNCTION directory_price_correction_guard()""",
        ]
    else:
        statements += [
            "DROP TRIGGER IF EXISTS directory_price_correction_guard ON directory_pricecorrection",
            "DROP FUNCTION IF EXISTS directory_price_correction_guard()",
        ]
    return statements


CORRECTIONS_MESSAGE = "price corrections are a record and cannot be changed"
POSTGRESQL_OVERLAP = """ALTER TABLE directory_price ADD CONSTRAINT price_published_periods_do_not_overlap
       EXCLUDE USING gist (offer_id WITH =, daterange(valid_from, valid_to, '[]') WITH &&)
       WHERE (status = 'published') DEFERRABLE INITIALLY DEFERRED"""
POSTGRESQL_UNINSTALL = [
    "ALTER TABLE directory_price DROP CONSTRAINT IF EXISTS price_published_periods_do_not_overlap",
    "DROP TRIGGER IF EXISTS directory_price_guard ON directory_price",
    "DROP FUNCTION IF EXISTS directory_price_guard()",
]

_SQLITE_OVERLAP = """
    NEW.status = 'published' AND EXISTS (
        SELECT 1 FROM directory_price p
        WHERE p.offer_id = NEW.offer_id AND p.id IS NOT NEW.id AND p.status = 'published'
          AND p.valid_from <= COALESCE(NEW.valid_to, '9999-12-31')
          AND NEW.valid_from <= COALESCE(p.valid_to, '9999-12-31'))"""


def _sqlite_guard(corrections: bool) -> list[str]:
    statements = [
        "DROP TRIGGER IF EXISTS directory_price_guard_update",
        f"""CREATE TRIGGER directory_price_guard_update BEFORE UPDATE ON directory_price
            WHEN OLD.status = 'published' AND NOT directory_price_guard_off()
                 AND NOT ({_allowed("IS", corrections)})
            BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
        "DROP TRIGGER IF EXISTS directory_price_correction_guard",
    ]
    if corrections:
        statements.append(
            f"""CREATE TRIGGER directory_price_correction_guard BEFORE DELETE ON directory_pricecorrection
                WHEN NOT directory_price_guard_off()
                BEGIN SELECT RAISE(ABORT, '{CORRECTIONS_MESSAGE}'); END"""
        )
        statements.append(
            f"""CREATE TRIGGER directory_price_correction_fixed BEFORE UPDATE ON directory_pricecorrection
                BEGIN SELECT RAISE(ABORT, '{CORRECTIONS_MESSAGE}'); END"""
        )
    else:
        statements.append("DROP TRIGGER IF EXISTS directory_price_correction_fixed")
    return statements


SQLITE_INSTALL = [
    *_sqlite_guard(corrections=False),
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
        return (
            [*_postgresql_install(corrections=False), POSTGRESQL_OVERLAP] if install else POSTGRESQL_UNINSTALL
        )
    if vendor == "sqlite":
        return SQLITE_INSTALL if install else SQLITE_UNINSTALL
    return []


def _run(schema_editor, statements) -> None:
    for sql in statements:
        schema_editor.execute(sql, params=None)


def install(apps, schema_editor) -> None:
    _run(schema_editor, _statements(schema_editor.connection.vendor, True))


def uninstall(apps, schema_editor) -> None:
    _run(schema_editor, _statements(schema_editor.connection.vendor, False))


def _corrections(schema_editor, on: bool) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, _postgresql_install(corrections=on))
    elif vendor == "sqlite":
        _run(schema_editor, _sqlite_guard(corrections=on))


def allow_corrections(apps, schema_editor) -> None:
    """Let the trigger pass a published price's amounts when they match its latest correction."""
    _corrections(schema_editor, True)


def refuse_corrections(apps, schema_editor) -> None:
    _corrections(schema_editor, False)


def register_sqlite_function(sender, connection, **kwargs) -> None:
    """`directory_price_guard_off()` for the SQLite triggers: true only while the
    test suite flushes tables (tests/conftest.py).
    A connection without it (the sqlite3 shell) cannot change price rows at all."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "directory_price_guard_off", 0, lambda: int(getattr(connection, "price_guard_off", False))
        )
