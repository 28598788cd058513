"""The professionals' page and the family leaflet, over HTTP in et/ru/en: a place (any
municipality or settlement) and a situation give the agreed route with a tap-to-call contact
and the response promise, or a clear fallback; the leaflet has a short link and a QR code."""

import re

import pytest

from directory.models import PriceStatus
from referrals.models import ReferralRoute

pytestmark = pytest.mark.django_db


def page(client, language, **query):
    return client.get(f"/{language}/professionals/", query)


@pytest.mark.parametrize(
    ("language", "says"),
    [
        ("et", "ei edasta kunagi suunamisi"),
        ("ru", "никогда не передаёт направления"),
        ("en", "never carries referrals"),
    ],
)
def test_the_page_says_it_carries_no_referrals_in_each_language(client, routes, language, says):
    response = page(client, language)
    assert response.status_code == 200
    assert says in response.content.decode()


def test_narva_hospital_route_with_tap_to_call_and_promise_in_russian(client, routes):
    response = page(
        client, "ru", municipality="narva-linn", situation="elderly-in-need", partner_kind="hospital"
    )
    html = response.content.decode()
    route = ReferralRoute.objects.get(municipality__code="narva-linn", partner_kind="hospital")
    assert f'id="route-{route.pk}"' in html
    assert "в течение 2 рабочих дней" in html
    contact = route.contact_on()
    assert f'href="{contact.tel_href}"' in html and contact.name in html
    assert f"/ru/professionals/routes/{route.pk}/leaflet/" in html
    assert "Демонстрационные данные" in html  # demo routes say so


def test_a_settlement_finds_its_municipalitys_routes(client, routes):
    response = page(client, "et", q="Jõhvi küla", situation="elderly-in-need")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Jõhvi Perearstikeskus" in html and "Narva Haigla" not in html


def test_no_route_gives_the_social_worker_and_the_general_channel(client, routes):
    response = page(client, "en", municipality="johvi-vald", situation="person-centred-special-care")
    html = response.content.decode()
    assert "No route is agreed for this in Jõhvi" in html
    assert 'href="tel:' in html
    assert "/en/kov/johvi-vald/#contacts" in html


def test_unknown_situation_is_a_clear_400_in_the_users_language(client, routes):
    response = page(client, "ru", municipality="narva-linn", situation="no-such-thing")
    assert response.status_code == 400
    assert "Мы не знаем такую ситуацию" in response.content.decode()


def test_drafts_and_pending_routes_stay_private(client, routes):
    route = ReferralRoute.objects.get(municipality__code="narva-linn", partner_kind="hospital")
    route.status = PriceStatus.PENDING
    route.save()
    html = page(client, "et", municipality="narva-linn").content.decode()
    assert f'id="route-{route.pk}"' not in html
    assert client.get(f"/et/professionals/routes/{route.pk}/leaflet/").status_code == 404


@pytest.mark.parametrize(
    ("language", "heading", "when"),
    [
        ("et", "Mis edasi saab", "2 tööpäeva jooksul"),
        ("ru", "Что будет дальше", "2 рабочих дней"),
        ("en", "What happens next", "2 working days"),
    ],
)
def test_the_leaflet_in_each_language_with_short_link_and_qr(client, routes, language, heading, when):
    route = ReferralRoute.objects.get(municipality__code="narva-linn", partner_kind="hospital")
    response = client.get(f"/{language}/professionals/routes/{route.pk}/leaflet/")
    html = response.content.decode()
    assert response.status_code == 200
    assert heading in html and when in html
    assert f"http://testserver/r/{route.pk}/{language}/" in html
    assert re.search(r"<svg[^>]*>.*<path", html, re.S)  # the QR code, drawn on the server
    assert "€" in html  # what Narva's own offers cost
    short = client.get(f"/r/{route.pk}/{language}/")
    assert (
        short.status_code == 302
        and short["Location"] == f"/{language}/professionals/routes/{route.pk}/leaflet/"
    )


def test_home_page_and_footer_link_to_the_professionals_page(client, routes):
    html = client.get("/ru/").content.decode()
    assert html.count('href="/ru/professionals/"') >= 2
