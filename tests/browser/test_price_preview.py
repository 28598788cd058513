"""The new-price form shows the current price, the typed one and the change in per cent as
the editor types (publishing/price_preview.js, a static file under the strict CSP), and the
same after a submit when JavaScript is off. A Narva editor with the admin in Russian."""

import pytest

from .conftest import ARTEFACTS
from .kov import log_in, staff

pytestmark = pytest.mark.browser


@pytest.fixture
def editor(site):
    from publishing.permissions import setup_kov_permissions
    from publishing.scope import editor_group_name

    setup_kov_permissions()
    return staff("svetlana", editor_group_name("narva-linn"), language="ru")


def preview_row(page) -> str:
    return page.locator("[data-price-preview] tr[data-amount=price_individual]").inner_text()


def test_typing_4_40_shows_the_old_price_and_the_change_as_you_type(browser, site, editor):
    from directory.models import Offer

    home_care = Offer.objects.get(service__code="home-care")  # 6,20 € now
    context, page = log_in(browser, site["url"], editor)
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(site["url"] + f"/admin/publishing/offers/{home_care.pk}/new-price/")
    assert "6,20" in preview_row(page)
    page.locator("input[name=price_individual]").press_sequentially("4,40")
    row = preview_row(page)
    assert "6,20 €" in row and "4,40 €" in row and "29,0 %" in row.replace("\u00a0", " ")
    assert row.replace("\u2212", "-").count("-29,0") == 1
    page.locator("input[name=price_individual]").fill("6.82")
    assert "+10,0" in preview_row(page)
    page.screenshot(path=str(ARTEFACTS / "new-price-preview-ru-1366.png"), full_page=True)
    assert not errors, errors  # nothing refused by the CSP
    context.close()


def test_without_javascript_the_change_is_shown_after_submit(browser, site, editor):
    from directory.models import Offer

    home_care = Offer.objects.get(service__code="home-care")
    context = browser.new_context(java_script_enabled=False, locale="ru-RU")
    page = context.new_page()
    page.goto(site["url"] + "/admin/login/")
    page.fill("input[name=username]", editor.username)
    page.fill("input[name=password]", "pw-" + editor.username)
    page.click("button[type=submit]")
    page.goto(site["url"] + f"/admin/publishing/offers/{home_care.pk}/new-price/")
    page.fill("input[name=price_individual]", "4,40")
    page.click("button[name=submit]")  # no client's share chosen: the form comes back
    row = preview_row(page)
    assert "6,20 €" in row and "4,40 €" in row and "29,0 %" in row.replace("\u00a0", " ")
    assert not home_care.prices.exclude(status="published").exists()
    context.close()
