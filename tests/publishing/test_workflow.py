"""Draft → approval by a KOV moderator → published; history kept; every step logged."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from wagtail.models import ModelLogEntry

from directory.models import ContactPerson, Offer, Price, PriceStatus
from tests.ops.conftest import response_cache  # noqa: F401 - the ops app's fixture

pytestmark = pytest.mark.django_db


def action(client, key, obj, name, **data):
    return client.post(reverse("publishing:action", args=[key, obj.pk, name]), data)


def new_price(client, offer, amount, valid_from, submit=True):
    data = {
        "unit": offer.prices.first().unit_id,
        "price_individual": amount,
        "valid_from": valid_from,
        "client_share": "none",
        "confirm_change": "on",
    }
    if submit:
        data["submit"] = "1"
    return client.post(reverse("publishing:new_price", args=[offer.pk]), data)


def logged(obj, action_name):
    return ModelLogEntry.objects.filter(
        object_id=str(obj.pk), action=action_name, content_type__model=obj._meta.model_name
    )


@time_machine.travel(dt.date(2025, 6, 1))
def test_price_change_goes_through_moderator_and_closes_old_price(
    client, kovs, narva_editor, narva_moderator
):
    n = kovs["narva"]
    client.force_login(narva_editor)
    assert new_price(client, n.offer, "12,50" if False else "12.50", "2025-07-01").status_code == 302
    pending = Price.objects.get(offer=n.offer, status=PriceStatus.PENDING)
    assert n.offer.current_price == n.price  # nothing public changed yet

    # The editor cannot approve their own submission.
    assert action(client, "price", pending, "approve").status_code == 403
    pending.refresh_from_db()
    assert pending.status == PriceStatus.PENDING

    client.force_login(narva_moderator)
    review = client.get(reverse("publishing:review"))
    assert f"price:{pending.pk}" in review.content.decode()
    assert action(client, "price", pending, "approve").status_code == 302
    pending.refresh_from_db()
    n.price.refresh_from_db()
    assert pending.status == PriceStatus.PUBLISHED
    assert n.price.valid_to == dt.date(2025, 6, 30)  # the old one closes the day before
    assert n.price.price_individual == Decimal("10.00")  # and is otherwise untouched
    # Scheduled: published now, in force from its date.
    assert Price.objects.filter(offer=n.offer).current().get() == n.price
    assert Price.objects.filter(offer=n.offer).on(dt.date(2025, 7, 1)).get() == pending
    assert logged(pending, "publishing.submit").get().user == narva_editor
    assert logged(pending, "publishing.approve").get().user == narva_moderator


def test_moderator_rejects_with_a_reason(client, kovs, narva_editor, narva_moderator):
    n = kovs["narva"]
    client.force_login(narva_editor)
    new_price(client, n.offer, "11.00", "2030-01-01")
    pending = Price.objects.get(status=PriceStatus.PENDING)
    client.force_login(narva_moderator)
    action(client, "price", pending, "reject", comment="Vale ühik")
    pending.refresh_from_db()
    assert pending.status == PriceStatus.DRAFT
    assert logged(pending, "publishing.reject").get().data["comment"] == "Vale ühik"
    history = client.get(
        reverse("wagtailsnippets_directory_price:history", args=[pending.pk])
    ).content.decode()
    assert "Vale ühik" in history


def test_batch_approval_is_all_or_nothing(client, kovs, narva_editor, narva_moderator):
    n = kovs["narva"]
    client.force_login(narva_editor)
    new_price(client, n.offer, "11.00", "2030-01-01")
    new_price(client, n.offer, "12.00", "2031-01-01")
    first, second = Price.objects.filter(status=PriceStatus.PENDING).order_by("valid_from")
    # Someone publishes a price in between, so the first can no longer be approved.
    from tests import factories as f

    f.published_price(n.offer, dt.date(2030, 6, 1), "13.00")
    client.force_login(narva_moderator)
    client.post(
        reverse("publishing:approve_selected"),
        {"entry": [f"price:{first.pk}", f"price:{second.pk}"], "decision": "approve"},
    )
    assert set(Price.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)) == {
        "pending"
    }


def test_new_offer_is_a_draft_until_approved(client, kovs, narva_editor, narva_moderator):
    n = kovs["narva"]
    client.force_login(narva_editor)
    response = client.post(
        reverse("wagtailsnippets_directory_offer:add"),
        {
            "municipality": n.municipality.pk,
            "provider": n.provider.pk,
            "component": n.offer.component_id,
            "valid_from": "2025-01-01",
            "work_forms": ["individual"],
            "languages": ["et", "ru"],
            "notes_et": "Uus",
            "notes_ru": "",
            "notes_en": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    offer = Offer.objects.exclude(pk=n.offer.pk).get(municipality=n.municipality)
    assert offer.status == PriceStatus.DRAFT and offer.languages == ["et", "ru"]
    assert not Offer.objects.public().filter(pk=offer.pk).exists()
    assert not Offer.objects.for_listing().filter(pk=offer.pk).exists()
    action(client, "offer", offer, "submit")
    client.force_login(narva_moderator)
    action(client, "offer", offer, "approve")
    assert Offer.objects.public().filter(pk=offer.pk).exists()
    assert logged(offer, "wagtail.create").get().user == narva_editor


def test_new_contact_is_hidden_from_public_until_approved(client, kovs, narva_editor, narva_moderator):
    n = kovs["narva"]
    contact = n.contact
    contact.status = PriceStatus.PENDING
    contact.save()
    assert not ContactPerson.objects.current().filter(pk=contact.pk).exists()
    client.force_login(narva_moderator)
    action(client, "contact", contact, "approve")
    assert ContactPerson.objects.current().filter(pk=contact.pk).exists()


def test_withdrawing_an_offer_ends_it_and_keeps_history(client, kovs, narva_editor):
    n = kovs["narva"]
    client.force_login(narva_editor)
    action(client, "offer", n.offer, "withdraw")
    n.offer.refresh_from_db()
    n.price.refresh_from_db()
    assert n.offer.valid_to is not None and n.price.valid_to == n.offer.valid_to
    assert Price.objects.filter(pk=n.price.pk).exists()
    assert logged(n.offer, "publishing.withdraw").get().user == narva_editor


def test_published_entries_cannot_be_discarded(client, kovs, narva_editor):
    n = kovs["narva"]
    client.force_login(narva_editor)
    action(client, "price", n.price, "discard")
    action(client, "offer", n.offer, "discard")
    assert Price.objects.filter(pk=n.price.pk).exists() and Offer.objects.filter(pk=n.offer.pk).exists()


def test_offer_edit_page_shows_price_history_and_logs_what_changed_for_approval(client, kovs, narva_editor):
    n = kovs["narva"]
    from tests import factories as f

    f.published_price(n.offer, dt.date(2025, 1, 1), "11.00")
    client.force_login(narva_editor)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    url = reverse("wagtailsnippets_directory_offer:edit", args=[n.offer.pk])
    page = client.get(url).content.decode()
    assert "Price history" in page and "1 Jan 2024" in page and "1 Jan 2025" in page and "11.00" in page
    response = client.post(
        url,
        {
            "municipality": n.municipality.pk,
            "provider": n.provider.pk,
            "component": n.offer.component_id,
            "valid_from": "2020-01-01",
            "work_forms": ["individual"],
            "languages": ["et"],
            "notes_et": "Uus märkus",
            "notes_ru": "Заметка",
            "notes_en": "",
            "last_verified": "2020-05-01",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    # The offer is published, so the edit awaits a moderator (tests/publishing/test_pending_changes.py).
    entry = logged(n.offer, "publishing.submit").get()
    assert entry.user == narva_editor and entry.data["changed"]["notes_et"] == ["Märkus", "Uus märkus"]
    history = client.get(
        reverse("wagtailsnippets_directory_offer:history", args=[n.offer.pk])
    ).content.decode()
    assert "Uus märkus" in history
    changes = client.get(reverse("publishing:changes")).content.decode()
    assert "Uus märkus" in changes and "narva-editor" in changes


@pytest.mark.django_db(transaction=True)  # real commits: index, data version and cache move on commit
def test_batch_approval_publishes_every_price_logs_each_and_refreshes_public_data(
    client,
    kovs,
    narva_editor,
    narva_moderator,
    response_cache,  # noqa: F811
):
    from directory import content_version
    from search.models import SearchDocument

    n = kovs["narva"]
    prices_url = "/api/v1/prices/?municipality=narva-linn"
    public = client.__class__()
    assert public.get(prices_url)["X-Cache"] == "MISS"
    assert public.get(prices_url)["X-Cache"] == "HIT"
    client.force_login(narva_editor)
    with time_machine.travel(dt.datetime(2024, 12, 1, 9, 0, tzinfo=dt.UTC)):  # a new price starts later
        new_price(client, n.offer, "11.00", "2025-01-01")
        new_price(client, n.offer, "12.00", "2025-06-01")
    first, second = Price.objects.filter(status=PriceStatus.PENDING).order_by("valid_from")
    version = content_version.current().number
    client.force_login(narva_moderator)
    response = client.post(
        reverse("publishing:approve_selected"),
        {"entry": [f"price:{second.pk}", f"price:{first.pk}"], "decision": "approve"},
    )
    assert response.status_code == 302
    for price in (n.price, first, second):
        price.refresh_from_db()
    ends = (n.price.valid_to, first.valid_to, second.valid_to)
    assert ends == (dt.date(2024, 12, 31), dt.date(2025, 5, 31), None)
    assert first.status == second.status == PriceStatus.PUBLISHED
    for price in (first, second):
        assert logged(price, "publishing.approve").get().user == narva_moderator
    assert content_version.current().number > version
    assert "12.00" in str(SearchDocument.objects.get(key=f"offer:{n.offer.pk}").data)
    fresh = public.get(prices_url)
    assert fresh["X-Cache"] == "MISS"
    assert [row["price_individual"] for row in fresh.json()["results"]] == ["12.00"]
