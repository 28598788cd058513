"""Coverage: offered by several providers, by one only, or not at all — per municipality,
per county and per item; the page, the CSV and the API agree with the data."""

import csv
import datetime as dt
import io

import pytest

from analytics.coverage import NONE, OFFERED, SINGLE, coverage
from analytics.models import KnownGap
from tests.analytics.factories import TargetGroupFactory
from tests.factories import OfferFactory
from tests.html import assert_no_inline_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def offers(world):
    p0, p1, p2 = world.providers
    # Kose: personal support from two providers; Anija: from one; Kohila: none.
    OfferFactory(municipality=world.kose, component=world.support, provider=p0)
    OfferFactory(municipality=world.kose, component=world.support, provider=p1)
    OfferFactory(municipality=world.anija, component=world.support, provider=p2)
    # Home care: Kohila only; Kose's offer was withdrawn last year and no longer counts.
    OfferFactory(municipality=world.kohila, component=None, service=world.home_care, provider=p0)
    OfferFactory(
        municipality=world.kose,
        component=None,
        service=world.home_care,
        provider=p0,
        valid_to=dt.date(2025, 12, 31),
    )
    return world


def _cell(report, municipality, code):
    row = next(r for r in report.rows if r.municipality == municipality)
    return next(c for c in row.cells if c.item.code == code)


def test_cells_count_distinct_providers_of_offers_in_force(offers):
    report = coverage()

    assert _cell(report, offers.kose, "personal-support").state == OFFERED
    assert _cell(report, offers.anija, "personal-support").state == SINGLE
    assert _cell(report, offers.kohila, "personal-support").state == NONE
    assert _cell(report, offers.kose, "home-care").state == NONE, "withdrawn offers do not count"
    assert _cell(report, offers.kohila, "home-care").providers == 1


def test_municipalities_are_grouped_by_county_with_totals(offers):
    report = coverage()

    assert [g.county.code for g in report.groups] == ["harju-maakond", "rapla-maakond"]
    harju = report.groups[0]
    assert [r.municipality.code for r in harju.rows] == ["anija-vald", "kose-vald"]
    support = next(t for t in harju.totals if t.item.code == "personal-support")
    assert (support.offered, support.single, support.none) == (1, 1, 0)
    # Harju: 2 municipalities × 4 items; offered: Kose support, Anija support.
    assert (harju.offered, harju.cells) == (2, 8)
    overall = {t.item.code: (t.offered, t.single, t.none) for t in report.totals}
    assert overall["home-care"] == (0, 1, 2)


def test_target_group_keeps_offers_for_the_group_or_for_everyone(offers):
    elderly = TargetGroupFactory(code="elderly")
    children = TargetGroupFactory(code="children")
    offers.home_care.target_groups.add(elderly)
    offers.childcare.target_groups.add(children)
    kohila_offer = offers.kohila.offers.get()
    kohila_offer.target_groups.add(children)

    report = coverage(target_group=elderly)

    assert [i.code for i in report.items] == ["home-care"]
    assert _cell(report, offers.kohila, "home-care").state == NONE, "that offer is for children only"


def test_domain_filter_keeps_its_components(offers):
    report = coverage(domain=offers.support.domain, kind="component")
    assert [i.code for i in report.items] == ["personal-support"]


def test_known_gaps_of_the_county_are_attached_to_their_item(offers):
    KnownGap.objects.create(
        key="0071:service:home-care:scarce",
        county=offers.rapla,
        kind="service",
        service=offers.home_care,
        status="scarce",
        source="rapla-2022.txt",
    )
    report = coverage()
    rapla = next(g for g in report.groups if g.county == offers.rapla)
    home = next(t for t in rapla.totals if t.item.code == "home-care")
    assert [g.source for g in home.known_gaps] == ["rapla-2022.txt"]
    assert len(report.gaps) == 1


@pytest.mark.parametrize("lang", ["et", "ru", "en"])
def test_the_page_renders_matrix_maps_and_tables_in_bounded_queries(
    client, offers, lang, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20):
        response = client.get(f"/{lang}/analytics/coverage/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="img"' in html and "<svg" in html
    assert 'id="county-table"' in html and 'id="matrix"' in html
    assert_no_inline_code(html)
    expected_name = {"et": "Isiklik tugi", "ru": "Личная поддержка", "en": "Personal support"}[lang]
    assert expected_name in html


def test_an_unknown_code_on_the_page_is_a_400_with_the_message(client, offers):
    response = client.get("/en/analytics/coverage/?county=atlantis")
    assert response.status_code == 400
    assert "Unknown county code “atlantis”." in response.content.decode()


def test_csv_is_utf8_with_bom_and_one_row_per_municipality_and_item(client, offers):
    response = client.get("/et/analytics/coverage.csv?kind=component")
    body = response.content.decode("utf-8")
    assert response["Content-Type"].startswith("text/csv")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert len(rows) == 1 + 3
    kose = next(r for r in rows if r[1] == "kose-vald")
    assert kose[4:] == ["personal-support", "Isiklik tugi", "2", "offered", "0"]  # 0 referral routes


def test_api_returns_cells_and_totals_translated_by_lang(client, offers):
    response = client.get("/api/v1/analytics/coverage/?lang=ru&county=harju-maakond")
    assert response.status_code == 200
    data = response.json()
    assert data["lang"] == "ru"
    assert [c["code"] for c in data["counties"]] == ["harju-maakond"]
    kose = next(m for m in data["counties"][0]["municipalities"] if m["code"] == "kose-vald")
    assert kose["cells"]["personal-support"] == {"providers": 2, "state": "offered"}
    assert data["counties"][0]["name"] == "Харьюмаа"
    support = next(i for i in data["items"] if i["code"] == "personal-support")
    assert support["name"] == "Личная поддержка"
    assert (support["offered"], support["single"], support["none"]) == (1, 1, 0)


@pytest.mark.parametrize(
    "query, field, message",
    [
        ("county=atlantis", "county", "Unknown county code “atlantis”."),
        ("municipality=nowhere", "municipality", "Unknown municipality code “nowhere”."),
        ("target_group=aliens", "target_group", "Unknown target group code “aliens”."),
        ("domain=space", "domain", "Unknown life domain code “space”."),
        ("component=teleport", "component", "Unknown component code “teleport”."),
        ("service=teleport", "service", "Unknown service code “teleport”."),
        ("lang=fi", "lang", "Unknown language “fi”; use et, ru or en."),
        ("kind=thing", "kind", "Unknown kind “thing”; use component or service."),
    ],
)
def test_api_rejects_unknown_codes_with_400_and_a_clear_message(client, offers, query, field, message):
    response = client.get(f"/api/v1/analytics/coverage/?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["errors"][field] == [message]


def test_api_error_messages_follow_lang(client, offers):
    response = client.get("/api/v1/analytics/coverage/?county=atlantis&lang=et")
    assert response.status_code == 400
    assert response.json()["errors"]["county"] == ["Tundmatu maakonna kood „atlantis“."]
