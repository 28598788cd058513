"""One content version: a committed change to what the public reads shows at once on the page,
in the API and in the open-data files, even with every cache on; a write the public never reads
(a resident's report) flushes nothing; and a failing after-commit hook never turns an editor's
committed save into an error."""

import csv
import datetime as dt
import io
import logging

import pytest
import time_machine
from django.urls import reverse

from directory import content_version
from directory.models import Component, Municipality, Price, PriceStatus, Role
from jobs.runner import run_pending
from tests.factories import ContactPersonFactory, OfferFactory, published_price

PAGE = "/ru/kov/narva-linn/"
API_OFFERS = "/api/v1/offers/?municipality=narva-linn&lang=ru"
API_PRICES = "/api/v1/prices/?municipality=narva-linn"
API_CONTACTS = "/api/v1/contacts/?municipality=narva-linn"


@pytest.fixture
def every_cache_on(settings, tmp_path):
    settings.OPS_RESPONSE_CACHE = True
    settings.OPEN_DATA_ROOT = tmp_path / "exports"


@pytest.fixture
def narva_component_offer(site_tree):
    narva = Municipality.objects.get(code="narva-linn")
    component = Component.objects.order_by("position", "code").first()
    offer = OfferFactory(municipality=narva, component=component, service=None)
    published_price(offer, dt.date(2024, 1, 1), "6.20")
    return offer


def shows(response, text: str) -> bool:
    body = response.content.decode()
    return text in body or text.replace(".", ",") in body


def warm(client, *urls):
    """Fill every cache: each URL once to render and store, once more to be served stored."""
    for url in urls:
        client.get(url)
        again = client.get(url)
        assert again.status_code == 200, url
        assert again.get("X-Cache") == "HIT", url


def open_data(client, name: str) -> str:
    response = client.get(f"/open-data/files/{name}")
    assert response.status_code == 200
    return b"".join(response.streaming_content if response.streaming else [response.content]).decode(
        "utf-8-sig"
    )


@pytest.mark.django_db(transaction=True)  # real commits: the version moves on commit
def test_a_published_price_a_new_contact_and_a_renamed_component_show_at_once_everywhere(
    client, every_cache_on, narva_component_offer
):
    offer = narva_component_offer
    warm(client, PAGE, API_OFFERS, API_PRICES, API_CONTACTS)
    before = open_data(client, "prices-current.csv")
    assert "6.20" in before or "6,20" in before

    published_price(offer, dt.date(2025, 1, 1), "7.45")
    ContactPersonFactory(
        municipality=offer.municipality,
        role=Role.objects.order_by("position").first(),
        name="Ljudmila Uuskontakt",
        phone="+372 356 9999",
    )
    component = Component.objects.get(pk=offer.component_id)
    component.name_ru = "Переименованная услуга"
    component.save()

    page = client.get(PAGE)
    assert page["X-Cache"] == "MISS"
    assert shows(page, "7.45") and "Ljudmila Uuskontakt" in page.content.decode()
    assert "Переименованная услуга" in page.content.decode()
    prices = client.get(API_PRICES).json()["results"]
    assert "7.45" in [row["price_individual"] for row in prices]
    assert "Ljudmila Uuskontakt" in [row["name"] for row in client.get(API_CONTACTS).json()["results"]]
    assert "Переименованная услуга" in client.get(API_OFFERS).content.decode()

    # The open-data files are rebuilt by a background job: the first download after the change
    # finds them stale, gets the previous files and queues the rebuild; the worker runs it.
    def narva_prices():
        current = csv.DictReader(io.StringIO(open_data(client, "prices-current.csv")))
        return [row["price_individual"] for row in current if row["municipality_code"] == "narva-linn"]

    assert narva_prices() in (["6.20"], ["6,20"])  # stale, served while the rebuild waits
    run_pending()
    mine = narva_prices()
    assert any(amount in ("7.45", "7,45") for amount in mine)
    contacts = open_data(client, "contacts.csv")
    assert "Ljudmila Uuskontakt" in contacts


@pytest.mark.django_db(transaction=True)
def test_a_residents_report_does_not_flush_the_page_cache(client, every_cache_on, narva_component_offer):
    warm(client, PAGE)
    version = content_version.current()
    form = client.get(f"/ru/report-a-mistake/offer/{narva_component_offer.pk}/").content.decode()
    started = form.split('name="started" value="', 1)[1].split('"', 1)[0]
    client.cookies.clear()  # the form may have set a CSRF cookie; the page cache serves cookieless GETs
    sent = client.post(
        f"/ru/report-a-mistake/offer/{narva_component_offer.pk}/",
        {"started": started, "website": "", "message": "Цена изменилась, теперь 12 евро.", "email": ""},
    )
    assert sent.status_code == 302
    client.cookies.clear()
    assert content_version.current() == version
    assert client.get(PAGE)["X-Cache"] == "HIT"


@pytest.mark.django_db(transaction=True)
def test_one_transaction_moves_the_version_on_once_and_a_rollback_not_at_all(narva_component_offer):
    from django.db import transaction

    before = content_version.current().number
    with transaction.atomic():
        for month, amount in ((1, "7.00"), (2, "8.00"), (3, "9.00")):
            published_price(narva_component_offer, dt.date(2025, month, 1), amount)
    assert content_version.current().number == before + 1
    with pytest.raises(RuntimeError), transaction.atomic():
        published_price(narva_component_offer, dt.date(2026, 1, 1), "10.00")
        raise RuntimeError("the editor's save failed")
    assert content_version.current().number == before + 1


@pytest.mark.django_db(transaction=True)
@time_machine.travel(dt.date(2025, 6, 1))  # a new price starts today or later
def test_a_failing_after_commit_hook_does_not_fail_the_editors_request(
    client, kovs, narva_editor, monkeypatch, caplog
):
    """The version cannot move on (here: its row cannot be written); the editor's price is saved
    and the editor gets the normal answer, the failure goes to the log."""

    def broken_bump():
        raise RuntimeError("database went read-only after the commit")

    offer = kovs["narva"].offer
    before = content_version.current()
    monkeypatch.setattr(content_version, "bump", broken_bump)
    client.force_login(narva_editor)
    with caplog.at_level(logging.ERROR, logger="directory.content_version"):
        response = client.post(
            reverse("publishing:new_price", args=[offer.pk]),
            {
                "unit": offer.prices.first().unit_id,
                "price_individual": "13.30",
                "client_share": "none",
                "valid_from": "2025-07-01",
            },
        )
    assert response.status_code == 302
    assert Price.objects.filter(offer=offer, price_individual="13.30", status=PriceStatus.DRAFT).exists()
    assert "content version did not move on" in caplog.text
    assert content_version.current() == before
