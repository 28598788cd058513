"""The offer page in a real browser: on a phone (390 px) without JavaScript the map is drawn,
the address stands beside it as text and nothing scrolls sideways; under the site's strict
CSP nothing is blocked; axe-core finds no WCAG 2.1 A/AA violations in et, ru and en."""

import datetime as dt

import pytest

from .conftest import ARTEFACTS, AXE
from .test_accessibility import AXE_OPTIONS

pytestmark = pytest.mark.browser


@pytest.fixture
def offer_site(site):
    from directory.models import Municipality
    from tests.factories import (
        AvailabilityFactory,
        EligibilityFactory,
        HowToApplyFactory,
        OpeningHoursFactory,
        ServiceLocationFactory,
    )

    offer = site["offer"]
    narva = Municipality.objects.get(code="narva-linn")
    for n, (street, lat, lon) in enumerate(
        [("Tallinna mnt 6", 59.3772, 28.1903), ("Kangelaste pr 29", 59.3667, 28.1806)]
    ):
        location = ServiceLocationFactory(
            provider=offer.provider,
            municipality=narva,
            name_et=f"Päevakeskus {n + 1}",
            name_ru=f"Дневной центр {n + 1}",
            name_en=f"Day centre {n + 1}",
            street_address=street,
            settlement="Narva linn",
            postal_code="20304",
            latitude=lat,
            longitude=lon,
            step_free_entrance=True,
        )
        location.offers.add(offer)
        OpeningHoursFactory(location=location, weekday=0, opens=dt.time(9), closes=dt.time(17))
        OpeningHoursFactory(location=location, weekday=2, opens=dt.time(12), closes=dt.time(19, 30))
    EligibilityFactory(
        offer=offer, age_min=18, description_ru="Жители Нарвы", description_en="Residents of Narva"
    )
    HowToApplyFactory(municipality=narva, phone="+372 359 9000", decision_days=10)
    AvailabilityFactory(offer=offer, capacity=12, free_places=0, waiting_days=45)
    return {**site, "path": f"/{{lang}}/offers/{offer.pk}/"}


def test_offer_page_on_a_phone_without_javascript_shows_map_and_addresses(browser, offer_site):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    response = page.goto(offer_site["url"] + offer_site["path"].format(lang="en"))
    assert response.status == 200
    svg = page.locator("svg.area-map-svg")
    assert svg.is_visible()
    box = svg.bounding_box()
    assert box["width"] > 150 and box["x"] + box["width"] <= 390
    assert page.locator("svg.area-map-svg circle").count() == 2
    assert page.get_by_text("Tallinna mnt 6, Narva linn, Ida-Viru maakond, 20304").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "nothing scrolls sideways"
    assert page.get_by_role("heading", name="How to apply").is_visible()
    assert page.get_by_text("Typical wait: 45 days").is_visible()
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "offer-page-phone.png"), full_page=True)
    context.close()


def test_offer_page_breaks_no_rule_of_the_strict_csp(browser, offer_site):
    context = browser.new_context()
    page = context.new_page()
    blocked = []
    page.on(
        "console", lambda msg: blocked.append(msg.text) if "Content Security Policy" in msg.text else None
    )
    response = page.goto(offer_site["url"] + offer_site["path"].format(lang="ru"))
    assert "default-src" in (response.headers.get("content-security-policy") or "")
    page.wait_for_load_state("load")
    assert not blocked, blocked
    context.close()


def test_offer_page_passes_axe_in_every_language(browser, offer_site):
    context = browser.new_context(bypass_csp=True)  # axe is injected
    page = context.new_page()
    axe_source = AXE.read_text()
    failures = []
    for lang in ("et", "ru", "en"):
        url = offer_site["url"] + offer_site["path"].format(lang=lang)
        assert page.goto(url).status == 200
        page.evaluate(axe_source)
        result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
        for violation in result["violations"]:
            targets = [node["target"] for node in violation["nodes"]][:3]
            failures.append(f"{url}: {violation['id']} — {violation['help']} {targets}")
    context.close()
    assert not failures, "\n".join(failures)
