"""The changes feed never skips a change, whatever order transactions commit in: real
commits on separate connections, a partner polling in between."""

import datetime as dt
import random
import threading

import pytest
from django.db import DatabaseError, connection, connections, transaction

from directory import models as m
from directory.models.offers import PriceError
from tests.factories import (
    ContactPersonFactory,
    published_price,
)

from .mirror import Mirror, directory_as_served, make_base, random_change

pytestmark = pytest.mark.django_db(transaction=True)

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has one writer at a time: nothing runs concurrently"
)


@pytest.fixture
def base(db):
    return make_base()


def in_thread(work) -> threading.Thread:
    """Run `work` on its own database connection (its own transactions)."""

    def run():
        try:
            work()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def getter(client):
    def get(url):
        response = client.get(url)
        assert response.status_code == 200, response.content
        return response.json()

    return get


@postgresql_only
def test_a_slow_transaction_that_commits_after_a_faster_later_one_is_not_skipped(client, base):
    fast = ContactPersonFactory(municipality=base.municipality, role=base.role, name="Aeglane")
    get = getter(client)
    mirror = Mirror()
    mirror.sync(get)
    written, go_on = threading.Event(), threading.Event()

    def slow_price_approval():
        with transaction.atomic():
            published_price(base.offer, dt.date(2025, 1, 1), "12.00")
            written.set()
            go_on.wait(30)

    slow = in_thread(slow_price_approval)
    assert written.wait(30)
    # A correction, committed now (a queryset update: no post_save receivers that might wait on
    # the slow transaction's row locks).
    m.ContactPerson.objects.filter(pk=fast.pk).update(name="Kiire")
    assert mirror.sync(get) == 1, "the partner polls in between: the later, faster change only"
    assert mirror.rows["contact"][fast.pk]["name"] == "Kiire"
    go_on.set()
    slow.join(30)
    mirror.sync(get)
    prices = mirror.rows["price"]
    assert len(prices) == 2 and [p["valid_to"] for p in prices.values()].count(None) == 1
    assert mirror.rows == directory_as_served(get)


@postgresql_only
def test_a_committing_transaction_holds_back_later_positions_until_it_is_visible(client, base):
    """A transaction that has its position but is not yet visible blocks later commits at
    their position: the partner sees neither, then both, in order."""
    one_, two_ = (
        ContactPersonFactory(municipality=base.municipality, role=base.role, name=n) for n in ("A", "B")
    )
    get = getter(client)
    mirror = Mirror()
    mirror.sync(get)
    stamped, go_on = threading.Event(), threading.Event()

    def first():
        with transaction.atomic():
            m.ContactPerson.objects.filter(pk=one_.pk).update(name="Esimene")
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS api_changerecord_stamp IMMEDIATE")  # position taken
            stamped.set()
            go_on.wait(30)

    def second():
        m.ContactPerson.objects.filter(pk=two_.pk).update(name="Teine")

    one = in_thread(first)
    assert stamped.wait(30)
    two = in_thread(second)
    two.join(1)
    assert two.is_alive(), "the later commit waits for the earlier position to become visible"
    assert mirror.sync(get) == 0
    go_on.set()
    one.join(30)
    two.join(30)
    body = get(f"/api/v1/changes/?cursor={mirror.cursor}")
    assert [r["data"]["name"] for r in body["results"]] == ["Esimene", "Teine"]


def test_a_mirror_polling_while_several_editors_write_ends_equal_to_the_directory(client, base):
    get = getter(client)
    mirror = Mirror()
    rng = random.Random(20261207)
    writers, steps = 4, 25
    refused = []

    def editor(seed: int):
        own = random.Random(seed)
        for _step in range(steps):
            try:
                with transaction.atomic():
                    random_change(own, base)
            except (PriceError, DatabaseError) as error:  # a lost race between editors: nothing written
                refused.append(error)

    if connection.vendor == "postgresql":
        threads = [in_thread(lambda seed=seed: editor(seed)) for seed in range(writers)]
        while any(t.is_alive() for t in threads):
            mirror.sync(get, limit=7)
        for thread in threads:
            thread.join()
    else:  # one writer at a time: the editors' steps interleave at random, the mirror polls between
        editors = [random.Random(seed) for seed in range(writers)]
        for _step in range(writers * steps):
            with transaction.atomic():
                random_change(rng.choice(editors), base)
            if rng.random() < 0.3:
                mirror.sync(get, limit=7)
    mirror.sync(get, limit=7)
    served = directory_as_served(get)
    assert sum(len(rows) for rows in served.values()) > 20
    assert len(refused) < writers * steps / 2
    assert mirror.rows == served
