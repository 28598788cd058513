"""The change log is pruned (`manage.py prune_change_log`) without changing what the feed
says: a mirror built from scratch after pruning still equals the directory, and a cursor from
after the pruned horizon reads exactly what it read before. A cursor older than a dropped
deletion is told to resync (410, code `resync`), never silently given a copy that keeps a
deleted row."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import translation

from api.changes import Cursor, last_position
from api.models import ChangeRecord
from tests.factories import ContactPersonFactory, OfferFactory, published_price

from .mirror import Mirror, directory_as_served

pytestmark = pytest.mark.django_db


def get_json(client):
    def get(url):
        response = client.get(url)
        assert response.status_code == 200, response.content
        return response.json()

    return get


@pytest.fixture
def churned(directory):
    """Rows changed several times, and a contact deleted: superseded records and a tombstone."""
    offer = OfferFactory(municipality=directory.tartu, component=directory.support)
    published_price(offer, dt.date(2025, 4, 1), "21.00")
    published_price(offer, dt.date(2025, 9, 1), "23.00")  # closes the first: a second record
    contact = ContactPersonFactory(municipality=directory.tartu, role=directory.care, name="Kati Kask")
    for title in ("Koordinaator", "Vanem koordinaator"):
        contact.job_title = title
        contact.save()
    before_delete = last_position()
    directory.tartu_worker.delete()
    return before_delete


def test_pruning_changes_no_answer_of_the_feed_after_the_horizon(client, churned):
    get = get_json(client)
    after = last_position()
    records = ChangeRecord.objects.count()
    from_start = Mirror()
    from_start.sync(get)
    tail_before = get(f"/api/v1/changes/?cursor={Cursor(after).encode()}")

    call_command("prune_change_log", "--days", "0")

    assert ChangeRecord.objects.count() < records
    rebuilt = Mirror()
    rebuilt.sync(get)
    assert rebuilt.rows == from_start.rows == directory_as_served(get)
    assert get(f"/api/v1/changes/?cursor={Cursor(after).encode()}") == tail_before


def test_a_cursor_older_than_a_dropped_deletion_must_resync(client, churned):
    call_command("prune_change_log", "--days", "0")
    with translation.override("en"):
        response = client.get(f"/api/v1/changes/?cursor={Cursor(churned).encode()}&lang=en")
    assert response.status_code == 410
    body = response.json()
    assert body["code"] == "resync"
    assert "start again without a cursor" in body["message"]
    assert client.get("/api/v1/changes/").status_code == 200


def test_recent_records_are_kept_within_the_retention(client, churned):
    records = ChangeRecord.objects.count()
    call_command("prune_change_log")  # the default retention: a year
    assert ChangeRecord.objects.count() == records
    assert client.get(f"/api/v1/changes/?cursor={Cursor(churned).encode()}").status_code == 200


def test_the_resync_answer_is_documented(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    responses = schema["paths"]["/api/v1/changes/"]["get"]["responses"]
    assert "410" in responses and "resync" in responses["410"]["description"].lower()
