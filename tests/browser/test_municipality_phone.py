"""Narva's page on a 390 px phone in Russian, with Narva's full demo price list: the first
number to call is on the first screen, without JavaScript too, and even with every group of the
price list unfolded the page is at most six screens long, in Russian, Estonian and English."""

import re

import pytest

from tests.browser.conftest import ARTEFACTS

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


def screens(page) -> float:
    return page.evaluate("document.documentElement.scrollHeight") / PHONE["height"]


def test_narvas_page_as_it_arrives_is_at_most_six_phone_screens(browser, narva):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(narva)
    assert page.locator("table.price-list tbody tr").count() >= 30
    assert screens(page) <= 6, f"{screens(page):.1f} screens with the price list folded"
    context.close()


@pytest.mark.parametrize("lang", ["ru", "et", "en"])
def test_narvas_page_unfolded_is_at_most_six_phone_screens(browser, narva, lang):
    """Every group of the price list open: each offer once (the most asked are not repeated in
    their group), two short lines for most, the contacts' shared hours said once. The phone
    screenshots, folded and unfolded, and the desktop one are kept in test-artefacts/."""
    url = narva.replace("/ru/", f"/{lang}/")
    ARTEFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
    page = context.new_page()
    page.goto(url)
    page.screenshot(path=str(ARTEFACTS / f"narva-{lang}-desktop.png"), full_page=True)
    context.close()

    context = browser.new_context(viewport=PHONE, device_scale_factor=1)
    page = context.new_page()
    page.goto(url)
    page.screenshot(path=str(ARTEFACTS / f"narva-{lang}-phone.png"), full_page=True)
    page.evaluate("document.querySelectorAll('details.price-group').forEach(d => { d.open = true; })")
    page.screenshot(path=str(ARTEFACTS / f"narva-{lang}-phone-unfolded.png"), full_page=True)
    (ARTEFACTS / f"narva-{lang}-phone-screens.txt").write_text(f"{screens(page):.2f} screens unfolded\n")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scrolling"
    assert screens(page) <= 6, f"{screens(page):.2f} screens with every group unfolded"
    context.close()


def test_the_filter_box_finds_a_service_in_the_folded_list(browser, narva):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(narva)
    page.fill("#price-filter", "на дому")
    visible = page.locator("table.price-list tbody tr:visible")
    assert visible.count() >= 1
    assert all("на дому" in text.lower() for text in visible.all_inner_texts())
    page.fill("#price-filter", "")
    assert page.locator("details.price-group[open]").all_inner_texts()[0].startswith("Чаще всего спрашивают")
    assert page.locator("details.price-group[open]").count() == 1, (
        "the list as it arrived: only the most asked open"
    )
    context.close()


def test_the_most_asked_arrive_unfolded_and_are_not_repeated_in_their_group(browser, narva):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(narva)
    (most_asked,) = page.locator("details.price-group[open]").all()
    assert most_asked.locator("summary").inner_text().startswith("Чаще всего спрашивают")
    assert most_asked.locator("tbody tr").first.is_visible()
    links = page.locator("table.price-list tbody th a").evaluate_all("links => links.map(a => a.href)")
    assert len(links) == len(set(links)) >= 30, "each offer once on the list"
    context.close()


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def test_printed_the_contact_sheet_is_one_page_then_the_price_list_with_every_column(browser, narva):
    """Printing gives a one-page contact sheet (it ends with a page break) and then the whole
    price list, unfolded, no column cut off at the edge of the paper."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(narva)
    ARTEFACTS.mkdir(exist_ok=True)
    printed = page.pdf(format="A4")
    (ARTEFACTS / "narva-ru-print.pdf").write_bytes(printed)
    total = pdf_pages(printed)
    after_contacts = "document.querySelectorAll('#contacts ~ *')"
    page.evaluate(f"{after_contacts}.forEach(e => e.style.setProperty('display', 'none', 'important'))")
    sheet = page.pdf(format="A4")
    (ARTEFACTS / "narva-ru-print-contact-sheet.pdf").write_bytes(sheet)
    (ARTEFACTS / "narva-ru-print-pages.txt").write_text(f"contact sheet {pdf_pages(sheet)}, in all {total}\n")
    assert pdf_pages(sheet) == 1, f"the contact sheet takes {pdf_pages(sheet)} pages"
    assert total >= 2, "the price list follows on its own pages"

    # A4 less the print margins (@page 15mm 12mm) is 186 mm, about 703 CSS px wide.
    page = context.new_page()
    page.set_viewport_size({"width": 703, "height": 1000})
    page.emulate_media(media="print")
    page.goto(narva)
    assert page.locator("table.price-list").first.is_visible(), "the folded groups print open"
    clipped = page.evaluate(
        """() => Array.from(document.querySelectorAll('table.price-list')).filter(table => {
            const region = table.closest('.table-scroll');
            return table.getBoundingClientRect().right > document.documentElement.clientWidth + 1
                || region.scrollWidth > region.clientWidth + 1;
        }).length"""
    )
    assert clipped == 0, f"{clipped} price tables wider than the paper"
    headers = page.locator("table.price-list").first.locator("thead th:visible").count()
    assert headers == 6, "name, price, provider, group price, client's share, last verified"
    context.close()


def test_narvas_page_is_sent_compressed_within_20_kb_with_the_structured_data_consumers_use(narva):
    import gzip
    import json
    import urllib.request

    request = urllib.request.Request(narva, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request) as response:  # noqa: S310 - the live test server
        assert response.headers["Content-Encoding"] == "gzip"
        sent = response.read()
    assert len(sent) <= 20 * 1024, f"{len(sent) / 1024:.1f} KiB compressed"
    html = gzip.decompress(sent).decode()
    (script,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    graph = json.loads(script)["@graph"]
    organisation, offers = graph[0], graph[1:]
    assert organisation["@type"] == "GovernmentOrganization"
    assert all(point["telephone"] for point in organisation["contactPoint"])
    assert len(offers) >= 30
    assert all(offer["priceSpecification"] for offer in offers if offer.get("priceSpecification") is not None)
