"""Reflow (WCAG 2.1 1.4.10) and axe-core: at 320 CSS px, and at 200 % zoom on a 1280 px screen
(640 CSS px at device scale 2), every public page type, in et, ru and en, fits the width — the
document never scrolls sideways; a wide table scrolls inside its own labelled,
keyboard-reachable region instead. Screenshots at 320 px go to test-artefacts/reflow/.
(The municipality page's phone layout has its own test in test_accessibility.py; at 200 % it
is measured here.)"""

import pytest

from .conftest import ARTEFACTS, AXE
from .test_accessibility import AXE_OPTIONS

pytestmark = pytest.mark.browser

WIDTH = 320
ZOOM_200 = {"viewport": {"width": 640, "height": 400}, "device_scale_factor": 2}  # 1280×800 at 200 %


def reflow_paths(site):
    offer = site["offer"]
    return {
        "home": "/{lang}/",
        "municipalities": "/{lang}/kov/",
        "component": f"/{{lang}}/components/{site['component']}/",
        "service": "/{lang}/services/home-care/",
        "journeys": "/{lang}/journeys/?target_group=elderly",
        "journey": "/{lang}/journeys/elderly-in-need/?municipality=narva-linn",
        "offer-history": f"/{{lang}}/offers/{offer.pk}/history/",
        "choose": "/{lang}/choose-municipality/?q=narva",
        "report": f"/{{lang}}/report-a-mistake/offer/{offer.pk}/",
        "search": "/{lang}/search/?q=koduteenus",
        "analytics": "/{lang}/analytics/",
        "coverage": "/{lang}/analytics/coverage/",
        "prices": "/{lang}/analytics/prices/",
        "completeness": "/{lang}/analytics/completeness/",
        "budget": "/{lang}/analytics/budget/",
        "places": "/{lang}/analytics/places/",
        "open-data": "/{lang}/open-data/",
        "about": "/{lang}/about/",
        "accessibility": "/{lang}/accessibility/",
        "privacy": "/{lang}/privacy/",
        "contact": "/{lang}/contact/",
        "not-found": "/{lang}/no-such-page/",
        "offer": f"/{{lang}}/offers/{offer.pk}/",
    }


def every_page_type(site):
    return {**reflow_paths(site), "municipality": "/{lang}/kov/narva-linn/"}


# Whatever scrolls sideways inside the page must be a named region a keyboard user can reach.
SCROLLERS = """() => [...document.querySelectorAll('body *')]
  .filter(el => el.scrollWidth > el.clientWidth + 1
          && ['auto', 'scroll'].includes(getComputedStyle(el).overflowX))
  .filter(el => !(el.getAttribute('role') === 'region' && el.hasAttribute('tabindex')
                  && (el.getAttribute('aria-label') || el.getAttribute('aria-labelledby'))))
  .map(el => el.tagName + '.' + el.className)"""


def sideways(page, url: str, width: int) -> list[str]:
    """What makes the page scroll sideways at this width, if anything."""
    failures = []
    document_width = page.evaluate("document.documentElement.scrollWidth")
    if document_width > width:
        wide = page.evaluate(
            """w => [...document.querySelectorAll('body *')]
              .filter(el => el.getBoundingClientRect().right > w + 1)
              .slice(0, 4).map(el => el.tagName + '.' + el.className)""",
            width,
        )
        failures.append(f"{url}: document is {document_width} px wide {wide}")
    unlabelled = page.evaluate(SCROLLERS)
    if unlabelled:
        failures.append(f"{url}: unlabelled sideways scrolling {unlabelled[:3]}")
    return failures


def test_every_page_type_reflows_at_320_px_in_every_language_and_passes_axe(browser, site):
    folder = ARTEFACTS / "reflow"
    folder.mkdir(parents=True, exist_ok=True)
    # axe is injected; the site's own CSP stays strict
    context = browser.new_context(
        viewport={"width": WIDTH, "height": 800}, device_scale_factor=1, bypass_csp=True
    )
    page = context.new_page()
    axe_source = AXE.read_text()
    failures = []
    for lang in ("et", "ru", "en"):
        for name, path in reflow_paths(site).items():
            url = site["url"] + path.format(lang=lang)
            response = page.goto(url)
            assert response.status in (200, 404), f"{url}: HTTP {response.status}"
            failures += sideways(page, url, WIDTH)
            page.evaluate(axe_source)
            result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
            for violation in result["violations"]:
                targets = [node["target"] for node in violation["nodes"]][:3]
                failures.append(f"{url}: {violation['id']} — {violation['help']} {targets}")
            page.screenshot(path=str(folder / f"{name}-{lang}-320.png"), full_page=True)
    context.close()
    assert not failures, "\n".join(failures)


def test_every_page_type_reflows_at_200_percent_zoom_on_a_1280_px_screen(browser, site):
    context = browser.new_context(**ZOOM_200)
    page = context.new_page()
    failures = []
    for lang in ("et", "ru", "en"):
        for path in every_page_type(site).values():
            url = site["url"] + path.format(lang=lang)
            response = page.goto(url)
            assert response.status in (200, 404), f"{url}: HTTP {response.status}"
            assert page.evaluate("window.innerWidth") == 640 and page.evaluate("devicePixelRatio") == 2
            failures += sideways(page, url, ZOOM_200["viewport"]["width"])
    context.close()
    assert not failures, "\n".join(failures)
