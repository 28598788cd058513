"""The changes feed for partners' incremental sync, and the Atom feed per municipality."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
import time_machine

from tests.factories import ContactPersonFactory, OfferFactory, published_price

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def at(day: int, hour: int = 12):
    return time_machine.travel(dt.datetime(2025, 3, day, hour, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def history(request):
    """The directory fixture on 1 March, then changes on known days: an offer on the 2nd, a
    price on the 3rd, a contact on the 4th, then three rows all at the same instant on the 5th."""
    with at(1):
        directory = request.getfixturevalue("directory")
    with at(2):
        offer = OfferFactory(municipality=directory.tartu, component=directory.support)
    with at(3):
        price = published_price(offer, dt.date(2025, 4, 1), "21.00")
    with at(4):
        contact = ContactPersonFactory(
            municipality=directory.tartu, role=directory.care, name="Kati Kask", direct_phone="+372 5555 7777"
        )
    with at(5):
        same = [
            ContactPersonFactory(municipality=directory.narva, role=directory.social, name=f"Isik {i}")
            for i in range(3)
        ]
    return offer, price, contact, same


def test_changes_since_a_time_come_in_order_with_what_changed(client, history):
    offer, price, contact, same = history
    body = client.get("/api/v1/changes/?since=2025-03-02T00:00:00Z").json()
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


def test_an_updated_offer_moves_to_the_end_of_the_feed(client, history):
    offer = history[0]
    with at(6):
        offer.notes_et = "Uus märkus"
        offer.save()
    last = client.get("/api/v1/changes/?since=2025-03-01T00:00:00%2B02:00").json()["results"][-1]
    assert (last["type"], last["id"], last["action"]) == ("offer", offer.pk, "updated")


def test_cursor_pages_have_no_gaps_or_repeats_when_timestamps_tie(client, history):
    seen = []
    url = "/api/v1/changes/?since=2025-03-02T00:00:00Z&limit=2"
    while url:
        body = client.get(url).json()
        seen += [(r["type"], r["id"]) for r in body["results"]]
        url = body["next"]
    everything = client.get("/api/v1/changes/?since=2025-03-02T00:00:00Z").json()["results"]
    assert seen == [(r["type"], r["id"]) for r in everything]
    assert len(seen) == len(set(seen)) == 6


def test_a_saved_cursor_returns_only_later_changes(client, history):
    body = client.get("/api/v1/changes/?since=2025-03-02T00:00:00Z&limit=3").json()
    with at(7):
        late = ContactPersonFactory(municipality=history[0].municipality, role=history[2].role, name="Hiline")
    rest, url = [], body["next"]
    while url:
        page = client.get(url).json()
        rest += [(r["type"], r["id"]) for r in page["results"]]
        url = page["next"]
    assert rest[-1] == ("contact", late.pk)
    assert len(rest) == 4 and not set(rest) & {(r["type"], r["id"]) for r in body["results"]}


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


@pytest.mark.parametrize("lang,title", [("et", "Tartu linn"), ("ru", "Tartu linn"), ("en", "Tartu linn")])
def test_atom_feed_lists_the_municipality_changes_for_people(client, history, lang, title):
    response = client.get(f"/{lang}/kov/tartu-linn/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert title in feed.find(f"{ATOM}title").text
    entries = feed.findall(f"{ATOM}entry")
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
