"""A real browser over every page type in et, ru and en: axe-core finds no WCAG 2.1 A/AA
violations; the municipality chooser works with the keyboard alone; screenshots of the
municipality page at desktop and phone width are saved to test-artefacts/."""

import pytest

from .conftest import ARTEFACTS, AXE

pytestmark = pytest.mark.browser

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}
}


def page_paths(site):
    offer = site["offer"]
    return [
        "/{lang}/",
        "/{lang}/kov/",
        "/{lang}/kov/narva-linn/",
        f"/{{lang}}/components/{site['component']}/",
        "/{lang}/services/home-care/?sort=-price",
        "/{lang}/journeys/",
        "/{lang}/journeys/?target_group=elderly",
        "/{lang}/journeys/elderly-in-need/?municipality=narva-linn",
        f"/{{lang}}/offers/{offer.pk}/history/",
        "/{lang}/choose-municipality/?q=narva",
        f"/{{lang}}/report-a-mistake/offer/{offer.pk}/",
        "/{lang}/report-a-mistake/kov/narva-linn/thanks/",
    ]


def test_every_page_type_in_every_language_passes_axe(browser, site):
    context = browser.new_context(bypass_csp=True)  # axe is injected; the site's own CSP stays strict
    page = context.new_page()
    axe_source = AXE.read_text()
    failures = []
    for lang in ("et", "ru", "en"):
        for path in page_paths(site):
            url = site["url"] + path.format(lang=lang)
            response = page.goto(url)
            assert response.status in (200, 400), f"{url}: HTTP {response.status}"
            assert page.get_attribute("html", "lang") == lang
            page.evaluate(axe_source)
            result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
            for violation in result["violations"]:
                targets = [node["target"] for node in violation["nodes"]][:3]
                failures.append(f"{url}: {violation['id']} — {violation['help']} {targets}")
    context.close()
    assert not failures, "\n".join(failures)


def test_the_municipality_chooser_works_with_the_keyboard_alone(browser, site):
    context = browser.new_context()
    page = context.new_page()
    page.goto(site["url"] + "/et/")

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.evaluate("getComputedStyle(document.activeElement).left") == "0px", (
        "the skip link shows on focus"
    )

    for _ in range(30):
        if page.evaluate("document.activeElement.getAttribute('role')") == "combobox":
            break
        page.keyboard.press("Tab")
    else:
        pytest.fail("the chooser cannot be reached with Tab")
    focus = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return s.outlineStyle + ' ' + s.boxShadow; })()"
    )
    assert "none none" not in focus, "focus is visible"

    page.keyboard.type("jõhv")
    with page.expect_response(lambda response: "q=j%C3%B5hv" in response.url):  # the server's places
        page.wait_for_selector('[role="combobox"][aria-expanded="true"]')  # the page's own, at once
    assert page.locator('[role="option"]').all_inner_texts() == ["Jõhvi vald Ida-Viru maakond"]
    page.keyboard.press("Escape")
    assert page.get_attribute('[role="combobox"]', "aria-expanded") == "false"

    page.keyboard.press("ArrowDown")
    assert page.get_attribute('[role="combobox"]', "aria-activedescendant")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/et/kov/johvi-vald/")

    page.goto(site["url"] + "/et/")
    assert page.input_value('[role="combobox"]') == "Jõhvi vald", "the choice is remembered"

    page.goto(site["url"] + "/ru/")
    page.focus('[role="combobox"]')
    page.fill('[role="combobox"]', "")
    page.keyboard.type("нарва-й")  # Russian name of Narva-Jõesuu
    page.wait_for_selector('[role="option"]:has-text("Нарва-Йыэсуу")')
    page.keyboard.press("ArrowDown")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/ru/kov/narva-joesuu-linn/")
    context.close()


def test_escape_closes_the_suggestions_for_good_even_while_the_server_is_asked(browser, site):
    context = browser.new_context()
    page = context.new_page()
    page.goto(site["url"] + "/et/")
    page.focus('[role="combobox"]')

    page.keyboard.type("jõhv")
    page.keyboard.press("Escape")  # before the server's places for "jõhv" have come back
    page.wait_for_timeout(800)  # long past the 120 ms pause before asking and the answer
    assert page.get_attribute('[role="combobox"]', "aria-expanded") == "false"
    assert page.locator('[role="listbox"]').is_hidden()

    page.keyboard.press("ArrowDown")  # and the places can be opened again
    assert page.get_attribute('[role="combobox"]', "aria-expanded") == "true"
    assert page.locator('[role="option"]').all_inner_texts() == ["Jõhvi vald Ida-Viru maakond"]
    context.close()


def test_screenshots_of_the_municipality_page_in_each_language_and_width(browser, site):
    ARTEFACTS.mkdir(exist_ok=True)
    for lang in ("et", "ru", "en"):
        for name, viewport in (
            ("desktop", {"width": 1280, "height": 900}),
            ("phone", {"width": 390, "height": 844}),
        ):
            context = browser.new_context(viewport=viewport, device_scale_factor=1)
            page = context.new_page()
            page.goto(f"{site['url']}/{lang}/kov/narva-linn/")
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], (
                "no sideways scrolling"
            )
            path = ARTEFACTS / f"municipality-{lang}-{name}.png"
            page.screenshot(path=str(path), full_page=True)
            assert path.stat().st_size > 10_000
            context.close()

    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{site['url']}/et/kov/narva-linn/")
    page.emulate_media(media="print")
    assert not page.is_visible(".site-header nav"), "printing leaves out the navigation"
    assert not page.is_visible(".report-link")
    assert page.is_visible("table.price-list") and page.is_visible("#contacts")
    page.pdf(path=str(ARTEFACTS / "municipality-et-print.pdf"))
    context.close()
