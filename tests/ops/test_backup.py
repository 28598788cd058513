"""A backup restored into an empty database holds every price, superseded ones included, exactly
as it was; a file that is not a backup is refused and changes nothing."""

import datetime as dt
import io
import sqlite3
import uuid
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from directory.models import Price
from tests.factories import OfferFactory, PriceFactory, published_price

# pg_dump and the SQLite backup read over their own connection: the data must be committed.
pytestmark = pytest.mark.django_db(transaction=True)

PRICE_COLUMNS = [
    "id", "offer_id", "unit_id", "price_individual", "price_group", "client_share_amount",
    "client_share_percent", "currency", "valid_from", "valid_to", "status",
]  # fmt: skip


@pytest.fixture
def price_history():
    """Three offers, each with a superseded and a current price, one also a scheduled and a draft."""
    offers = OfferFactory.create_batch(3)
    for n, offer in enumerate(offers):
        published_price(offer, dt.date(2023, 1, 1), f"{5 + n}.10")
        published_price(offer, dt.date(2024, 7, 1), f"{6 + n}.25")
    published_price(offers[0], dt.date(2099, 1, 1), "9.99")
    PriceFactory(offer=offers[1], valid_from=dt.date(2026, 1, 1), price_individual="8.00")
    rows = normalise(Price.objects.order_by("id").values_list(*PRICE_COLUMNS))
    assert len(rows) == 8 and sum(1 for row in rows if row[-1] == "published") == 7
    return rows


def normalise(rows) -> list[tuple]:
    """Rows as comparable text; numbers by value (SQLite hands decimals back as floats)."""

    def text(value):
        if isinstance(value, int | float | Decimal):
            return str(Decimal(str(value)).normalize())
        return str(value)

    return [tuple(text(v) for v in row) for row in rows]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite backup API")
def test_sqlite_backup_restores_every_price_into_an_empty_database(price_history, tmp_path):
    backup_file = tmp_path / "portal.backup"
    out = io.StringIO()
    call_command("backup_data", str(backup_file), stdout=out)
    assert "8 prices" in out.getvalue()

    empty = tmp_path / "restored.sqlite3"
    sqlite3.connect(empty).close()
    out = io.StringIO()
    call_command(
        "restore_data", str(backup_file), "--database-url", f"sqlite:///{empty}", "--noinput", stdout=out
    )
    assert "8 prices" in out.getvalue()

    with sqlite3.connect(empty) as restored:
        rows = restored.execute(
            f"SELECT {', '.join(PRICE_COLUMNS)} FROM directory_price ORDER BY id"
        ).fetchall()
    assert normalise(rows) == price_history


@pytest.fixture
def empty_postgres_database():
    import psycopg

    settings = connection.settings_dict
    name = f"abi_ops_restore_{uuid.uuid4().hex[:8]}"
    params = {
        "host": settings["HOST"] or None,
        "port": settings["PORT"] or None,
        "user": settings["USER"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT'] or 5432}/{name}"
    try:
        yield url, lambda: psycopg.connect(dbname=name, **params)
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump / pg_restore")
def test_postgres_backup_restores_every_price_into_a_fresh_database(
    price_history, tmp_path, empty_postgres_database
):
    url, connect = empty_postgres_database
    with connect() as fresh:
        tables = fresh.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0]
    assert tables == 0, "the target starts empty"

    backup_file = tmp_path / "portal.dump"
    call_command("backup_data", str(backup_file), stdout=io.StringIO())
    assert backup_file.read_bytes()[:5] == b"PGDMP"

    out = io.StringIO()
    call_command("restore_data", str(backup_file), "--database-url", url, "--noinput", stdout=out)
    assert "3 offers, 8 prices" in out.getvalue()

    with connect() as restored:
        rows = restored.execute(
            f"SELECT {', '.join(PRICE_COLUMNS)} FROM directory_price ORDER BY id"
        ).fetchall()
    assert normalise(rows) == price_history


def test_a_file_that_is_not_a_backup_is_refused_and_changes_nothing(price_history, tmp_path):
    bogus = tmp_path / "prices.csv"
    bogus.write_text("offer,price\n1,5.00\n")
    with pytest.raises(CommandError, match="is not a backup made by backup_data"):
        call_command("restore_data", str(bogus), "--noinput")
    assert Price.objects.count() == len(price_history)


def test_restoring_a_backup_of_the_other_database_kind_is_refused(price_history, tmp_path):
    other = tmp_path / "other.backup"
    other.write_bytes(
        b"SQLite format 3\x00" if connection.vendor == "postgresql" else b"PGDMP" + b"\x00" * 20
    )
    with pytest.raises(CommandError, match="backup; the target database is"):
        call_command("restore_data", str(other), "--noinput")
    assert Price.objects.count() == len(price_history)


def test_a_backup_overwrites_nothing_until_it_is_complete(price_history, tmp_path, monkeypatch):
    from ops import backup

    target = tmp_path / "nightly.backup"
    target.write_bytes(b"yesterday's good backup")

    def broken(*args, **kwargs):
        raise backup.BackupError("disk full")

    monkeypatch.setattr(backup, "_sqlite_backup" if connection.vendor == "sqlite" else "_run", broken)
    with pytest.raises(CommandError, match="disk full"):
        call_command("backup_data", str(target))
    assert target.read_bytes() == b"yesterday's good backup"
    assert [p.name for p in tmp_path.iterdir()] == ["nightly.backup"], "no partial file is left behind"


@pytest.mark.django_db(transaction=True)
def test_restore_without_a_terminal_asks_for_noinput_instead_of_a_traceback(price_history, tmp_path):
    import subprocess
    import sys

    backup_file = tmp_path / "portal.backup"
    call_command("backup_data", str(backup_file), stdout=io.StringIO())
    result = subprocess.run(  # noqa: S603 - our own manage.py with a fixed argument list
        [sys.executable, "manage.py", "restore_data", str(backup_file)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "--noinput" in result.stderr
    assert "Traceback" not in result.stderr
