"""The search page narrows offers by how to get them — open on weekends or evenings, free
places now, at home or remotely — and sorts them by distance from a named place or the
browser's position. A plain form: it works without JavaScript, and nothing is stored."""

import datetime as dt

import pytest

from directory.models import Availability, Eligibility, Offer, OpeningHours
from tests.factories import ServiceLocationFactory


@pytest.fixture
def access(world):
    """Tartu's home care: in the centre, open on Saturdays, 2 free places, at home. Its
    support person: met in Elva, open till 20:00 on weekdays, full, remotely. (Search shows
    offers of a chosen municipality.)"""
    tartu = Offer.objects.get(municipality__code="tartu-linn", service__code="home-care")
    other = Offer.objects.get(municipality__code="tartu-linn", service__code="support-person")
    for offer, lat, lon in ((tartu, 58.3806, 26.7251), (other, 58.2225, 26.4215)):
        location = ServiceLocationFactory(
            municipality=offer.municipality, provider=offer.provider, latitude=lat, longitude=lon
        )
        location.offers.add(offer)
    hours = {"opens": dt.time(9), "closes": dt.time(13)}
    OpeningHours.objects.create(location=tartu.locations.get(), weekday=5, **hours)
    evening = {"opens": dt.time(12), "closes": dt.time(20)}
    OpeningHours.objects.create(location=other.locations.get(), weekday=1, **evening)
    today = dt.date.today()
    Availability.objects.create(offer=tartu, capacity=10, free_places=2, as_of=today)
    Availability.objects.create(offer=other, capacity=10, free_places=0, waiting_days=40, as_of=today)
    Eligibility.objects.create(offer=tartu, at_home=True)
    Eligibility.objects.create(offer=other, remote=True)
    return tartu, other


def shown(client, **params) -> str:
    response = client.get("/et/search/", {"q": "koduteenus", "municipality": "tartu-linn", **params})
    assert response.status_code == 200, response.content.decode()[-2000:]
    html = response.content.decode()
    return html[html.index("local-offers") :] if "local-offers" in html else ""


def offer_link(offer) -> str:
    return f'href="/et/offers/{offer.pk}/"'


@pytest.mark.parametrize(
    "params,narva_shown,tartu_shown",
    [
        ({}, True, True),
        ({"open": "weekend"}, True, False),
        ({"open": "evening"}, False, True),
        ({"free": "1"}, True, False),
        ({"delivery": "at-home"}, True, False),
        ({"delivery": "remote"}, False, True),
    ],
)
def test_filters_keep_only_the_offers_that_fit(client, access, params, narva_shown, tartu_shown):
    narva, tartu = access
    html = shown(client, **params)
    assert (offer_link(narva) in html) is narva_shown
    assert (offer_link(tartu) in html) is tartu_shown


def test_stale_free_places_are_unknown_not_free(client, access):
    narva, _tartu = access
    Availability.objects.filter(offer=narva).update(as_of=dt.date.today() - dt.timedelta(days=90))
    assert offer_link(narva) not in shown(client, free="1")


def test_offers_nearest_to_a_named_settlement_come_first(client, access):
    narva, tartu = access  # the centre's and Elva's
    html = shown(client, near="Elva")
    assert html.index(offer_link(tartu)) < html.index(offer_link(narva))
    assert "km" in html and "Elva" in html


def test_the_browsers_position_sorts_too_and_is_only_echoed_in_the_form(client, access):
    narva, tartu = access
    html = shown(client, lat="58.38", lon="26.72")  # Tartu's centre
    assert html.index(offer_link(narva)) < html.index(offer_link(tartu))


@pytest.mark.parametrize(
    "params,message",
    [({"near": "Atlantis"}, "Atlantis"), ({"lat": "60.17", "lon": "24.94"}, "ei ole Eestis")],
)
def test_an_unknown_place_or_a_position_abroad_is_explained(client, access, params, message):
    response = client.get("/et/search/", {"q": "koduteenus", "municipality": "tartu-linn", **params})
    assert response.status_code == 400
    assert message in response.content.decode()
