"""Price comparison: per unit (never mixed), min/median/max, the client's share, by county,
and history at yearly points that agree with Price.objects.on(date)."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest

from analytics.prices import compare_prices, history_dates
from directory.models import Price
from tests.factories import OfferFactory, PriceFactory, published_price
from tests.html import assert_no_inline_code

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def priced(world):
    p0, p1, p2 = world.providers
    kose = OfferFactory(municipality=world.kose, component=world.support, provider=p0)
    published_price(kose, D(2023, 1, 1), "10.00", unit=world.hour)
    published_price(kose, D(2025, 3, 1), "12.00", unit=world.hour, client_share_percent=Decimal("10"))
    anija = OfferFactory(municipality=world.anija, component=world.support, provider=p1)
    published_price(
        anija,
        D(2024, 1, 1),
        "20.00",
        unit=world.hour,
        client_share_amount=Decimal("1.50"),
        price_group=Decimal("9.00"),
    )
    kohila = OfferFactory(municipality=world.kohila, component=world.support, provider=p2)
    published_price(kohila, D(2024, 6, 1), "50.00", unit=world.visit)
    # An offer without any price, and a draft price that is not public.
    unpriced = OfferFactory(municipality=world.kohila, component=world.support, provider=p0)
    PriceFactory(offer=unpriced, unit=world.hour, price_individual=Decimal("1.00"))
    return world


def test_prices_are_kept_apart_by_unit(priced):
    report = compare_prices(priced.support)

    assert [u.unit.code for u in report.units] == ["hour", "visit"]
    hour, visit = report.units
    assert (hour.individual.count, hour.individual.min, hour.individual.median, hour.individual.max) == (
        2,
        Decimal("12.00"),
        Decimal("16.00"),
        Decimal("20.00"),
    )
    assert (visit.individual.count, visit.individual.median) == (1, Decimal("50.00"))
    assert (hour.group.count, hour.group.max) == (1, Decimal("9.00"))
    assert report.offers_without_price == 1
    assert report.municipalities_offering == 3


def test_the_clients_share_is_compared_in_euros_per_unit(priced):
    hour = compare_prices(priced.support).units[0]
    shares = {row.municipality.code: row.share for row in hour.rows}

    assert shares == {"kose-vald": Decimal("1.20"), "anija-vald": Decimal("1.50")}
    assert (hour.share.min, hour.share.median, hour.share.max) == (
        Decimal("1.20"),
        Decimal("1.35"),
        Decimal("1.50"),
    )


def test_county_statistics_cover_the_countys_prices_only(priced):
    hour = compare_prices(priced.support).units[0]
    [harju] = hour.by_county
    assert harju.area == priced.harju
    assert (harju.individual.min, harju.individual.max) == (Decimal("12.00"), Decimal("20.00"))


def test_history_at_yearly_points_matches_price_on_each_date(priced):
    hour = compare_prices(priced.support).units[0]

    assert [p.date for p in hour.history] == [
        D(2023, 1, 1),
        D(2024, 1, 1),
        D(2025, 1, 1),
        D(2026, 1, 1),
        D(2026, 6, 1),
    ]
    for point in hour.history:
        in_force = Price.objects.on(point.date).filter(offer__component=priced.support, unit=priced.hour)
        assert point.individual.count == in_force.count()
    medians = [p.individual.median for p in hour.history]
    assert medians == [
        Decimal("10.00"),
        Decimal("15.00"),
        Decimal("15.00"),
        Decimal("16.00"),
        Decimal("16.00"),
    ]


def test_history_dates_start_at_the_first_price():
    assert history_dates(D(2024, 5, 3), D(2026, 6, 1)) == [
        D(2024, 5, 3),
        D(2025, 1, 1),
        D(2026, 1, 1),
        D(2026, 6, 1),
    ]
    assert history_dates(None, D(2026, 6, 1)) == [D(2026, 6, 1)]


def test_filter_by_county_and_municipality(priced):
    assert compare_prices(priced.support, county=priced.rapla).units[0].unit.code == "visit"
    report = compare_prices(priced.support, municipality=priced.kose)
    assert [r.price.price_individual for r in report.units[0].rows] == [Decimal("12.00")]


@pytest.mark.parametrize("lang", ["et", "ru", "en"])
def test_the_page_draws_accessible_charts_with_data_tables(
    client, priced, lang, django_assert_max_num_queries
):
    with django_assert_max_num_queries(16):
        response = client.get(f"/{lang}/analytics/prices/?component=personal-support")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('role="img"') == 2 * 3, "county, history and municipality charts for each unit"
    assert 'aria-labelledby="chart-history-hour-title chart-history-hour-desc"' in html
    assert '<desc id="chart-county-hour-desc">' in html
    assert_no_inline_code(html)
    number = {"et": "16,00", "ru": "16,00", "en": "16.00"}[lang]
    assert number in html, "the median appears in the data table, localised"


@pytest.mark.parametrize("lang, median", [("et", "16,00"), ("ru", "16,00"), ("en", "16.00")])
def test_chart_labels_are_in_the_pages_number_format(client, priced, lang, median):
    html = client.get(f"/{lang}/analytics/prices/?component=personal-support").content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert f">{median}</text>" in svg
    assert "{}</td>".format("10\u00a0% (1,20\u00a0€)" if lang != "en" else "10\u00a0% (1.20\u00a0€)") in html


def test_svg_coordinates_are_not_localised(client, priced):
    html = client.get("/et/analytics/prices/?component=personal-support").content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'x="' in svg and not any(f'{attr}="{d},' in svg for attr in ("x", "y", "width") for d in range(10))


def test_without_an_item_the_page_lists_what_can_be_compared(client, priced):
    html = client.get("/en/analytics/prices/").content.decode()
    assert "?component=personal-support" in html and "?service=home-care" in html


def test_csv_has_one_row_per_price_in_force(client, priced):
    body = client.get("/en/analytics/prices.csv?component=personal-support").content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert len(rows) == 1 + 3
    anija = next(r for r in rows if r[3] == "anija-vald")
    assert anija[1] == "hour" and anija[6:11] == ["20.00", "9.00", "1.50", "", "1.50"]


def test_api_gives_stats_rows_and_history_per_unit(client, priced):
    data = client.get("/api/v1/analytics/prices/?component=personal-support&lang=en").json()

    assert data["item"] == {"kind": "component", "code": "personal-support", "name": "Personal support"}
    hour = data["units"][0]
    assert hour["unit"] == {"code": "hour", "name": "hour"}
    assert hour["individual"] == {"count": 2, "min": "12.00", "median": "16.00", "max": "20.00"}
    assert hour["client_share_per_unit"]["median"] == "1.35"
    assert hour["history"][0] == {
        "date": "2023-01-01",
        "individual": {"count": 1, "min": "10.00", "median": "10.00", "max": "10.00"},
    }
    assert data["units"][1]["unit"]["code"] == "visit"


def test_api_needs_an_item_and_rejects_both(client, priced):
    response = client.get("/api/v1/analytics/prices/?lang=en")
    assert response.status_code == 400
    assert response.json()["errors"]["component"] == ["Give a component or a service code."]
    response = client.get("/api/v1/analytics/prices/?component=personal-support&service=home-care&lang=en")
    assert response.status_code == 400
    assert response.json()["errors"]["__all__"] == ["Choose a component or a service, not both."]
    response = client.get("/api/v1/analytics/prices/?service=nope&lang=en")
    assert response.json()["errors"]["service"] == ["Unknown service code “nope”."]
