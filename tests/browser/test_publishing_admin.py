"""A KOV editor and a moderator in a real browser: the editor changes a Narva price in the
Wagtail admin and submits it; the public page keeps the old price until the moderator
approves it in the review queue, then shows the new one. The editor's offer listing has no
other municipality's offers."""

import pytest
from django.utils import timezone

from .conftest import ARTEFACTS
from .kov import log_in, staff

pytestmark = pytest.mark.browser

PUBLIC_PAGE = "/et/kov/narva-linn/"


@pytest.fixture
def kov_staff(site):
    """Narva's editor and moderator, and a Tallinn offer that Narva's editor must not see."""
    from directory.models import Component, Municipality
    from publishing.permissions import setup_kov_permissions
    from publishing.scope import editor_group_name, moderator_group_name
    from tests.factories import OfferFactory, ProviderFactory, published_price

    setup_kov_permissions()
    tallinn = OfferFactory(
        municipality=Municipality.objects.get(code="tallinn"),
        component=Component.objects.order_by("position").first(),
        provider=ProviderFactory(name="Tallinna Sotsiaaltöö Keskus"),
    )
    published_price(tallinn, "2025-01-01", "99.00")
    return {
        "editor": staff("narva-editor", editor_group_name("narva-linn")),
        "moderator": staff("narva-moderator", moderator_group_name("narva-linn")),
        "tallinn_offer": tallinn,
    }


def shows(html: str, amount: str) -> bool:
    return amount in html or amount.replace(".", ",") in html


def test_editor_submits_a_price_moderator_approves_public_page_shows_it(browser, site, kov_staff):
    url, offer = site["url"], site["offer"]
    public = browser.new_context().new_page()
    public.goto(url + PUBLIC_PAGE)
    assert shows(public.content(), "42.50") and not shows(public.content(), "47.80")

    context, page = log_in(browser, url, kov_staff["editor"])
    page.goto(url + "/admin/snippets/directory/offer/")
    listing = page.locator("main").inner_text()
    assert "SA Narva Hoolekandekeskus" in listing
    assert "Tallinna Sotsiaaltöö Keskus" not in listing and "Tallinn" not in listing

    page.goto(url + f"/admin/snippets/directory/offer/edit/{offer.pk}/")
    page.click("text=Add a new price")
    page.fill("input[name=price_individual]", "47.80")
    page.check("input[name=client_share][value=none]")  # asked for, never copied silently
    page.fill("input[name=valid_from]", timezone.localdate().isoformat())
    page.click("button[name=submit]")
    page.wait_for_url(url + f"/admin/snippets/directory/offer/edit/{offer.pk}/")
    assert "submitted for approval" in page.locator("main").inner_text().lower()
    page.screenshot(path=str(ARTEFACTS / "publishing-editor-submitted.png"), full_page=True)
    context.close()

    public.goto(url + PUBLIC_PAGE)
    assert shows(public.content(), "42.50") and not shows(public.content(), "47.80")

    context, page = log_in(browser, url, kov_staff["moderator"])
    page.goto(url + "/admin/publishing/review/")
    row = page.locator("tr", has_text="47.80")
    assert not row.locator("input[type=checkbox]").is_checked()  # nothing is approved unseen
    row.locator("input[type=checkbox]").check()
    page.click("button[value=approve]")
    page.wait_for_url(url + "/admin/publishing/review/")
    assert "approved and published" in page.locator("body").inner_text().lower()
    context.close()

    public.goto(url + PUBLIC_PAGE)
    assert shows(public.content(), "47.80") and not shows(public.content(), "42.50")
    public.context.close()
