"""The home page, the municipalities index and a municipality page render in every language."""

import datetime as dt

import pytest

from tests.factories import ContactPersonFactory, OfferFactory, published_price

pytestmark = pytest.mark.django_db

LANGS = ["et", "ru", "en"]


@pytest.mark.parametrize("lang", LANGS)
def test_home_page_renders_in_each_language(client, site_tree, lang):
    response = client.get(f"/{lang}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert "/kov/narva-linn/" in html


@pytest.mark.parametrize("lang", LANGS)
def test_municipality_index_lists_all_municipalities(client, site_tree, lang):
    response = client.get(f"/{lang}/kov/")
    assert response.status_code == 200
    assert response.content.decode().count("/kov/") >= 79


@pytest.mark.parametrize(
    "lang,name,contact_text",
    [
        ("et", "Narva linn", "KOV sotsiaaltöötaja"),
        ("ru", "город Нарва", "Социальный работник самоуправления"),
        ("en", "Narva", "Municipal social worker"),
    ],
)
def test_municipality_page_shows_current_prices_and_contacts(client, site_tree, lang, name, contact_text):
    from directory.models import Municipality, Role, Service

    narva = Municipality.objects.get(code="narva-linn")
    offer = OfferFactory(municipality=narva, component=None, service=Service.objects.get(code="home-care"))
    published_price(offer, dt.date(2023, 1, 1), "5.10")
    published_price(offer, dt.date(2024, 1, 1), "6.20")
    ContactPersonFactory(municipality=narva, role=Role.objects.get(code="social-worker"), name="Olga Petrova")

    response = client.get(f"/{lang}/kov/narva-linn/")
    assert response.status_code == 200
    html = response.content.decode()
    assert name in html
    assert "6.20" in html or "6,20" in html
    assert "5.10" not in html and "5,10" not in html, "a superseded price is not current"
    assert "Olga Petrova" in html and contact_text in html
    assert 'href="tel:+37251234567"' in html


def test_language_switch_keeps_the_page(client, site_tree):
    html = client.get("/et/kov/narva-linn/").content.decode()
    assert 'href="/ru/kov/narva-linn/"' in html
    assert 'href="/en/kov/narva-linn/"' in html
    assert 'hreflang="ru"' in html


def test_root_redirects_to_a_language(client, site_tree):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 302
    assert response["Location"].startswith("/ru/")
