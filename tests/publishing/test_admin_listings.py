"""Finding things in the admin, over HTTP with real logins: the listings of offers, prices,
contacts and providers search by name and filter, limited to the user's KOV; the dashboard
shows the user's own work with counts; a published price opens read-only with a way to add
the next one."""

from decimal import Decimal

import pytest
from django.urls import reverse

from publishing import workflow

pytestmark = pytest.mark.django_db


def text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_listings_search_and_filter_within_the_users_kov(narva_client, kovs):
    narva, tallinn = kovs["narva"], kovs["tallinn"]
    found = text(narva_client.get("/admin/snippets/directory/offer/?q=sotsiaalosakond"))
    assert narva.provider.name in found and tallinn.provider.name not in found
    nothing = text(narva_client.get("/admin/snippets/directory/offer/?q=zzzz-nothing"))
    assert narva.provider.name not in nothing
    contact = narva.contact
    found = text(narva_client.get(f"/admin/snippets/directory/contactperson/?q={contact.name.split()[0]}"))
    assert f"/contactperson/edit/{contact.pk}/" in found
    assert f"/contactperson/edit/{tallinn.contact.pk}/" not in found
    assert narva.provider.name not in text(narva_client.get("/admin/snippets/directory/offer/?status=draft"))
    assert "sotsiaalosakond" in text(narva_client.get("/admin/snippets/directory/provider/?q=sotsiaal"))
    assert text(narva_client.get("/admin/snippets/directory/price/?q=sotsiaalosakond&status=published"))


def test_the_dashboard_counts_the_users_own_work(client, kovs, narva_editor, narva_moderator):
    workflow.propose(kovs["narva"].contact, {"phone": "+372 5555"}, narva_editor)
    client.force_login(narva_editor)
    page = text(client.get("/admin/"))
    assert "Minu töö" in page and "Minu saadetud, ootavad moderaatorit" in page
    client.force_login(narva_moderator)
    page = text(client.get("/admin/"))
    assert "Ootavad minu kinnitust" in page


def test_a_published_price_opens_read_only_with_add_a_new_price(narva_client, kovs):
    price = kovs["narva"].price
    response = narva_client.get(f"/admin/snippets/directory/price/edit/{price.pk}/", follow=True)
    page = text(response)
    assert response.redirect_chain[-1][0].endswith(f"/admin/snippets/directory/price/inspect/{price.pk}/")
    assert reverse("publishing:new_price", args=[kovs["narva"].offer.pk]) in page


@pytest.mark.parametrize("typed", ["4,40", "4.40", " 4,40 € "])
def test_a_price_typed_with_a_comma_or_a_point_is_stored_as_written(narva_client, kovs, typed):
    offer = kovs["narva"].offer
    data = {
        "unit": offer.prices.first().unit_id,
        "price_individual": typed,
        "valid_from": "2030-01-01",
        "client_share": "amount",
        "client_share_value": "1,10",
        "confirm_change": "on",  # 10.00 → 4.40 is a large change
        "submit": "1",
    }
    assert narva_client.post(reverse("publishing:new_price", args=[offer.pk]), data).status_code == 302
    price = offer.prices.get(status="pending")
    assert price.price_individual == Decimal("4.40") and price.client_share_amount == Decimal("1.10")


def test_a_large_change_or_a_missing_client_share_is_asked_about_not_saved(narva_client, kovs):
    offer = kovs["narva"].offer
    url = reverse("publishing:new_price", args=[offer.pk])
    data = {"unit": offer.prices.first().unit_id, "price_individual": "1044,00", "valid_from": "2030-01-01"}
    page = narva_client.post(url, {**data, "submit": "1"}).content.decode()
    assert "client_share" in page and not offer.prices.exclude(status="published").exists()
    page = narva_client.post(url, {**data, "client_share": "none", "submit": "1"}).content.decode()
    assert "+10340" in page and not offer.prices.exclude(status="published").exists()
    data.update(client_share="none", confirm_change="on", submit="1")
    assert narva_client.post(url, data).status_code == 302
