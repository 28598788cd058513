"""Narva's page on a 390 px phone in Russian, with Narva's full demo price list: the first
number to call is on the first screen, without JavaScript too, and even with every group of the
price list unfolded the page is at most six screens long."""

import pytest

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def narva(transactional_db, live_server, site_tree):
    from directory.demo import load_demo_data

    counts = load_demo_data(["narva-linn"])
    assert counts["offers"] >= 30, counts
    return f"{live_server.url}/ru/kov/narva-linn/"


@pytest.mark.parametrize("javascript", [True, False])
def test_on_a_phone_the_first_number_to_call_is_on_the_first_screen(browser, narva, javascript):
    context = browser.new_context(viewport=PHONE, java_script_enabled=javascript)
    page = context.new_page()
    page.goto(narva)
    first = page.locator('a[href^="tel:"]').first
    box = first.bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE["height"], box
    assert box["height"] >= 44, "a large tap target"
    assert page.locator("#contacts").get_attribute("class") == "call-first"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()


def test_narvas_page_unfolded_is_at_most_six_phone_screens(browser, narva):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(narva)
    folded = page.evaluate("document.documentElement.scrollHeight")
    page.evaluate("document.querySelectorAll('details.price-group').forEach(d => { d.open = true; })")
    unfolded = page.evaluate("document.documentElement.scrollHeight")
    rows = page.locator("table.price-list tbody tr").count()
    print(
        f"Narva ru 390px: {folded / PHONE['height']:.1f} screens folded, "
        f"{unfolded / PHONE['height']:.1f} unfolded, {rows} price rows"
    )
    assert rows >= 30
    assert unfolded <= 6 * PHONE["height"], f"{unfolded / PHONE['height']:.1f} screens"
    context.close()


def test_the_filter_box_finds_a_service_in_the_folded_list(browser, narva):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(narva)
    page.fill("#price-filter", "транспорт")
    visible = page.locator("table.price-list tbody tr:visible")
    assert visible.count() >= 1
    assert all("транспорт" in text.lower() for text in visible.all_inner_texts())
    page.fill("#price-filter", "")
    assert page.locator("details.price-group[open]").count() == 0
    context.close()
