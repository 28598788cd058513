"""Create (or update) the PostgreSQL role the portal runs as: it may read and write rows, but
it is no superuser, owns nothing and cannot change the schema — so it cannot drop the triggers
that guard published price history (directory/guards.py). Migrations keep running as the
owner (the role in the owner's DATABASE_URL). See docs/DEPLOYMENT.md, "Database roles"."""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from psycopg import sql


class Command(BaseCommand):
    help = (
        "Create or update the least-privilege PostgreSQL role the application connects as "
        "(run as the database owner, after migrate)."
    )

    def add_arguments(self, parser):
        parser.add_argument("role", help="Name of the application role, e.g. abiportaal_app.")
        parser.add_argument(
            "--password-env",
            default="APP_DB_PASSWORD",
            help="Environment variable holding the role's password (default: APP_DB_PASSWORD).",
        )
        parser.add_argument("--database", default="default", help="Database alias (default: default).")
        parser.add_argument("--dry-run", action="store_true", help="Print the statements only.")

    def handle(self, *args, role: str, password_env: str, database: str, dry_run: bool, **options):
        connection = connections[database]
        if connection.vendor != "postgresql":
            raise CommandError("Roles exist only on PostgreSQL; SQLite has no users.")
        password = os.environ.get(password_env)
        if not password and not dry_run:
            raise CommandError(f"Set the role's password in the environment variable {password_env}.")
        dbname = connection.settings_dict["NAME"]
        name = sql.Identifier(role)
        statements = [
            sql.SQL(
                "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {role_literal}) THEN "
                "CREATE ROLE {role} LOGIN; END IF; END $$"
            ).format(role=name, role_literal=sql.Literal(role)),
            sql.SQL("ALTER ROLE {} NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS").format(
                name
            ),
            sql.SQL("REVOKE CREATE ON SCHEMA public FROM PUBLIC"),
            sql.SQL("REVOKE ALL ON DATABASE {} FROM {}").format(sql.Identifier(dbname), name),
            sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}").format(sql.Identifier(dbname), name),
            sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(name),
            sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}").format(name),
            sql.SQL("GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {}").format(name),
            # Tables and sequences the owner's later migrations create.
            sql.SQL(
                "ALTER DEFAULT PRIVILEGES IN SCHEMA public "
                "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {}"
            ).format(name),
            sql.SQL(
                "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {}"
            ).format(name),
        ]
        with connection.cursor() as cursor:
            raw = cursor.connection
            if password and not dry_run:
                statements.insert(2, sql.SQL("ALTER ROLE {} PASSWORD {}").format(name, sql.Literal(password)))
            for statement in statements:
                text = statement.as_string(raw)
                if dry_run:
                    self.stdout.write(text.replace(password, "***") if password else text)
                else:
                    cursor.execute(text)
        if not dry_run:
            self.stdout.write(
                f"Role {role}: can read and write rows of {dbname}; no superuser, no schema changes. "
                "Connect the application as this role; run migrate as the owner."
            )
