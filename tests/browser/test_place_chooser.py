"""The chooser's type-ahead box in a real browser: any village, town or city district offers
its municipality (with county), and a remembered municipality is replaced, not appended to."""

import pytest

pytestmark = pytest.mark.browser

COMBOBOX = '[role="combobox"]'


def options(page):
    return page.locator('[role="option"]').all_inner_texts()


def test_a_district_offers_its_town_and_typing_replaces_the_remembered_municipality(browser, site):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(site["url"] + "/et/")

    page.click(COMBOBOX)
    page.keyboard.type("Ahtme")
    page.wait_for_selector('[role="option"]:has-text("Ahtme linnaosa")')
    assert options(page) == ["Ahtme linnaosa Kohtla-Järve linn, Ida-Viru maakond"]
    assert "Jõelähtme" not in " ".join(options(page))
    page.keyboard.press("ArrowDown")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/et/kov/kohtla-jarve-linn/")

    page.goto(site["url"] + "/et/")
    assert page.input_value(COMBOBOX) == "Kohtla-Järve linn", "the choice is remembered"
    page.click(COMBOBOX)  # a click, as a resident would: the remembered name is selected …
    page.keyboard.type("Кивиыли")  # … so typing replaces it
    assert page.input_value(COMBOBOX) == "Кивиыли"
    page.wait_for_selector('[role="option"]:has-text("Kiviõli linn")')
    with page.expect_navigation():
        page.keyboard.press("Enter")  # the one suggestion
    assert page.url.endswith("/et/kov/luganuse-vald/")
    context.close()


def test_namesake_villages_are_offered_with_their_municipality_and_county(browser, site):
    context = browser.new_context()
    page = context.new_page()
    page.goto(site["url"] + "/en/")
    page.fill(COMBOBOX, "Vanamõisa")
    page.wait_for_selector('[role="option"]:has-text("Saue Parish, Harju County")')
    offered = options(page)
    assert len(offered) == 12
    assert all(text.startswith("Vanamõisa küla ") and " County" in text for text in offered)
    assert page.get_attribute('[role="option"] span[lang="et"]', "lang") == "et"
    context.close()


def test_without_javascript_a_typed_place_still_finds_its_municipality(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site["url"] + "/ru/")
    page.fill("#municipality-chooser-place", "Синимяэ")
    with page.expect_navigation():
        page.press("#municipality-chooser-place", "Enter")
    assert page.url.endswith("/ru/kov/narva-joesuu-linn/")
    context.close()
