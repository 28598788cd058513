"""The search page narrows offers by how to get them — open on weekends or evenings, free
places now, at home or remotely — and sorts them by distance from a named place or the
browser's position. A plain form: it works without JavaScript, and nothing is stored."""

import datetime as dt
import re

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


@pytest.fixture
def many_open_on_saturdays(world):
    """55 more home-care offers in Tartu, each open on Saturdays at its own place, 1 km further
    north of Elva than the one before: more than the 50 the search engine gives at once."""
    from decimal import Decimal

    from directory.models import Price, Provider, Unit
    from search import indexing

    tartu_care = Offer.objects.get(municipality__code="tartu-linn", service__code="home-care")
    offers = []
    for n in range(55):
        provider = Provider.objects.create(name=f"Hooldaja {n:02d} OÜ", kind="company")
        offer = Offer.objects.create(
            municipality=tartu_care.municipality,
            service=tartu_care.service,
            provider=provider,
            valid_from=dt.date(2023, 1, 1),
        )
        Price(
            offer=offer,
            unit=Unit.objects.get(code="hour"),
            price_individual=Decimal("7"),
            valid_from=dt.date(2024, 1, 1),
        ).publish()
        location = ServiceLocationFactory(
            municipality=offer.municipality,
            provider=provider,
            latitude=58.2225 + n * 0.009,
            longitude=26.4215,
        )
        location.offers.add(offer)
        OpeningHours.objects.create(location=location, weekday=5, opens=dt.time(9), closes=dt.time(13))
        offers.append(offer)
    indexing.flush()
    return offers


def result_page(client, page: int) -> str:
    params = {"q": "koduteenus", "municipality": "tartu-linn", "open": "weekend", "near": "Elva"}
    response = client.get("/et/search/", {**params, "page": page})
    assert response.status_code == 200
    return response.content.decode()


def listed(html: str) -> tuple[list[str], list[float], int]:
    """The offers' links and distances on the page, and how many other results it lists."""
    results = html[html.index('id="results-heading"') : html.index("search-facets")]
    start = results.find("local-offers")
    offers = results[start : results.index("</ul>", start)] if start >= 0 else ""
    links = re.findall(r'class="result-title" href="(/et/offers/\d+/)"', offers)
    km = [float(n.replace(",", ".")) for n in re.findall(r"([\d,]+) km kohast", offers)]
    others = (
        results[results.index('<ol class="result-list">') :] if '<ol class="result-list">' in results else ""
    )
    return links, km, others.count('class="result result-')


def heading(html: str) -> str:
    start = html.index('id="results-heading"')
    return re.sub(r"<[^>]+>|\s+", " ", html[start : html.index("</h2>", start)])


def test_filtered_results_page_through_all_of_them_nearest_first(client, many_open_on_saturdays):
    total = int(re.search(r"(\d+)-st", heading(result_page(client, 1))).group(1))
    links, distances, count = [], [], 0
    for page in range(1, total // 10 + 2):
        html = result_page(client, page)
        first, last = (page - 1) * 10 + 1, min(page * 10, total)
        assert f"{first}–{last} tulemust {total}-st" in heading(html)
        assert ('rel="next"' in html) is (last < total)
        assert ('rel="prev"' in html) is (page > 1)
        on_page, km, others = listed(html)
        assert len(on_page) + others == last - first + 1
        links += on_page
        distances += km
        count += len(on_page) + others
    assert count == total
    assert sorted(links) == sorted(f"/et/offers/{offer.pk}/" for offer in many_open_on_saturdays)
    assert distances == sorted(distances) and len(distances) == 55  # nearest first across pages


def test_filtered_heading_and_facets_count_the_narrowed_list(client, many_open_on_saturdays):
    html = result_page(client, 1)
    facets = re.sub(r"<[^>]+>|\s+", " ", html[html.index("search-facets") :])
    assert "Tartu linn (55)" in facets  # where it is offered: the 55 open on Saturdays


def kind_facet(html: str) -> set[str]:
    """The kind facet's "name (count)" choices."""
    facets = html[html.index("search-facets") :]
    text = re.sub(r"<[^>]+>|\s+", " ", facets[: facets.index("</section>")])
    return {f"{name} ({count})" for name, count in re.findall(r"(\w+)\s*\((\d+)\)", text)}


def test_with_a_kind_chosen_the_kind_facet_still_counts_every_kind_as_the_unfiltered_search_does(
    client, many_open_on_saturdays
):
    params = {"q": "koduteenus", "municipality": "tartu-linn", "open": "weekend"}
    every_kind = client.get("/et/search/", params).content.decode()
    offers_only = client.get("/et/search/", {**params, "kind": "offer"}).content.decode()
    assert "pakkumine (55)" in kind_facet(every_kind) and len(kind_facet(every_kind)) > 1
    assert kind_facet(offers_only) == kind_facet(every_kind)
    assert "55-st" in heading(offers_only)  # the list and its count are the offers alone
