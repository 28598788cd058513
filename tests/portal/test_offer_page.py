"""The offer page: what, where (map and addresses), when, who qualifies, how to apply, free
places and the wait, price, the KOV contact — in every language, without JavaScript."""

import datetime as dt
import json
import re

import pytest

from directory.models import OpeningException
from tests.factories import (
    AvailabilityFactory,
    ContactPersonFactory,
    CountyFactory,
    EligibilityFactory,
    HowToApplyFactory,
    MunicipalityFactory,
    OfferFactory,
    OpeningHoursFactory,
    ServiceLocationFactory,
    published_price,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer():
    county = CountyFactory(code="harjumaa", ehak="0037", name_et="Harju maakond")
    anija = MunicipalityFactory(code="anija-vald", ehak="0141", name_et="Anija vald", county=county)
    offer = OfferFactory(municipality=anija, languages=["et", "ru"])
    published_price(offer, dt.date(2024, 1, 1), "12.50")
    location = ServiceLocationFactory(
        provider=offer.provider, municipality=anija, name_en="Day centre", settlement="Kehra linn"
    )
    location.offers.add(offer)
    OpeningHoursFactory(location=location, weekday=0, opens=dt.time(9), closes=dt.time(12))
    OpeningHoursFactory(location=location, weekday=0, opens=dt.time(13), closes=dt.time(16))
    OpeningHoursFactory(location=location, weekday=5, opens=dt.time(10), closes=dt.time(14))
    OpeningException.objects.create(
        location=location,
        starts=dt.date.today(),
        ends=dt.date.today() + dt.timedelta(days=2),
        note_et="suvepuhkus",
    )
    EligibilityFactory(offer=offer, age_min=18, at_home=True, kov_decision_required=True)
    HowToApplyFactory(municipality=anija, phone="+372 600 0000", decision_days=14)
    AvailabilityFactory(offer=offer, capacity=20, free_places=3)
    ContactPersonFactory(municipality=anija, name="Kadri Kask")
    return offer


@pytest.mark.parametrize(
    ("lang", "texts"),
    [
        ("et", ["Kus", "Lahtiolekuajad", "Kes saab abi", "Kuidas taotleda", "20 kohast 3 vaba", "14 päeva"]),
        (
            "ru",
            [
                "Где",
                "Часы работы",
                "Кто может получить помощь",
                "Как подать заявление",
                "Свободно 3 мест из 20",
            ],
        ),
        ("en", ["Where", "Opening hours", "Who qualifies", "How to apply", "3 free places of 20", "14 days"]),
    ],
)
def test_offer_page_answers_where_when_who_and_how(client, offer, lang, texts):
    response = client.get(f"/{lang}/offers/{offer.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in texts:
        assert text in html, text
    assert "Pikk 12, Kehra linn, Anija vald, Harju maakond, 74306" in html
    assert "09:00</time>–<time>12:00" in html and "13:00</time>–<time>16:00" in html
    assert "https://www.vald.example/e-teenused" in html
    assert "Kadri Kask" in html
    assert f"/{lang}/offers/{offer.pk}/history/" in html
    assert f"/{lang}/report-a-mistake/offer/{offer.pk}/" in html


def test_offer_page_map_is_inline_svg_with_the_point_inside_the_frame(client, offer):
    html = client.get(f"/en/offers/{offer.pk}/").content.decode()
    svg = re.search(r"<svg class=\"area-map-svg\" viewBox=\"0 0 (\d+) (\d+)\".*?</svg>", html, re.S)
    assert svg, "the map is drawn on the server"
    width, height = int(svg.group(1)), int(svg.group(2))
    x, y = (float(v) for v in re.search(r'<circle cx="([\d.]+)" cy="([\d.]+)"', svg.group(0)).groups())
    assert 0 < x < width and 0 < y < height
    assert '<path class="area" d="M' in svg.group(0)
    assert "<script" not in svg.group(0) and "style=" not in html


def test_offer_page_json_ld_has_channels_and_opening_hours(client, offer):
    html = client.get(f"/en/offers/{offer.pk}/").content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    channels = data["availableChannel"]
    assert channels[0]["serviceUrl"] == "https://www.vald.example/e-teenused"
    assert channels[0]["servicePhone"]["telephone"] == "+372 600 0000"
    place = channels[1]["serviceLocation"]
    assert place["geo"]["latitude"] == pytest.approx(59.3353)
    days = [spec.get("dayOfWeek") for spec in place["openingHoursSpecification"]]
    assert days.count("https://schema.org/Monday") == 2 and "https://schema.org/Saturday" in days
    assert data["availableLanguage"] == ["Estonian", "Russian"]


def test_stale_availability_is_shown_as_unknown_not_as_zero(client, offer):
    AvailabilityFactory(offer=offer, capacity=20, free_places=0, as_of=dt.date.today() - dt.timedelta(days=5))
    offer.availability.update(as_of=dt.date.today() - dt.timedelta(days=45))
    html = client.get(f"/en/offers/{offer.pk}/").content.decode()
    assert "Unknown: the last statement is out of date." in html
    assert "0 free places" not in html


def test_untranslated_texts_fall_back_to_estonian_with_the_mark(client, offer):
    html = client.get(f"/ru/offers/{offer.pk}/").content.decode()
    assert 'lang="et"' in html
    assert "Abi saab valla elanik" in html


def test_offer_without_details_says_what_is_unknown(client):
    offer = OfferFactory()
    html = client.get(f"/en/offers/{offer.pk}/").content.decode()
    assert "has not published how to apply" in html
    assert "has not stated free places" in html


def test_draft_offer_has_no_page(client):
    offer = OfferFactory(status="draft")
    assert client.get(f"/en/offers/{offer.pk}/").status_code == 404


def test_offer_links_to_its_page(offer):
    from django.utils import translation

    with translation.override("ru"):
        assert offer.get_absolute_url() == f"/ru/offers/{offer.pk}/"
        assert offer.get_history_url() == f"/ru/offers/{offer.pk}/history/"


def test_offer_page_names_the_settlements_served_or_the_whole_municipality(client, offer):
    from directory.models import ServiceArea, Settlement

    html = client.get(f"/en/offers/{offer.pk}/").content.decode()
    assert "For residents of the whole of Anija vald." in html
    kehra = Settlement.objects.create(
        code="9003",
        name="Kehra linn",
        kind="vallasisene linn",
        municipality=offer.municipality,
        latitude=59.335,
        longitude=25.336,
    )
    ServiceArea.objects.create(offer=offer).settlements.set([kehra])
    html = client.get(f"/en/offers/{offer.pk}/").content.decode()
    assert 'For residents of: <span lang="et">Kehra linn</span> (Anija vald)' in html
    html = client.get(f"/ru/offers/{offer.pk}/").content.decode()
    assert "город Кехра" in html, "Russian pages write the settlement in Cyrillic"


def test_a_provider_is_named_in_the_pages_language_where_it_has_such_a_name(client, offer):
    provider = offer.provider
    provider.name_et, provider.name_ru, provider.name_en = (
        "Anija valla sotsiaalosakond",
        "Социальный отдел",
        None,
    )
    provider.save()
    assert "Социальный отдел" in client.get(f"/ru/offers/{offer.pk}/").content.decode()
    english = client.get(f"/en/offers/{offer.pk}/").content.decode()
    assert "Anija valla sotsiaalosakond" in english, "no English name: the Estonian one"


def test_municipality_page_has_a_how_to_apply_box(client, site_tree):
    from directory.models import Municipality

    narva = Municipality.objects.get(code="narva-linn")
    html = client.get("/en/kov/narva-linn/").content.decode()
    assert "has not published how to apply" in html
    HowToApplyFactory(municipality=narva, e_service_url="https://narva.example/apply", decision_days=7)
    html = client.get("/en/kov/narva-linn/").content.decode()
    assert 'id="how-to-apply"' in html
    assert "https://narva.example/apply" in html and "Decision within 7 days." in html
