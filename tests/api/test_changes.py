"""The changes feed for partners' incremental sync, and the Atom feed per municipality."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from api.changes import Cursor, last_position
from directory import models as m
from tests.factories import ContactPersonFactory, OfferFactory, published_price

from .mirror import Mirror, directory_as_served

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def feed(client, cursor: int, **params) -> dict:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    response = client.get(f"/api/v1/changes/?cursor={Cursor(cursor).encode()}&{query}")
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def history(directory):
    """After the directory fixture: an offer, its price, a contact, then three more contacts."""
    start = last_position()
    offer = OfferFactory(municipality=directory.tartu, component=directory.support)
    price = published_price(offer, dt.date(2025, 4, 1), "21.00")
    contact = ContactPersonFactory(
        municipality=directory.tartu, role=directory.care, name="Kati Kask", direct_phone="+372 5555 7777"
    )
    same = [
        ContactPersonFactory(municipality=directory.narva, role=directory.social, name=f"Isik {i}")
        for i in range(3)
    ]
    return start, offer, price, contact, same


def test_changes_come_in_commit_order_with_what_changed(client, history):
    start, offer, price, contact, same = history
    body = feed(client, start)
    rows = [(r["type"], r["id"], r["action"]) for r in body["results"]]
    assert rows == [
        ("offer", offer.pk, "created"),
        ("price", price.pk, "published"),
        ("contact", contact.pk, "created"),
    ] + [("contact", c.pk, "created") for c in same]
    first = body["results"][0]
    assert first["municipality"] == "tartu-linn"
    assert first["url"].endswith(f"/api/v1/offers/{offer.pk}/")
    assert body["results"][1]["data"]["price_individual"] == "21.00"
    assert "direct_phone" not in body["results"][2]["data"]
    assert body["next"] is None and body["cursor"]


def test_the_whole_directory_is_in_the_feed_from_the_start(client, directory):
    body = client.get("/api/v1/changes/?limit=500").json()
    kinds = {(r["type"], r["id"]) for r in body["results"]}
    assert ("price", directory.old_price.pk) in kinds and ("contact", directory.former.pk) in kinds
    assert ("price", directory.draft.pk) not in kinds, "drafts are not public"


def test_an_updated_offer_moves_to_the_end_of_the_feed_once(client, history):
    start, offer = history[0], history[1]
    offer.notes_et = "Uus märkus"
    offer.save()
    results = feed(client, start)["results"]
    assert (results[-1]["type"], results[-1]["id"], results[-1]["action"]) == ("offer", offer.pk, "updated")
    assert [r["id"] for r in results if r["type"] == "offer"] == [offer.pk], "one entry per object"
    assert results[-1]["data"]["notes"] == "Uus märkus"


def test_a_new_price_closes_the_previous_one_and_both_are_changes(client, directory):
    start = last_position()
    newer = published_price(directory.narva_respite, dt.date(2026, 6, 1), "11.00")
    rows = {(r["type"], r["id"]): r for r in feed(client, start)["results"]}
    closed = rows["price", directory.new_price.pk]
    assert closed["action"] == "closed" and closed["data"]["valid_to"] == "2026-05-31"
    assert rows["price", newer.pk]["action"] == "published"


def test_a_withdrawn_offer_ends_and_its_open_price_is_closed(client, directory):
    start = last_position()
    directory.narva_home.withdraw(dt.date(2026, 1, 31))
    rows = {(r["type"], r["id"]): r for r in feed(client, start)["results"]}
    assert rows["offer", directory.narva_home.pk]["action"] == "ended"
    assert rows["offer", directory.narva_home.pk]["data"]["valid_to"] == "2026-01-31"
    price = directory.narva_home.prices.get()
    assert rows["price", price.pk]["action"] == "closed"


def test_a_change_made_without_save_is_in_the_feed(client, directory):
    """The log is written by the database: a queryset update is a change like any other."""
    start = last_position()
    m.ContactPerson.objects.filter(pk=directory.coordinator.pk).update(job_title="Vanem koordinaator")
    row = feed(client, start)["results"][-1]
    assert (row["type"], row["id"], row["action"]) == ("contact", directory.coordinator.pk, "updated")
    assert row["data"]["job_title"] == "Vanem koordinaator"


def test_deleted_and_unpublished_rows_are_tombstones(client, directory):
    start = last_position()
    gone = directory.tartu_worker.pk
    directory.tartu_worker.delete()
    directory.coordinator.status = m.PublicationStatus.DRAFT
    directory.coordinator.save()
    rows = {(r["type"], r["id"]): r for r in feed(client, start)["results"]}
    for key in [("contact", gone), ("contact", directory.coordinator.pk)]:
        assert rows[key]["action"] == "deleted" and rows[key]["data"] is None


def test_cursor_pages_have_no_gaps_or_repeats(client, history):
    start = history[0]
    seen, url = [], f"/api/v1/changes/?cursor={Cursor(start).encode()}&limit=2"
    while url:
        body = client.get(url).json()
        seen += [(r["type"], r["id"]) for r in body["results"]]
        url = body["next"]
    everything = feed(client, start)["results"]
    assert seen == [(r["type"], r["id"]) for r in everything]
    assert len(seen) == len(set(seen)) == 6


def test_a_saved_cursor_returns_only_later_changes(client, history):
    start = history[0]
    body = feed(client, start)
    late = ContactPersonFactory(municipality=history[1].municipality, role=history[3].role, name="Hiline")
    rest = client.get(f"/api/v1/changes/?cursor={body['cursor']}").json()
    assert [(r["type"], r["id"]) for r in rest["results"]] == [("contact", late.pk)]
    caught_up = client.get(f"/api/v1/changes/?cursor={rest['cursor']}").json()
    assert caught_up["results"] == [] and caught_up["cursor"] == rest["cursor"]


def test_a_mirror_kept_by_the_feed_equals_the_directory(client, history):
    mirror = Mirror()
    get = lambda url: client.get(url).json()  # noqa: E731
    mirror.sync(get, limit=3)
    history[1].withdraw()
    history[4][0].delete()
    published_price(history[1], dt.date(2025, 5, 1), "22.00")
    mirror.sync(get, limit=3)
    assert mirror.rows == directory_as_served(get)


@pytest.mark.parametrize(
    "query,param",
    [
        ("since=last-tuesday", "since"),
        ("cursor=garbage", "cursor"),
        ("limit=0", "limit"),
        ("limit=abc", "limit"),
        ("since=0001-01-01T00:00:00", "since"),
    ],
)
def test_bad_feed_parameters_are_a_400(client, directory, query, param):
    response = client.get(f"/api/v1/changes/?{query}")
    assert response.status_code == 400
    assert param in response.json()["errors"]


def test_since_starts_the_feed_at_a_time(client, directory):
    later = (timezone.now() + dt.timedelta(hours=1)).isoformat()
    earlier = (timezone.now() - dt.timedelta(hours=1)).isoformat()
    assert client.get("/api/v1/changes/", {"since": later}).json()["results"] == []
    assert len(client.get("/api/v1/changes/", {"since": earlier}).json()["results"]) > 5


@pytest.mark.parametrize("lang,title", [("et", "Tartu linn"), ("ru", "Tartu linn"), ("en", "Tartu linn")])
def test_atom_feed_lists_the_municipality_changes_for_people(client, history, lang, title):
    response = client.get(f"/{lang}/kov/tartu-linn/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed_xml = ET.fromstring(response.content)
    assert title in feed_xml.find(f"{ATOM}title").text
    entries = feed_xml.findall(f"{ATOM}entry")
    titles = [e.find(f"{ATOM}title").text for e in entries]
    assert (
        len(entries) == 3 + 3
    )  # the offer, its price, Kati Kask + the fixture's Tartu offer, price, contact
    assert any("21.00" in t for t in titles)
    assert any("Kati Kask" in t for t in titles)
    assert "5555 7777" not in response.content.decode(), "professional phones are never public"
    assert all("Isik " not in t for t in titles), f"another municipality's changes stay out: {titles}"
    links = [e.find(f"{ATOM}link").get("href") for e in entries]
    assert any(f"/{lang}/offers/" in link for link in links)


def test_atom_feed_of_an_unknown_municipality_is_404(client, db):
    assert client.get("/et/kov/atlantis/feed/").status_code == 404


def test_a_timestamp_with_an_offset_postgresql_cannot_store_is_read_as_the_same_instant(client, history):
    # 2025-03-02T16:29:00+16:29 is 2025-03-02T00:00:00Z; ISO 8601 allows offsets PostgreSQL refuses.
    odd = client.get("/api/v1/changes/?since=2025-03-02T16:29:00%2B16:29")
    utc = client.get("/api/v1/changes/?since=2025-03-02T00:00:00Z")
    assert odd.status_code == 200
    assert odd.json()["results"] == utc.json()["results"]
