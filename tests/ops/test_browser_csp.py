"""The pages pass their own Content-Security-Policy in a real browser: headless Chromium loads
them and reports no violation, neither as a console message nor as a securitypolicyviolation
event."""

import datetime as dt
import os

import pytest

from tests.factories import OfferFactory, published_price

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.path.exists("/usr/bin/chromium"), reason="needs /usr/bin/chromium"),
]

# Registered before any page script runs; Playwright's init scripts are not subject to the CSP.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(
    `${e.violatedDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`);
});
"""


def violations_on(browser, url: str) -> tuple[int, list[str]]:
    context = browser.new_context()
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    console = []
    page.on("console", lambda message: console.append(message.text))
    response = page.goto(url, wait_until="load")
    page.wait_for_timeout(300)  # violation events are dispatched asynchronously
    events = page.evaluate("window.__cspViolations")
    context.close()
    csp_console = [
        text for text in console if "Content Security Policy" in text or "Content-Security-Policy" in text
    ]
    return response.status, events + csp_console


def test_home_municipality_and_admin_login_pages_raise_no_csp_violations(live_server, site_tree, browser):
    from directory.models import Municipality, Service

    narva = Municipality.objects.get(code="narva-linn")
    offer = OfferFactory(municipality=narva, component=None, service=Service.objects.get(code="home-care"))
    published_price(offer, dt.date(2024, 1, 1), "6.20")

    pages = ["/et/", "/ru/kov/narva-linn/", "/en/kov/narva-linn/", "/admin/login/"]
    results = {path: violations_on(browser, live_server.url + path) for path in pages}

    for path, (status, violations) in results.items():
        assert status == 200, path
        assert violations == [], f"{path}: {violations}"


def test_an_editor_can_log_in_and_open_the_page_editor_without_csp_violations(
    live_server, site_tree, browser
):
    from django.contrib.auth import get_user_model

    from portal.models import MunicipalityPage

    get_user_model().objects.create_superuser("editor", "editor@kov.example", "correct horse battery")
    page_id = MunicipalityPage.objects.get(slug="narva-linn").id

    context = browser.new_context()
    try:
        context.add_init_script(RECORD_VIOLATIONS)
        page = context.new_page()
        page.goto(live_server.url + "/admin/login/")
        page.fill("input[name=username]", "editor")
        page.fill("input[name=password]", "correct horse battery")
        page.click("button[type=submit]")
        page.wait_for_url(live_server.url + "/admin/")
        seen = {}
        for path in ["/admin/", f"/admin/pages/{page_id}/edit/"]:
            response = page.goto(live_server.url + path, wait_until="load")
            page.wait_for_timeout(500)
            seen[path] = (response.status, page.evaluate("window.__cspViolations"))
        editor_ready = page.locator("form#page-edit-form").count() == 1
        # Leaving the editor releases its editing session with a request; let the live server
        # answer it while the test's database is still there.
        page.goto("about:blank")
        page.wait_for_timeout(1000)
    finally:
        context.close()

    assert editor_ready
    for path, (status, violations) in seen.items():
        assert status == 200, path
        assert violations == [], f"{path}: {violations}"
