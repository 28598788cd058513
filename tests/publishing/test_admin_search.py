"""The admin's search for KOV staff, over HTTP with a real login through the login form: the
dashboard offers a search of the user's own offers, prices, contacts and providers (not
Wagtail's "Search all pages", which answers "no access" to people without page rights); the
sidebar's search goes to the same place; another KOV's rows are never found."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def logged_in(client, user):
    response = client.post("/admin/login/", {"username": user.username, "password": "pw-" + user.username})
    assert response.status_code == 302
    return client


def test_the_dashboard_search_finds_the_editors_own_offers_contacts_and_providers(client, kovs, narva_editor):
    narva, tallinn = kovs["narva"], kovs["tallinn"]
    client = logged_in(client, narva_editor)
    dashboard = client.get("/admin/").content.decode()
    assert reverse("publishing:search") in dashboard
    assert 'action="/admin/pages/' not in dashboard  # no dead "Search all pages"

    page = client.get(reverse("publishing:search"), {"q": "sotsiaalosakond"}).content.decode()
    assert f"/offer/edit/{narva.offer.pk}/" in page and f"/provider/edit/{narva.provider.pk}/" in page
    assert f"/price/edit/{narva.price.pk}/" in page
    assert f"/offer/edit/{tallinn.offer.pk}/" not in page and tallinn.provider.name not in page

    page = client.get(reverse("publishing:search"), {"q": narva.contact.name}).content.decode()
    assert f"/contactperson/edit/{narva.contact.pk}/" in page
    page = client.get(reverse("publishing:search"), {"q": tallinn.contact.name}).content.decode()
    assert f"/contactperson/edit/{tallinn.contact.pk}/" not in page


def test_the_search_speaks_the_users_language(client, kovs, narva_editor):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(narva_editor)
    profile.preferred_language = "ru"
    profile.save()
    client = logged_in(client, narva_editor)
    page = client.get(reverse("publishing:search"), {"q": "Narva"}).content.decode()
    main = page[page.find("<main") :]
    assert "Поиск предложений" in main and "Цены: 1" in main and "Ничего не найдено" in main
    assert " from " not in main and "Nothing" not in main


def test_the_sidebar_search_goes_to_the_kov_search_for_kov_staff(client, kovs, narva_editor):
    client = logged_in(client, narva_editor)
    sidebar = client.get("/admin/").content.decode()
    assert '"wagtail.sidebar.SearchModule", "_args": ["/admin/publishing/search/"]' in sidebar


def test_people_without_a_kov_cannot_use_it(client, kovs, django_user_model):
    from django.contrib.auth.models import Permission

    nobody = django_user_model.objects.create_user("nobody", "n@kov.example", "pw-nobody")
    nobody.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = logged_in(client, nobody)
    assert client.get(reverse("publishing:search"), {"q": "x"}).status_code == 403


def test_the_price_listing_names_amounts_in_the_users_language(client, kovs, narva_editor):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(narva_editor)
    profile.preferred_language = "ru"
    profile.save()
    client = logged_in(client, narva_editor)
    page = client.get("/admin/snippets/directory/price/").content.decode()
    assert "10,00 € / " in page and " from " not in page and "EUR" not in page
    assert f"/admin/snippets/directory/price/edit/{kovs['narva'].price.pk}/" in page
