"""Personal budget: a package priced in the person's municipality and its neighbours, with
the client's share, units respected, and everything in the URL."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from analytics.budget import NOT_OFFERED, OTHER_UNIT, PRICED, UNPRICED, neighbours, personal_budget
from tests.factories import MunicipalityFactory, OfferFactory, published_price
from tests.html import assert_no_inline_code

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def priced(world):
    p0, p1, _p2 = world.providers
    # Kose: personal support from two providers (12 and 15 €/h), home care 6 €/h with a 10 % share.
    for provider, amount in ((p0, "15.00"), (p1, "12.00")):
        offer = OfferFactory(municipality=world.kose, component=world.support, provider=provider)
        published_price(offer, D(2025, 1, 1), amount, unit=world.hour, client_share_amount=Decimal("2.00"))
    home = OfferFactory(municipality=world.kose, component=None, service=world.home_care, provider=p0)
    published_price(home, D(2025, 1, 1), "6.00", unit=world.hour, client_share_percent=Decimal("10"))
    # Anija: personal support priced per visit only; home care offered but not priced.
    offer = OfferFactory(municipality=world.anija, component=world.support, provider=p0)
    published_price(offer, D(2025, 1, 1), "40.00", unit=world.visit)
    OfferFactory(municipality=world.anija, component=None, service=world.home_care, provider=p0)
    # Kohila: personal support 10 €/h with no share stated; no home care.
    offer = OfferFactory(municipality=world.kohila, component=world.support, provider=p0)
    published_price(offer, D(2025, 1, 1), "10.00", unit=world.hour)
    return world


def test_the_package_costs_volume_times_the_cheapest_price_in_the_unit(priced):
    report = personal_budget(
        priced.kose,
        [(priced.support, Decimal("20"), priced.hour), (priced.home_care, Decimal("10"), priced.hour)],
    )
    support, home = report.home.lines

    assert (support.status, support.unit_price, support.cost, support.client_share) == (
        PRICED,
        Decimal("12.00"),
        Decimal("240.00"),
        Decimal("40.00"),
    )
    assert (home.cost, home.client_share) == (Decimal("60.00"), Decimal("6.00"))
    assert (report.home.total, report.home.client_share, report.home.complete) == (
        Decimal("300.00"),
        Decimal("46.00"),
        True,
    )


def test_neighbours_show_what_is_not_offered_unpriced_or_in_another_unit(priced):
    report = personal_budget(
        priced.kose,
        [(priced.support, Decimal("20"), priced.hour), (priced.home_care, Decimal("10"), priced.hour)],
    )
    by_code = {b.municipality.code: b for b in report.neighbours}

    anija = by_code["anija-vald"]
    assert [line.status for line in anija.lines] == [OTHER_UNIT, UNPRICED]
    assert [u.code for u in anija.lines[0].other_units] == ["visit"]
    assert (anija.total, anija.client_share, anija.complete) == (None, None, False), "unknown, not 0"
    kohila = by_code["kohila-vald"]
    assert [line.status for line in kohila.lines] == [PRICED, NOT_OFFERED]
    assert kohila.total == Decimal("200.00")
    assert kohila.lines[0].client_share is None and not kohila.share_complete


def test_neighbours_in_the_same_county_come_first_then_by_distance(priced):
    far = MunicipalityFactory(code="far-vald", county=priced.rapla, latitude=58.0, longitude=26.0)
    order = [m.code for m in neighbours(priced.kose, [priced.kose, far, priced.kohila, priced.anija])]
    assert order == ["anija-vald", "kohila-vald", "far-vald"], "Kohila is nearer but in another county"


URL = "/{lang}/analytics/budget/?municipality=kose-vald&q.personal-support=20&q.home-care=10"


@pytest.mark.parametrize("lang", ["et", "ru", "en"])
def test_the_page_prices_the_package_from_the_query_string(
    client, priced, lang, django_assert_max_num_queries
):
    with django_assert_max_num_queries(16):
        response = client.get(URL.format(lang=lang))
    assert response.status_code == 200
    html = response.content.decode()
    total = {"et": "300,00", "ru": "300,00", "en": "300.00"}[lang]
    assert total in html
    assert 'value="20"' in html, "the form keeps the package for changing it"
    assert_no_inline_code(html)
    assert "analytics/analytics.css" in html


def test_the_csv_has_a_line_per_municipality_and_item(client, priced):
    body = client.get(URL.format(lang="en").replace("/budget/", "/budget.csv")).content.decode("utf-8")
    lines = body.lstrip("\ufeff").strip().splitlines()
    assert len(lines) == 1 + 3 * 2
    assert (
        lines[1]
        == "kose-vald,Kose Parish,,personal-support,Personal support,20,hour,priced,12.00,240.00,40.00"
    )


@pytest.mark.parametrize(
    "query, message",
    [
        ("municipality=kose-vald&q.personal-support=-3", "greater than or equal to 0"),
        ("municipality=kose-vald&q.personal-support=lots", "Enter a number."),
        ("municipality=kose-vald&q.personal-support=5&u.personal-support=parsec", "Unknown unit “parsec”"),
        ("municipality=atlantis&q.personal-support=5", "Unknown municipality code “atlantis”."),
    ],
)
def test_bad_input_is_a_400_with_the_reason_never_a_500(client, priced, query, message):
    response = client.get(f"/en/analytics/budget/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_help_is_added_to_the_package_by_typing_its_name_not_by_scanning_every_row(client, priced):
    empty = client.get("/en/analytics/budget/").content.decode()
    assert 'name="find"' in empty and 'name="q.personal-support"' not in empty
    found = client.get("/en/analytics/budget/?find=person").content.decode()
    assert 'name="q.personal-support"' in found and 'name="q.home-care"' not in found
    # in the package already: the row stays while another is looked for
    both = client.get("/et/analytics/budget/?q.personal-support=5&find=home").content.decode()
    assert 'name="q.personal-support"' in both


def test_the_result_address_holds_only_the_package(client, priced):
    """The form sends every field; the answer is a redirect to the short address."""
    response = client.get(
        "/en/analytics/budget/?municipality=kose-vald&find=&q.personal-support=20&u.personal-support=hour"
        "&q.home-care=10&u.home-care=hour&q.respite-care=&u.respite-care=hour"
    )
    assert response.status_code == 302
    assert response["Location"] == URL.format(lang="en")


def test_an_unknown_client_share_is_unknown_never_zero(client, priced):
    html = client.get("/et/analytics/budget/?municipality=kohila-vald&q.personal-support=20").content.decode()
    total = html[html.index('class="budget-total"') :]
    assert "omaosalus: <strong>teadmata</strong>" in total[: total.index("</p>")]
    found = re.search(r"[>\s]0,00\b", html)
    assert not found, html[found.start() - 300 : found.end() + 50]


def test_the_total_comes_before_the_table_in_the_pages_number_format(client, priced):
    html = client.get(URL.format(lang="ru")).content.decode()
    assert 'class="budget-total"' in html
    assert html.index('class="budget-total"') < html.index("<table")
    assert "300,00\u00a0€" in html


def test_volumes_without_a_municipality_ask_for_one(client, priced):
    response = client.get("/en/analytics/budget/?q.personal-support=5")
    assert response.status_code == 400
    assert "Choose your municipality to see the cost." in response.content.decode()


def test_an_empty_submit_is_explained_and_links_to_the_first_volume(client, priced):
    response = client.get("/et/analytics/budget/?municipality=&u.personal-support=hour")
    html = response.content.decode()
    assert response.status_code == 400
    assert re.search(r"<title>Viga: ", html)
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S).group(0)
    assert "Nothing to calculate yet" in summary or "Veel pole midagi arvutada" in summary
    assert 'href="#id_q.' in summary and 'href="#id_municipality"' in summary
    assert 'id="id_municipality_error"' in html


def test_opening_the_form_is_not_an_error(client, priced):
    response = client.get("/en/analytics/budget/?municipality=kose-vald")
    assert response.status_code == 200 and "error-summary" not in response.content.decode()
