"""Issue 17 in a real browser with JavaScript off: a resident on /ru/search/ chooses her
municipality, ticks "free places now", types a village for nearest-first, submits the plain
form and sees only the offers with free places, nearest first; the result page passes axe and
does not scroll sideways at 320 px."""

import datetime as dt

import pytest

from .conftest import AXE
from .test_accessibility import AXE_OPTIONS
from .test_reflow import sideways

pytestmark = pytest.mark.browser


@pytest.fixture
def home_care(site):
    """Narva's home care from three providers: in the centre with 3 free places, near
    Narva-Jõesuu with 1, and one that is full; the search index built afresh."""
    from directory.models import Availability, Municipality, Offer, Service
    from search import indexing
    from search.backends import get_backend
    from tests.factories import OfferFactory, ProviderFactory, ServiceLocationFactory

    narva = Municipality.objects.get(code="narva-linn")
    service = Service.objects.get(code="home-care")
    centre = Offer.objects.get(municipality=narva, service=service)
    by_the_sea, full = (
        OfferFactory(
            municipality=narva,
            component=None,
            service=service,
            is_demo=True,
            provider=ProviderFactory(name=name, is_demo=True),
        )
        for name in ("Jõesuu Koduhooldus OÜ", "Kreenholmi Hooldus OÜ")
    )
    today = dt.date.today()
    for offer, lat, lon, free in (
        (centre, 59.3772, 28.1903, 3),
        (by_the_sea, 59.4500, 28.0420, 1),
        (full, 59.3700, 28.2000, 0),
    ):
        location = ServiceLocationFactory(
            municipality=narva, provider=offer.provider, latitude=lat, longitude=lon
        )
        location.offers.add(offer)
        Availability.objects.create(offer=offer, capacity=10, free_places=free, as_of=today)
    get_backend("database").rebuild()
    indexing.discard_pending()
    return {"service": service, "centre": centre, "by_the_sea": by_the_sea, "full": full}


def test_a_resident_without_javascript_finds_free_places_nearest_first(browser, site, home_care):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site["url"] + "/ru/search/")
    page.fill("#search-q", home_care["service"].name_ru)
    page.select_option("#search-municipality", "narva-linn")
    page.check("#search-free")
    page.fill("#search-near", "Narva-Jõesuu")
    page.click("form.search-form button[type=submit]")
    page.wait_for_load_state()

    assert "free=1" in page.url and "near=Narva-J" in page.url
    shown = page.eval_on_selector_all(".local-offers a.result-title", "links => links.map(a => a.pathname)")
    expected = [f"/ru/offers/{home_care[key].pk}/" for key in ("by_the_sea", "centre")]
    assert [path for path in shown if path in expected + [f"/ru/offers/{home_care['full'].pk}/"]] == expected
    assert "км от" in page.inner_text(".local-offers") or "km" in page.inner_text(".local-offers")
    assert page.is_checked("#search-free") and page.input_value("#search-near") == "Narva-Jõesuu"
    result_url = page.url
    context.close()

    # The same result page, checked with axe and at 320 CSS px (axe needs scripts: injected).
    context = browser.new_context(bypass_csp=True, viewport={"width": 320, "height": 800})
    page = context.new_page()
    assert page.goto(result_url).status == 200
    assert sideways(page, result_url, 320) == []
    page.evaluate(AXE.read_text())
    violations = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)["violations"]
    context.close()
    assert [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations] == []
