"""The admin pages this project adds, for a Narva editor (Russian) and moderator (Estonian):
axe-core finds no WCAG 2.1 A/AA violation at 1366 px, no English word is left on them, and at
390 and 320 px the document never scrolls sideways — listings and forms reflow, or scroll
inside their own labelled region. Screenshots at 1366 and 390 px go to test-artefacts/admin/."""

import pytest

from .conftest import ARTEFACTS, AXE
from .kov import log_in, staff
from .test_accessibility import AXE_OPTIONS
from .test_admin_walkthroughs import ENGLISH
from .test_reflow import SCROLLERS

pytestmark = pytest.mark.browser


@pytest.fixture
def narva(site):
    from directory.models import ContactPerson, Unit
    from feedback.models import Report
    from publishing import workflow
    from publishing.permissions import setup_kov_permissions
    from publishing.scope import editor_group_name, moderator_group_name
    from tests.factories import PriceFactory

    setup_kov_permissions()
    editor = staff("narva-editor", editor_group_name("narva-linn"), language="ru")
    moderator = staff("narva-moderator", moderator_group_name("narva-linn"), language="et")
    offer = site["offer"]
    price = PriceFactory(
        offer=offer, unit=Unit.objects.first(), valid_from="2027-01-01", price_individual="50"
    )
    workflow.submit(price, editor)
    contact = ContactPerson.objects.get(name="Jelena Ivanova")
    workflow.propose(contact, {"phone": "+372 359 1111"}, editor)
    report = Report.objects.create(
        municipality=offer.municipality,
        offer=offer,
        message="Hind on vale.",
        email="a@example.ee",
        language="et",
    )
    return {
        "editor": editor,
        "moderator": moderator,
        "offer": offer,
        "price": price,
        "contact": contact,
        "report": report,
    }


def pages(data) -> dict[str, str]:
    offer, contact = data["offer"], data["contact"]
    return {
        "dashboard": "/admin/",
        "search": "/admin/publishing/search/?q=Narva",
        "offers": "/admin/snippets/directory/offer/",
        "offer-edit": f"/admin/snippets/directory/offer/edit/{offer.pk}/",
        "prices": "/admin/snippets/directory/price/",
        "price-inspect": f"/admin/snippets/directory/price/inspect/{data['price'].pk}/",
        "new-price": f"/admin/publishing/offers/{offer.pk}/new-price/",
        "contacts": "/admin/snippets/directory/contactperson/",
        "contact-edit": f"/admin/snippets/directory/contactperson/edit/{contact.pk}/",
        "providers": "/admin/snippets/directory/provider/",
        "review": "/admin/publishing/review/",
        "reports": "/admin/reports/",
        "report-edit": f"/admin/reports/edit/{data['report'].pk}/",
        "changes": "/admin/publishing/changes/",
        "stale": "/admin/publishing/stale/",
    }


def axe_violations(page, axe_source: str) -> list[str]:
    page.evaluate(axe_source)
    result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    return [f"{v['id']} {[node['target'] for node in v['nodes']][:3]}" for v in result["violations"]]


@pytest.mark.parametrize("who", ["editor", "moderator"])
def test_our_admin_pages_pass_axe_and_reflow_at_390_and_320_px(browser, site, narva, who):
    url = site["url"]
    folder = ARTEFACTS / "admin"
    folder.mkdir(parents=True, exist_ok=True)
    axe_source = AXE.read_text()
    failures = []
    context, page = log_in(browser, url, narva[who])
    for name, path in pages(narva).items():
        response = page.goto(url + path)
        assert response.status == 200, f"{path}: HTTP {response.status}"
        failures += [f"{who} {name} axe: {v}" for v in axe_violations(page, axe_source)]
        english = sorted(set(ENGLISH.findall(page.locator("main").inner_text())))
        failures += [f"{who} {name}: English “{word}”" for word in english]
        page.screenshot(path=str(folder / f"{name}-{who}-1366.png"), full_page=True)
    for width in (390, 320):
        page.set_viewport_size({"width": width, "height": 844})
        for name, path in pages(narva).items():
            page.goto(url + path)
            scroll = page.evaluate("document.documentElement.scrollWidth")
            if scroll > width + 1:
                wide = page.evaluate(
                    """w => [...document.querySelectorAll('main *')]
                      .filter(el => el.getBoundingClientRect().right > w + 1)
                      .slice(0, 3).map(el => el.tagName + '.' + el.className + '#' + el.id)""",
                    width,
                )
                failures.append(f"{who} {name} at {width}: document {scroll} px wide {wide}")
            unlabelled = page.evaluate(SCROLLERS)
            ours = [u for u in unlabelled if "publishing" in u or "listing" in u]
            if ours:
                failures.append(f"{who} {name} at {width}: unlabelled sideways scrolling {ours[:3]}")
            if width == 390:
                page.screenshot(path=str(folder / f"{name}-{who}-390.png"), full_page=True)
    context.close()
    assert not failures, "\n".join(failures)
