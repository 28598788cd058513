"""Consistent backups of the whole database, and restoring them.

PostgreSQL: pg_dump in its custom format (one snapshot, so every price and its history are
from the same moment; compressed; restorable table by table). SQLite: the online backup API,
which copies a consistent image while the portal keeps running. The file's first bytes say
which kind it is, so restore_data needs no flag.

A backup is first written beside its destination and renamed into place only when complete: a
half-written file never looks like a backup."""

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import dj_database_url
from django.db import connections

PG_MAGIC = b"PGDMP"
SQLITE_MAGIC = b"SQLite format 3\x00"


class BackupError(Exception):
    pass


@dataclass
class Target:
    """A database to back up or restore into: Django's connection settings dict, plus the live
    connection when it is one of the portal's own aliases."""

    settings: dict
    alias: str | None = None

    @classmethod
    def from_alias(cls, alias: str) -> "Target":
        return cls(connections[alias].settings_dict, alias)

    @classmethod
    def from_url(cls, url: str) -> "Target":
        return cls(dj_database_url.parse(url))

    @property
    def vendor(self) -> str:
        engine = self.settings["ENGINE"]
        if "postgresql" in engine:
            return "postgresql"
        if "sqlite3" in engine:
            return "sqlite"
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {engine}.")

    @property
    def name(self) -> str:
        return str(self.settings["NAME"])


def kind_of(path: Path) -> str:
    with open(path, "rb") as file:
        head = file.read(16)
    if head.startswith(PG_MAGIC):
        return "postgresql"
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    raise BackupError(f"{path} is not a backup made by backup_data (neither pg_dump nor SQLite).")


def _pg_command(program: str, target: Target) -> tuple[list[str], dict]:
    if shutil.which(program) is None:
        raise BackupError(f"{program} is not installed (Debian: apt-get install postgresql-client).")
    s = target.settings
    env = {**os.environ}
    # The password goes through the environment, never the command line (visible in ps).
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = str(s["PASSWORD"])
    args = [program, "--no-owner", "--no-privileges", "--dbname", s["NAME"]]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if s.get(key):
            args += [option, str(s[key])]
    return args, env


def _run(args: list[str], env: dict) -> None:
    # An argument list (no shell) of our own program names and settings.
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{args[0]} failed: {result.stderr.strip() or result.stdout.strip()}")


def backup(target: Target, destination: Path) -> None:
    destination = destination.resolve()
    destination.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(prefix=f".{destination.name}.", dir=destination.parent)
    os.close(handle)
    partial = Path(partial)
    try:
        if target.vendor == "postgresql":
            args, env = _pg_command("pg_dump", target)
            _run([*args, "--format=custom", "--file", str(partial)], env)
        else:
            _sqlite_backup(target, partial)
        with open(partial, "rb") as file:
            os.fsync(file.fileno())
        partial.replace(destination)
    finally:
        partial.unlink(missing_ok=True)


def _regexp(pattern: str | None, value) -> bool | None:
    """SQLite's REGEXP as Django defines it on its own connections (`__regex` lookups)."""
    if pattern is None or value is None:
        return None
    return re.search(pattern, str(value)) is not None


def _sqlite_connect(*args, **kwargs) -> sqlite3.Connection:
    """A raw SQLite connection with REGEXP, which Django adds to its own connections: CHECK
    constraints of the schema use it, and PRAGMA integrity_check evaluates the constraints."""
    connection = sqlite3.connect(*args, **kwargs)
    connection.create_function("REGEXP", 2, _regexp, deterministic=True)
    return connection


def _sqlite_backup(target: Target, partial: Path) -> None:
    partial.unlink()  # sqlite3 creates the file itself
    destination = _sqlite_connect(partial)
    try:
        if target.alias is not None:
            # The portal's own connection: also right for the in-memory databases of tests.
            connection = connections[target.alias]
            connection.ensure_connection()
            connection.connection.backup(destination)
        else:
            source = _sqlite_connect(f"file:{target.name}?mode=ro", uri=True)
            try:
                source.backup(destination)
            finally:
                source.close()
        (status,) = destination.execute("PRAGMA integrity_check").fetchone()
        if status != "ok":
            raise BackupError(f"The backup failed its integrity check: {status}")
    finally:
        destination.close()


def restore(source: Path, target: Target) -> None:
    kind = kind_of(source)
    if kind != target.vendor:
        raise BackupError(f"{source} is a {kind} backup; the target database is {target.vendor}.")
    if kind == "postgresql":
        if target.alias is not None:
            connections[target.alias].close()
        args, env = _pg_command("pg_restore", target)
        # One transaction: a restore that fails part-way leaves the database as it was.
        _run([*args, "--clean", "--if-exists", "--single-transaction", "--exit-on-error", str(source)], env)
        return
    backup_file = _sqlite_connect(f"file:{source}?mode=ro", uri=True)
    try:
        if target.alias is not None:
            connection = connections[target.alias]
            connection.ensure_connection()
            backup_file.backup(connection.connection)
        else:
            destination = _sqlite_connect(target.name)
            try:
                backup_file.backup(destination)
            finally:
                destination.close()
    finally:
        backup_file.close()


def count_rows(target: Target, table: str) -> int:
    """Rows of `table` in the target, read over a fresh connection (what a restore really left)."""
    if target.alias is not None:
        with connections[target.alias].cursor() as cursor:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - table name from a model
            return cursor.fetchone()[0]
    if target.vendor == "sqlite":
        connection = _sqlite_connect(f"file:{target.name}?mode=ro", uri=True)
        try:
            return connection.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
        finally:
            connection.close()
    import psycopg

    s = target.settings
    with psycopg.connect(
        dbname=s["NAME"],
        host=s.get("HOST") or None,
        port=s.get("PORT") or None,
        user=s.get("USER") or None,
        password=s.get("PASSWORD") or None,
    ) as connection:
        return connection.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
