"""An offer or contact that is still a draft or awaiting approval is nowhere public: not in the
API (not even with history=1), the changes feed, search, the price history page or the
report-a-mistake form."""

import datetime as dt

import pytest

from directory.models import Municipality, Role, Service
from tests.factories import ContactPersonFactory, OfferFactory, published_price

pytestmark = pytest.mark.django_db


@pytest.fixture
def drafts(catalogue, django_capture_on_commit_callbacks):
    narva = Municipality.objects.get(code="narva-linn")
    with django_capture_on_commit_callbacks(execute=True):
        offer = OfferFactory(
            municipality=narva, component=None, service=Service.objects.get(code="safe-house"), status="draft"
        )
        published_price(offer, dt.date(2024, 1, 1), "31.00")
        contact = ContactPersonFactory(
            municipality=narva,
            role=Role.objects.get(code="case-manager"),
            name="Zinaida Ootel",
            status="pending",
        )
    return offer, contact


def test_drafts_are_not_in_the_api_even_with_history(client, drafts):
    offer, contact = drafts
    assert client.get(f"/api/v1/offers/{offer.pk}/").status_code == 404
    ids = [
        row["id"] for row in client.get("/api/v1/offers/?municipality=narva-linn&history=1").json()["results"]
    ]
    assert offer.pk not in ids
    names = [
        row["name"]
        for row in client.get("/api/v1/contacts/?municipality=narva-linn&history=1").json()["results"]
    ]
    assert "Zinaida Ootel" not in names


def test_drafts_are_not_in_the_changes_feed(client, drafts):
    offer, contact = drafts
    rows = client.get("/api/v1/changes/?since=2000-01-01T00:00:00Z&limit=500").json()["results"]
    assert ("offer", offer.pk) not in {(r["type"], r["id"]) for r in rows}
    assert ("contact", contact.pk) not in {(r["type"], r["id"]) for r in rows}


def test_drafts_are_not_found_by_search(client, drafts):
    body = client.get("/api/v1/search/?q=Zinaida+Ootel&lang=et&kind=contact").json()
    assert all("Zinaida" not in r["title"] for r in body["results"])
    body = client.get("/api/v1/search/?q=turvakodu&lang=et&kind=offer&municipality=narva-linn").json()
    assert body["results"] == []


def test_a_draft_offer_has_no_public_history_page_or_report_form(client, drafts):
    offer, contact = drafts
    assert client.get(f"/et/offers/{offer.pk}/history/").status_code == 404
    assert client.get(f"/et/report-a-mistake/offer/{offer.pk}/").status_code == 404
    assert client.get(f"/et/report-a-mistake/contact/{contact.pk}/").status_code == 404
