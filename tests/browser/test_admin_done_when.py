"""The issue's "done when", in a real browser: a Narva social worker with the admin in Russian
updates a price (typing "4,40") and a phone number; her head of department, also in Russian,
sees old → new with human labels and approves both; the public page follows; the audit log
names who submitted and who approved. The social worker works on a laptop (1366 px), her head
on a phone (390 px); screenshots of both are kept under test-artefacts/."""

from decimal import Decimal

import pytest
from django.utils import timezone

from .conftest import ARTEFACTS
from .kov import button_problems, log_in, staff

pytestmark = pytest.mark.browser


@pytest.fixture
def narva_staff(site):
    from publishing.permissions import setup_kov_permissions
    from publishing.scope import editor_group_name, moderator_group_name

    setup_kov_permissions()
    return {
        "worker": staff(
            "svetlana",
            editor_group_name("narva-linn"),
            language="ru",
            first_name="Светлана",
            last_name="Смирнова",
        ),
        "head": staff(
            "irina",
            moderator_group_name("narva-linn"),
            language="ru",
            first_name="Ирина",
            last_name="Козлова",
        ),
    }


def no_horizontal_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_narva_social_worker_in_russian_updates_a_price_and_a_phone_and_her_head_approves(
    browser, site, narva_staff
):
    from wagtail.models import ModelLogEntry

    from directory.models import ContactPerson, Offer, Price

    url = site["url"]
    home_care = Offer.objects.get(service__code="home-care")
    olga = ContactPerson.objects.get(name="Olga Petrova")
    worker, head = narva_staff["worker"], narva_staff["head"]

    # -- the social worker, on a laptop ----------------------------------------------------
    context, page = log_in(browser, url, worker)
    page.goto(url + f"/admin/snippets/directory/offer/edit/{home_care.pk}/")
    assert page.get_attribute("html", "lang") == "ru"
    page.click(f"a[href$='/publishing/offers/{home_care.pk}/new-price/']")
    main = page.locator("main").inner_text()
    assert "Действующая цена" in main and "6,20" in main.replace(".", ",")
    page.fill("input[name=price_individual]", "4,40")
    page.check("input[name=client_share][value=none]")
    page.fill("input[name=valid_from]", timezone.localdate().isoformat())
    page.screenshot(path=str(ARTEFACTS / "done-when-new-price-ru-1366.png"), full_page=True)
    page.click("button[name=submit]")
    page.wait_for_url(url + f"/admin/snippets/directory/offer/edit/{home_care.pk}/")
    assert "новая цена отправлена на утверждение" in page.locator("main").inner_text().lower()
    new_price = Price.objects.get(offer=home_care, status="pending")
    assert new_price.price_individual == Decimal("4.40")
    assert new_price.client_share_amount is None and new_price.client_share_percent is None

    page.goto(url + f"/admin/snippets/directory/contactperson/edit/{olga.pk}/")
    assert page.locator("label[for=id_name]").inner_text().lower().startswith("имя и фамилия")
    page.fill("input[name=phone]", "+372 359 7777")
    page.locator("footer button[type=submit]").first.click()
    page.wait_for_url(url + "/admin/snippets/directory/contactperson/")
    assert "ожидает утверждения" in page.locator("body").inner_text()
    assert no_horizontal_overflow(page)
    context.close()

    # -- her head of department, on a phone ----------------------------------------------
    context, page = log_in(browser, url, head, width=390, height=844)
    page.goto(url + "/admin/publishing/review/")
    assert page.get_attribute("html", "lang") == "ru"
    assert not button_problems(page)
    queue = page.locator("main").inner_text()
    assert "Очередь на утверждение" in queue
    assert (
        "6,20" in queue.replace(".", ",")
        and "4,40" in queue.replace(".", ",")
        and "−29" in queue.replace("-", "−")
    )
    assert "телефон" in queue and "+372 359 9000" in queue and "+372 359 7777" in queue
    assert "phone" not in queue
    boxes = page.locator("input[type=checkbox][name=entry]")
    assert boxes.count() == 2 and not any(boxes.nth(i).is_checked() for i in range(2))
    page.screenshot(path=str(ARTEFACTS / "done-when-review-ru-390.png"), full_page=True)
    for i in range(2):
        boxes.nth(i).check()
    page.click("button[value=approve]")
    page.wait_for_url(url + "/admin/publishing/review/")
    assert "утверждено и опубликовано записей: 2" in page.locator("body").inner_text().lower()
    assert no_horizontal_overflow(page)
    context.close()

    # -- the public page and the audit log -------------------------------------------------
    new_price.refresh_from_db()
    olga.refresh_from_db()
    assert new_price.status == "published" and olga.phone == "+372 359 7777"
    public = browser.new_context().new_page()
    public.goto(url + "/ru/kov/narva-linn/")
    html = public.content()
    assert "4,40" in html or "4.40" in html
    assert "359 7777" in html
    public.context.close()
    for obj in (new_price, olga):
        log = ModelLogEntry.objects.filter(object_id=str(obj.pk), content_type__model=obj._meta.model_name)
        assert log.get(action="publishing.submit").user == worker
        assert log.get(action="publishing.approve").user == head
