"""A KOV editor adds who qualifies to a published offer in the admin; the public offer page
does not show it until a moderator approves the addition in the review queue, then does."""

import pytest
from playwright.sync_api import expect

from .conftest import ARTEFACTS
from .kov import log_in, staff

pytestmark = pytest.mark.browser

WHO = "Narva elanikud, kes vajavad abi igapäevatoimingutes"


@pytest.fixture
def kov_staff(site):
    from publishing.permissions import setup_kov_permissions
    from publishing.scope import editor_group_name, moderator_group_name

    setup_kov_permissions()
    return {
        "editor": staff("narva-editor", editor_group_name("narva-linn")),
        "moderator": staff("narva-moderator", moderator_group_name("narva-linn")),
    }


def choose_offer(page, offer) -> None:
    """The offer field as the editor meets it: a select, or Wagtail's chooser with a modal."""
    field = page.locator("[name=offer]")
    if field.evaluate("el => el.tagName") == "SELECT":
        field.select_option(str(offer.pk))
        return
    page.locator("[data-chooser-action-choose], .chooser__choose-button").first.click()
    modal = page.locator(".modal-dialog")
    modal.locator(f'a[data-chooser-modal-choice][href*="/{offer.pk}/"]').first.click()
    expect(field).to_have_value(str(offer.pk))


def test_an_added_eligibility_shows_on_the_offer_page_only_after_approval(browser, site, kov_staff):
    url, offer = site["url"], site["offer"]
    public = browser.new_context().new_page()
    offer_page = url + f"/et/offers/{offer.pk}/"
    public.goto(offer_page)
    assert WHO not in public.content()

    context, page = log_in(browser, url, kov_staff["editor"])
    page.goto(url + "/admin/snippets/directory/eligibility/add/")
    choose_offer(page, offer)
    page.fill("[name=description_et]", WHO)
    page.click("button.action-save")
    page.wait_for_url(url + f"/admin/snippets/directory/offer/edit/{offer.pk}/")
    main = page.locator("main").inner_text()
    assert "Addition awaiting approval" in main and WHO in main
    page.screenshot(path=str(ARTEFACTS / "publishing-addition-submitted.png"), full_page=True)
    context.close()

    public.goto(offer_page)
    assert WHO not in public.content()

    context, page = log_in(browser, url, kov_staff["moderator"])
    page.goto(url + "/admin/publishing/review/")
    row = page.locator("tr", has_text=WHO)
    assert "New" in row.inner_text()
    row.locator("input[type=checkbox]").check()
    page.click("button[value=approve]")
    page.wait_for_url(url + "/admin/publishing/review/")
    assert "approved and published" in page.locator("body").inner_text().lower()
    context.close()

    public.goto(offer_page)
    assert WHO in public.content()
