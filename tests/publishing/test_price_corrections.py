"""History is corrected, never rewritten — over HTTP with real logins. A KOV moderator corrects
what a published price said, with a reason; an editor is refused. The public price history,
the API, the changes feed and HSDS then say "corrected on …, previously …", and the audit log
keeps who did it. A raw UPDATE outside the correction path still fails."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from api.hsds.mapping import hsds_id
from directory.models import PriceCorrection

pytestmark = pytest.mark.django_db

CORRECTION = {
    "price_individual": "1,00",
    "price_group": "",
    "client_share_amount": "",
    "client_share_percent": "",
    "reason": "The 2024 list said 1,00 €; 10,00 € was a typing error.",
}


def log_in(client, username):
    assert client.login(username=username, password=f"pw-{username}")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def price(kovs):
    return kovs["narva"].price


def url(price):
    return reverse("publishing:correct_price", args=[price.pk])


def test_an_editor_cannot_correct_a_published_price(client, narva_editor, price):
    log_in(client, "narva-editor")
    assert client.get(url(price)).status_code == 403
    assert client.post(url(price), CORRECTION).status_code == 403
    price.refresh_from_db()
    assert price.price_individual == Decimal("10.00")
    assert not PriceCorrection.objects.exists()


def test_another_kovs_staff_cannot_correct_it(client, tallinn_editor, price):
    log_in(client, "tallinn-editor")
    assert client.post(url(price), CORRECTION).status_code == 403
    assert not PriceCorrection.objects.exists()


def test_a_moderator_corrects_with_a_reason_and_everyone_sees_it(client, narva_moderator, price):
    log_in(client, "narva-moderator")
    assert client.get(url(price)).status_code == 200
    response = client.post(url(price), CORRECTION)
    assert response.status_code == 302
    price.refresh_from_db()
    assert price.price_individual == Decimal("1.00")
    entry = ModelLogEntry.objects.get(action="publishing.correct", object_id=str(price.pk))
    assert entry.user == narva_moderator
    assert entry.data["changed"] == {"price_individual": ["10.00", "1.00"]}
    day = timezone.localdate().isoformat()

    client.logout()
    page = client.get(f"/en/offers/{price.offer_id}/history/").content.decode()
    assert "Corrected on" in page and "previously" in page and "10.00\u00a0€" in page
    assert CORRECTION["reason"] in page

    api = client.get(f"/api/v1/prices/{price.pk}/").json()
    assert api["price_individual"] == "1.00"
    [correction] = api["corrections"]
    assert correction["corrected_at"].startswith(day)
    assert correction["reason"] == CORRECTION["reason"]
    assert correction["previous"]["price_individual"] == "10.00"

    feed = client.get("/api/v1/changes/?limit=500").json()["results"]
    [change] = [c for c in feed if c["type"] == "price" and c["id"] == price.pk]
    assert change["data"]["corrections"][0]["previous"]["price_individual"] == "10.00"

    service = client.get(f"/api/hsds/services/{hsds_id('service', price.offer_id)}").json()
    [option] = [o for o in service["cost_options"] if o["valid_from"] == "2024-01-01"]
    assert option["amount"] == 1.0
    assert f"corrected on {day}, previously 10.00 €" in option["amount_description"]


def test_a_correction_late_in_the_evening_is_dated_by_the_estonian_calendar(client, narva_moderator, price):
    """At 22:30 UTC on 7 December it is already 8 December in Narva: HSDS says so, as the API does."""
    log_in(client, "narva-moderator")
    with time_machine.travel(dt.datetime(2026, 12, 7, 22, 30, tzinfo=dt.UTC), tick=False):
        assert client.post(url(price), CORRECTION).status_code == 302
    client.logout()
    [correction] = client.get(f"/api/v1/prices/{price.pk}/").json()["corrections"]
    assert correction["corrected_at"].startswith("2026-12-08")
    service = client.get(f"/api/hsds/services/{hsds_id('service', price.offer_id)}").json()
    [option] = [o for o in service["cost_options"] if o["valid_from"] == "2024-01-01"]
    assert "corrected on 2026-12-08, previously 10.00 €" in option["amount_description"]


def test_a_correction_without_a_reason_or_without_a_change_is_refused(client, narva_moderator, price):
    log_in(client, "narva-moderator")
    response = client.post(url(price), CORRECTION | {"reason": ""})
    assert response.status_code == 200 and b"This field is required" in response.content
    response = client.post(url(price), CORRECTION | {"price_individual": "10,00"})
    assert response.status_code == 200 and b"nothing to correct" in response.content
    price.refresh_from_db()
    assert price.price_individual == Decimal("10.00")
    assert not PriceCorrection.objects.exists()


def test_a_raw_update_outside_the_correction_path_still_fails(client, narva_moderator, price):
    log_in(client, "narva-moderator")
    client.post(url(price), CORRECTION)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE directory_price SET price_individual = 99.99 WHERE id = %s", [price.pk])
    price.refresh_from_db()
    assert price.price_individual == Decimal("1.00")
    assert price.valid_from == dt.date(2024, 1, 1)


def test_the_moderator_finds_the_correction_link_on_the_offer(client, narva_moderator, price):
    log_in(client, "narva-moderator")
    edit = client.get(reverse("wagtailsnippets_directory_offer:edit", args=[price.offer_id])).content.decode()
    assert url(price) in edit
