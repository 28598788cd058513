"""History is corrected, never rewritten (directory/guards.py, PriceCorrection): a published
price's amounts change only through a recorded correction, and the database itself refuses any
other change — a raw UPDATE, a replay of an older correction, or an edit of the record."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import translation

from directory.models import PriceCorrection, PriceError
from tests import factories as f

pytestmark = pytest.mark.django_db

AMOUNTS = {
    "price_individual": None,
    "price_group": None,
    "client_share_amount": None,
    "client_share_percent": None,
}


@pytest.fixture
def published():
    return f.published_price(f.OfferFactory(), dt.date(2025, 1, 1), "11.47")


def raw(sql, params):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def correct(price, amount, reason="Typo in the 2025 price list", **extra):
    return price.correct(reason, **(AMOUNTS | {"price_individual": Decimal(amount)} | extra))


def test_a_correction_changes_the_amount_and_records_what_it_was(published):
    correction = correct(published, "1.47")
    published.refresh_from_db()
    assert published.price_individual == Decimal("1.47")
    assert (correction.old_price_individual, correction.new_price_individual) == (
        Decimal("11.47"),
        Decimal("1.47"),
    )
    assert correction.reason == "Typo in the 2025 price list"
    assert list(published.corrections.all()) == [correction]


def test_a_raw_update_outside_a_correction_still_fails(published):
    correct(published, "1.47")
    with pytest.raises(DatabaseError, match="published price history"):
        raw("UPDATE directory_price SET price_individual = 99.99 WHERE id = %s", [published.pk])
    published.refresh_from_db()
    assert published.price_individual == Decimal("1.47")


def test_an_older_correction_cannot_be_replayed(published):
    correct(published, "1.47")
    correct(published, "11.47", reason="The first correction was wrong")
    with pytest.raises(DatabaseError, match="published price history"):
        raw("UPDATE directory_price SET price_individual = 1.47 WHERE id = %s", [published.pk])


def test_a_correction_cannot_move_the_dates(published):
    correct(published, "1.47")
    with pytest.raises(DatabaseError):
        raw(
            "UPDATE directory_price SET price_individual = 1.47, valid_from = '2024-01-01' WHERE id = %s",
            [published.pk],
        )


def test_the_record_of_corrections_cannot_be_changed_or_deleted(published):
    correction = correct(published, "1.47")
    for sql in (
        "UPDATE directory_pricecorrection SET reason = 'nothing happened' WHERE id = %s",
        "DELETE FROM directory_pricecorrection WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="corrections are a record"):
            raw(sql, [correction.pk])
    assert PriceCorrection.objects.get(pk=correction.pk).reason == correction.reason


@pytest.mark.parametrize(
    "reason, amounts, message",
    [
        ("  ", {"price_individual": Decimal("1.47")}, "reason"),
        ("Typo", {"price_individual": Decimal("11.47")}, "nothing to correct"),
        ("Typo", {}, "individual or for group"),
    ],
)
def test_a_correction_needs_a_reason_a_change_and_a_valid_price(published, reason, amounts, message):
    with translation.override("en"), pytest.raises((PriceError, ValidationError), match=message):
        published.correct(reason, **(AMOUNTS | amounts))
    assert not PriceCorrection.objects.exists()


@translation.override("en")
def test_a_draft_is_not_corrected():
    draft = f.PriceFactory(offer=f.OfferFactory(), valid_from=dt.date(2027, 1, 1))
    with pytest.raises(PriceError, match="Only a published price"):
        correct(draft, "1.00")
