"""The database itself refuses to rewrite published price history (directory/guards.py): a raw
UPDATE or DELETE of a published price fails, `bulk_create(update_conflicts=True)` cannot
overwrite one, closing a price's validity still works, and two published prices of one offer
cannot overlap."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from directory.models import Price, PriceStatus
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def published():
    offer = f.OfferFactory()
    return f.published_price(offer, dt.date(2025, 1, 1), "11.47")


def raw(sql, params):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_a_raw_update_of_a_published_price_fails(published):
    with pytest.raises(DatabaseError, match="published price history"):
        raw("UPDATE directory_price SET price_individual = 99.99 WHERE id = %s", [published.pk])
    published.refresh_from_db()
    assert published.price_individual == Decimal("11.47")


def test_a_raw_delete_of_a_published_price_fails(published):
    with pytest.raises(DatabaseError, match="published price history"):
        raw("DELETE FROM directory_price WHERE id = %s", [published.pk])
    assert Price.objects.filter(pk=published.pk).exists()


def test_a_published_price_cannot_be_unpublished_or_moved(published):
    for sql in (
        "UPDATE directory_price SET status = 'draft' WHERE id = %s",
        "UPDATE directory_price SET valid_from = '2024-01-01' WHERE id = %s",
    ):
        with pytest.raises(DatabaseError):
            raw(sql, [published.pk])


def test_bulk_create_update_conflicts_cannot_overwrite_a_published_amount(published):
    clone = Price(
        pk=published.pk,
        offer_id=published.offer_id,
        unit_id=published.unit_id,
        price_individual=Decimal("99.99"),
        valid_from=published.valid_from,
        status=PriceStatus.PUBLISHED,
    )
    with pytest.raises(DatabaseError), transaction.atomic():
        Price.objects.bulk_create(
            [clone], update_conflicts=True, unique_fields=["id"], update_fields=["price_individual"]
        )
    published.refresh_from_db()
    assert published.price_individual == Decimal("11.47")


def test_closing_a_published_price_once_is_allowed_but_never_reopening(published):
    raw("UPDATE directory_price SET valid_to = '2025-12-31' WHERE id = %s", [published.pk])
    with pytest.raises(DatabaseError):
        raw("UPDATE directory_price SET valid_to = NULL WHERE id = %s", [published.pk])
    with pytest.raises(DatabaseError):
        raw("UPDATE directory_price SET valid_to = '2026-12-31' WHERE id = %s", [published.pk])
    published.refresh_from_db()
    assert published.valid_to == dt.date(2025, 12, 31)


def test_publishing_a_later_price_closes_the_earlier_one_through_the_guard(published):
    later = f.PriceFactory(offer=published.offer, unit=published.unit, valid_from=dt.date(2026, 1, 1))
    later.publish()
    published.refresh_from_db()
    assert published.valid_to == dt.date(2025, 12, 31)


def test_two_published_prices_of_one_offer_cannot_overlap(published):
    with pytest.raises(DatabaseError), transaction.atomic():
        Price.objects.bulk_create(
            [
                Price(
                    offer=published.offer,
                    unit=published.unit,
                    price_individual=Decimal("1.00"),
                    valid_from=dt.date(2025, 6, 1),
                    status=PriceStatus.PUBLISHED,
                )
            ]
        )
        # PostgreSQL checks the deferred exclusion constraint at commit; ask for it now.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="roles exist only on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_the_application_role_can_write_rows_but_not_drop_the_guard(monkeypatch):
    import psycopg
    from django.core.management import call_command

    published = f.published_price(f.OfferFactory(), dt.date(2025, 1, 1), "11.47")
    monkeypatch.setenv("APP_DB_PASSWORD", "app-secret")
    call_command("setup_app_role", "abiportaal_test_app")
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        dbname=settings["NAME"],
        user="abiportaal_test_app",
        password="app-secret",
        autocommit=True,
    ) as app:
        assert app.execute("SELECT count(*) FROM directory_price").fetchone()[0] >= 1
        with pytest.raises(psycopg.Error, match="published price history"):
            app.execute("UPDATE directory_price SET price_individual = 99.99 WHERE id = %s", [published.pk])
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            app.execute("DROP TRIGGER directory_price_guard ON directory_price")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            app.execute("CREATE TABLE sneaky (id int)")
    with connection.cursor() as cursor:
        cursor.execute("DROP OWNED BY abiportaal_test_app; DROP ROLE abiportaal_test_app")
