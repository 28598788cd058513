"""The municipality chooser accepts any village, town or city district in et, ru and en —
through HTTP, without JavaScript — and lands on the municipality it belongs to."""

import re
from html import unescape

import pytest

from portal.choice import COOKIE_NAME
from tests.places_fixtures import places, places_world  # noqa: F401 - fixtures

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("places")]

LOOKUP_CASES = {
    "et": [
        ("Ahtme", "kohtla-jarve-linn"),
        ("Kiviõli", "luganuse-vald"),
        ("Lasnamäe", "tallinn"),
        ("Sinimäe", "narva-joesuu-linn"),
        ("Püssi", "luganuse-vald"),
        ("Haabneeme", "viimsi-vald"),
        ("Jõhvi", "johvi-vald"),
        ("Йохви", "johvi-vald"),
    ],
    "ru": [
        ("Ахтме", "kohtla-jarve-linn"),
        ("Кивиыли", "luganuse-vald"),
        ("Ласнамяэ", "tallinn"),
        ("Синимяэ", "narva-joesuu-linn"),
        ("Пюсси", "luganuse-vald"),
        ("Хаабнеэме", "viimsi-vald"),
        ("Йыхви", "johvi-vald"),
        ("Йохви", "johvi-vald"),
    ],
    "en": [
        ("Ahtme", "kohtla-jarve-linn"),
        ("Kivioli", "luganuse-vald"),
        ("Lasnamae", "tallinn"),
        ("Sinimae", "narva-joesuu-linn"),
        ("Pussi", "luganuse-vald"),
        ("Haabneeme", "viimsi-vald"),
        ("Johvi", "johvi-vald"),
        ("Йохви", "johvi-vald"),
    ],
}


@pytest.mark.parametrize("lang", ["et", "ru", "en"])
def test_typing_a_settlement_opens_its_municipality_and_remembers_it(client, lang):
    wrong = []
    for typed, code in LOOKUP_CASES[lang]:
        response = client.get(f"/{lang}/choose-municipality/", {"q": typed})
        if response.status_code != 302 or response["Location"] != f"/{lang}/kov/{code}/":
            wrong.append((typed, response.status_code, response.get("Location")))
        elif response.cookies[COOKIE_NAME].value != code:
            wrong.append((typed, "cookie", response.cookies[COOKIE_NAME].value))
    assert wrong == []


def test_the_page_of_the_chosen_municipality_opens(client):
    response = client.get("/ru/choose-municipality/", {"q": "Ахтме"}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [("/ru/kov/kohtla-jarve-linn/", 302)]


def test_villages_that_share_a_name_are_listed_with_municipality_and_county(client):
    response = client.get("/en/choose-municipality/", {"q": "Vanamõisa"})
    assert response.status_code == 200
    html = unescape(response.content.decode())
    item = (
        r'<li><a href="\?municipality=([a-z-]+)"><span lang="et">Vanamõisa küla</span></a>'
        r' — ([^<]+) <span class="county">\(([^)]+)\)</span></li>'
    )
    items = re.findall(item, html)
    assert len(items) == 12
    assert len({code for code, _name, _county in items}) == 12
    assert ("saue-vald", "Saue Parish", "Harju County") in items
    assert COOKIE_NAME not in response.cookies


def test_picking_from_the_list_keeps_where_the_resident_was_going(client):
    html = client.get(
        "/et/choose-municipality/", {"q": "Kohtla", "next": "/et/journeys/elderly-in-need/"}
    ).content.decode()
    assert "Kohtla küla" in html and "Kohtla-Järve linn" in html
    link = "?municipality=kohtla-jarve-linn&amp;next=/et/journeys/elderly-in-need/"
    assert f'href="{link}"' in html
    response = client.get("/et/choose-municipality/" + unescape(link))
    assert response["Location"] == "/et/journeys/elderly-in-need/"


def test_typed_text_wins_over_the_remembered_municipality_in_the_select(client):
    client.cookies[COOKIE_NAME] = "narva-linn"
    home = client.get("/et/").content.decode()
    assert re.search(r'<option value="narva-linn"[^>]* selected>', home)
    assert 'name="q"' in home, "without JavaScript there is a box for typing a place"
    response = client.get("/et/choose-municipality/", {"municipality": "narva-linn", "q": "Ahtme"})
    assert response["Location"] == "/et/kov/kohtla-jarve-linn/"
    assert client.get("/et/choose-municipality/", {"municipality": "narva-linn", "q": ""})["Location"] == (
        "/et/kov/narva-linn/"
    )


def test_a_bare_substring_of_another_name_does_not_choose_it(client):
    response = client.get("/et/choose-municipality/", {"q": "lähtme"})
    assert "joelahtme-vald" not in response.get("Location", "")
    assert "municipality=joelahtme-vald" not in response.content.decode()


def test_nothing_found_says_so_in_the_readers_language(client):
    response = client.get("/ru/choose-municipality/", {"q": "Qwxzy"})
    assert response.status_code == 400
    assert "Место «Qwxzy» не найдено" in response.content.decode()


def test_the_journey_page_accepts_a_settlement(client):
    response = client.get("/en/journeys/elderly-in-need/", {"q": "Sinimäe"})
    assert response.status_code == 200
    assert "Contacts and prices in Narva-Jõesuu" in response.content.decode()


def test_suggestions_name_each_place_with_its_municipality_and_county_in_the_page_language(client):
    data = client.get("/ru/choose-municipality/places/", {"q": "Ахтме"}).json()
    assert data["municipality"] == "kohtla-jarve-linn"
    assert data["places"][0] == {
        "name": "район Ахтме",
        "lang": "",
        "kind": "район города (linnaosa)",
        "municipality": "kohtla-jarve-linn",
        "municipality_name": "город Кохтла-Ярве",
        "county": "Ида-Вирумаа",
    }
    many = client.get("/et/choose-municipality/places/", {"q": "Vanamõisa"}).json()
    assert many["municipality"] is None and len(many["places"]) == 12
    assert client.get("/et/choose-municipality/places/", {"q": ""}).json()["places"] == []


def test_russian_pages_write_settlements_in_cyrillic_english_ones_mark_the_estonian_name(client):
    ru = unescape(client.get("/ru/choose-municipality/", {"q": "Kohtla"}).content.decode())
    assert "город Кохтла-Ярве" in ru and "деревня Кохтла" in ru
    assert "Kohtla küla" not in ru and 'lang="et"' not in ru.split("<main", 1)[1]
    en = unescape(client.get("/en/choose-municipality/", {"q": "Kohtla"}).content.decode())
    assert '<span lang="et">Kohtla küla</span>' in en
