"""Too few places: free places and waiting time per municipality and county, through HTTP;
a stale statement counts as unknown, never as zero free places."""

import csv
import datetime as dt
import io
import re

import pytest

from tests.factories import AvailabilityFactory, CountyFactory, MunicipalityFactory, OfferFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def statements():
    county = CountyFactory(code="tartu", ehak="0079", name_et="Tartu maakond")
    elva = MunicipalityFactory(code="elva-vald", name_et="Elva vald", county=county)
    kastre = MunicipalityFactory(code="kastre-vald", name_et="Kastre vald", county=county)
    today = dt.date.today()
    AvailabilityFactory(offer=OfferFactory(municipality=elva), capacity=20, free_places=0, waiting_days=60)
    AvailabilityFactory(offer=OfferFactory(municipality=elva), capacity=10, free_places=0, waiting_days=40)
    AvailabilityFactory(offer=OfferFactory(municipality=kastre), capacity=15, free_places=4, waiting_days=0)
    old = OfferFactory(municipality=kastre)
    AvailabilityFactory(offer=old, capacity=30, free_places=0, as_of=today - dt.timedelta(days=90))
    return elva, kastre


def test_places_page_shows_free_places_and_waits_per_municipality_and_county(client, statements):
    response = client.get("/en/analytics/places/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Elva vald</a> <strong>(scarce)</strong>" in html
    assert "0 / 30" in html  # Elva: no free place of 30
    assert "4 / 15" in html  # Kastre: the stale statement's 30 places are not counted
    assert "Tartu maakond <strong>(scarce)</strong>" in html  # median wait of 60, 40, 0 days is 40
    assert '<td class="num">50.0</td>' in html  # Elva's median wait


def test_places_csv_counts_stale_statements_as_unknown(client, statements):
    response = client.get("/en/analytics/places.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    by_code = {row[1]: row for row in rows[1:]}
    assert by_code["kastre-vald"][3:8] == ["1", "1", "15", "4", "0"]
    assert by_code["elva-vald"][3:8] == ["2", "0", "30", "0", "2"]


def test_places_filters_are_checked(client, statements):
    response = client.get("/et/analytics/places/?county=atlantis")
    assert response.status_code == 400
    assert "atlantis" in response.content.decode()


def test_places_map_colours_scarce_municipalities_and_leaves_stale_ones_unknown(client, statements):
    html = client.get("/en/analytics/places/").content.decode()
    assert '<svg class="map-svg"' in html
    paths = {
        label: css for css, label in re.findall(r'<path class="(\w+)" d="[^"]*"><title>([^<]*)</title>', html)
    }
    assert paths["Elva vald: 0 free of 30 places"] == "q0"
    assert paths["Kastre vald: 4 free of 15 places"] == "q4"
    assert paths["Tallinn"] == "out"
    assert 'href="#municipalities"' in html
