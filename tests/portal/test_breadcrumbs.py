"""Breadcrumbs show where a page sits: one component (components/breadcrumbs.html) — a labelled
<nav> before the main content with an ordered list from home to this page, the last crumb
marked aria-current="page"."""

import re

import pytest

from directory.models import Journey

pytestmark = pytest.mark.django_db


def crumbs(html: str) -> list[tuple[str, str]]:
    nav = re.search(r'<nav class="breadcrumbs wrap" aria-label="([^"]+)">(.*?)</nav>', html, re.S)
    assert nav, "a labelled breadcrumb <nav>"
    assert html.index("breadcrumbs wrap") < html.index('<main id="main"'), "before the main content"
    items = re.findall(r'<li><a href="([^"]+)"( aria-current="page")?>(.*?)</a></li>', nav.group(2))
    assert "<ol>" in nav.group(2)
    assert [bool(current) for _url, current, _name in items] == [False] * (len(items) - 1) + [True]
    return [(name, url) for url, _current, name in items]


def test_municipality_page(client, world):
    html = client.get("/et/kov/narva-linn/").content.decode()
    assert crumbs(html) == [
        ("Avaleht", "/et/"),
        ("Omavalitsused", "/et/kov/"),
        ("Narva linn", "/et/kov/narva-linn/"),
    ]


def test_component_and_service_pages(client, world):
    html = client.get("/en/components/respite-for-family/?county=ida-viru").content.decode()
    assert [name for name, _url in crumbs(html)][0] == "Home"
    assert crumbs(html)[-1][1] == "/en/components/respite-for-family/?county=ida-viru"
    assert [name for name, _url in crumbs(client.get("/ru/services/home-care/").content.decode())] == [
        "Главная",
        "Услуга помощи на дому",
    ]


def test_offer_and_its_price_history_sit_under_the_municipality(client, world):
    offer = world.offer(world.narva, world.respite)
    html = client.get(f"/en/offers/{offer.pk}/").content.decode()
    municipality = ("Narva", "/en/kov/narva-linn/")
    assert crumbs(html)[:3] == [("Home", "/en/"), ("Municipalities", "/en/kov/"), municipality]
    html = client.get(f"/en/offers/{offer.pk}/history/").content.decode()
    trail = crumbs(html)
    assert trail[2] == municipality
    assert trail[3][1] == f"/en/offers/{offer.pk}/" and trail[4][0] == "Price history"


def test_journeys(client, world):
    journey = Journey.objects.create(
        code="elderly-in-need", title_et="Eakas vajab abi", title_en="Older person"
    )
    html = client.get("/en/journeys/").content.decode()
    assert [name for name, _url in crumbs(html)] == ["Home", "Client journeys"]
    html = client.get(f"/en/journeys/{journey.code}/").content.decode()
    assert crumbs(html) == [
        ("Home", "/en/"),
        ("Client journeys", "/en/journeys/"),
        ("Older person", "/en/journeys/elderly-in-need/"),
    ]


@pytest.mark.parametrize(
    "path, name",
    [
        ("coverage/", "Coverage and gaps"),
        ("prices/", "Price comparison"),
        ("completeness/", "Completeness"),
        ("budget/", "Personal budget"),
        ("places/", "Free places and waiting time"),
    ],
)
def test_analytics_pages(client, world, path, name):
    html = client.get(f"/en/analytics/{path}").content.decode()
    assert crumbs(html) == [
        ("Home", "/en/"),
        ("Analytics", "/en/analytics/"),
        (name, f"/en/analytics/{path}"),
    ]
