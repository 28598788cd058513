"""Every button on every publishing page of the admin, in a real browser, for a Narva editor
and a Narva moderator: each submit button has a form owner and, when it posts, a CSRF token;
no form is nested in another (the parser would drop it and close the edit form early); the
edit form's own Save button submits the edit."""

import pytest

from .conftest import ARTEFACTS, AXE
from .kov import button_problems, log_in, parsed_forms_lost, staff
from .test_accessibility import AXE_OPTIONS

pytestmark = pytest.mark.browser


@pytest.fixture
def narva(site):
    """Narva's editor and moderator; a draft price, a contact with a change awaiting approval,
    a resident's report."""
    from directory.models import ContactPerson, Offer, Unit
    from feedback.models import Report
    from publishing import workflow
    from publishing.permissions import setup_kov_permissions
    from publishing.scope import editor_group_name, moderator_group_name
    from tests.factories import PriceFactory

    setup_kov_permissions()
    editor = staff("narva-editor", editor_group_name("narva-linn"), language="et")
    moderator = staff("narva-moderator", moderator_group_name("narva-linn"), language="ru")
    offer = site["offer"]
    draft = PriceFactory(
        offer=offer, unit=Unit.objects.first(), valid_from="2027-01-01", price_individual="50"
    )
    contact = ContactPerson.objects.get(name="Jelena Ivanova")
    workflow.propose(contact, {"phone": "+372 359 1111"}, editor)
    report = Report.objects.create(
        municipality=offer.municipality, offer=offer, message="Hind on vale, peaks olema 4,40.", language="et"
    )
    return {
        "editor": editor,
        "moderator": moderator,
        "offer": offer,
        "other_offer": Offer.objects.filter(municipality=offer.municipality).exclude(pk=offer.pk).first(),
        "draft": draft,
        "contact": contact,
        "olga": ContactPerson.objects.get(name="Olga Petrova"),
        "report": report,
    }


def publishing_pages(data) -> list[str]:
    offer, contact, olga = data["offer"], data["contact"], data["olga"]
    return [
        "/admin/",
        "/admin/snippets/directory/offer/",
        f"/admin/snippets/directory/offer/edit/{offer.pk}/",
        f"/admin/snippets/directory/offer/edit/{data['other_offer'].pk}/",
        f"/admin/snippets/directory/offer/history/{offer.pk}/",
        "/admin/snippets/directory/price/",
        f"/admin/snippets/directory/price/edit/{data['draft'].pk}/",
        "/admin/snippets/directory/contactperson/",
        f"/admin/snippets/directory/contactperson/edit/{contact.pk}/",
        f"/admin/snippets/directory/contactperson/edit/{olga.pk}/",
        "/admin/snippets/directory/provider/",
        f"/admin/publishing/offers/{offer.pk}/new-price/",
        "/admin/publishing/review/",
        "/admin/publishing/price-list/",
        "/admin/publishing/stale/",
        "/admin/publishing/translations/",
        "/admin/publishing/changes/",
        "/admin/publishing/overview/",
        "/admin/reports/",
        f"/admin/reports/edit/{data['report'].pk}/",
    ]


# The admin pages this project adds (Wagtail's own listings and forms are Wagtail's).
OWN_PAGES = ("/admin/publishing/", "/admin/reports/edit/")


def test_every_button_on_every_publishing_page_has_a_form_owner_and_a_csrf_token(browser, site, narva):
    """The editor works in Estonian, the moderator in Russian; each page is also checked with
    axe where the page is ours, and its heading names it."""
    url = site["url"]
    axe_source = AXE.read_text()
    failures = []
    for who in ("editor", "moderator"):
        context, page = log_in(browser, url, narva[who])
        for path in publishing_pages(narva):
            response = page.goto(url + path)
            if response.status != 200:
                failures.append(f"{who} {path}: HTTP {response.status}")
                continue
            lost = parsed_forms_lost(page, response.text())
            if lost > 0:
                failures.append(f"{who} {path}: {lost} nested form(s) dropped by the parser")
            failures.extend(f"{who} {path}: {problem}" for problem in button_problems(page))
            if "/offer/edit/" in path and page.locator(".locale-picker").count():
                page.evaluate(axe_source)
                result = page.evaluate(
                    "() => axe.run({include: [['.locale-picker']]}, {runOnly: ['color-contrast']})"
                )
                failures.extend(f"{who} {path}: ET/RU/EN toggle {v['id']}" for v in result["violations"])
            if path.startswith(OWN_PAGES):
                page.evaluate(axe_source)
                result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
                for violation in result["violations"]:
                    targets = [node["target"] for node in violation["nodes"]][:3]
                    failures.append(f"{who} {path}: axe {violation['id']} {targets}")
        context.close()
    assert not failures, "\n".join(failures)


def test_the_footer_save_of_a_published_offer_and_contact_submits_the_edit(browser, site, narva):
    from publishing.models import PendingChange

    url, offer, olga = site["url"], narva["offer"], narva["olga"]
    context, page = log_in(browser, url, narva["editor"])

    page.goto(url + f"/admin/snippets/directory/offer/edit/{offer.pk}/")
    page.fill("textarea[name=notes_et]", "Ka nädalavahetustel.")
    page.locator("footer button[type=submit]").first.click()
    page.wait_for_url(url + "/admin/snippets/directory/offer/")
    assert PendingChange.objects.for_entry(offer).get().changes == {"notes_et": "Ka nädalavahetustel."}

    page.goto(url + f"/admin/snippets/directory/contactperson/edit/{olga.pk}/")
    page.fill("input[name=phone]", "+372 359 2222")
    page.screenshot(path=str(ARTEFACTS / "admin-contact-edit-1366.png"), full_page=True)
    page.locator("footer button[type=submit]").first.click()
    page.wait_for_url(url + "/admin/snippets/directory/contactperson/")
    assert PendingChange.objects.for_entry(olga).get().changes == {"phone": "+372 359 2222"}
    context.close()

    context, page = log_in(browser, url, narva["moderator"], width=390, height=844)
    for path, name in (
        (f"/admin/snippets/directory/offer/edit/{offer.pk}/", "admin-offer-edit-390.png"),
        ("/admin/publishing/review/", "admin-review-queue-390.png"),
        (f"/admin/reports/edit/{narva['report'].pk}/", "admin-report-390.png"),
    ):
        page.goto(url + path)
        page.screenshot(path=str(ARTEFACTS / name), full_page=True)
    context.close()
