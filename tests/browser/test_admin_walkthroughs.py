"""The everyday buttons of KOV staff, pressed in a real browser with real logins, in Estonian
and in Russian: withdraw an offer, end a contact, mark an entry verified, and open, answer and
close a resident's report. Each step checks what the database holds afterwards and what the
user is told, in her language, with no English left on the page."""

import datetime as dt
import re

import pytest
from django.utils import translation

from .conftest import ARTEFACTS
from .kov import log_in, staff

pytestmark = pytest.mark.browser

# English words that would betray an untranslated label on an et/ru page (names are data).
ENGLISH = re.compile(
    r"\b(the|and|from|Offer|Price|Provider|Service|Unit|Save|Status|Search|Help|Withdraw|Verified|"
    r"Report|Reply|Submit|Approve|Reject|Contact|Edit|Delete|History)\b"
)


ENDED = "Withdrawn: it ends today and its history is kept."


def said(lang: str, text: str) -> str:
    with translation.override(lang):
        return translation.gettext(text)


def main_text(page) -> str:
    return page.locator("main").inner_text()


def english_on(page) -> list[str]:
    return sorted(set(ENGLISH.findall(main_text(page))))


def press(page, lang: str, action: str, label: str, done: str) -> None:
    """Press the workflow button `action`, labelled `label` in the user's language; she is told `done`."""
    button = page.locator(f"button[data-publishing-action={action}]")
    assert button.inner_text().strip() == said(lang, label) != label
    button.click()
    page.wait_for_load_state()
    assert said(lang, done) in main_text(page)


@pytest.fixture
def narva(site):
    from directory.models import ContactPerson, Offer
    from feedback.models import Report
    from publishing.permissions import setup_kov_permissions
    from publishing.scope import editor_group_name

    setup_kov_permissions()
    offers = Offer.objects.filter(municipality__code="narva-linn").order_by("pk")
    return {
        "offers": list(offers),
        "contact": ContactPerson.objects.get(name="Olga Petrova"),
        "report": Report.objects.create(
            municipality=offers[0].municipality,
            offer=offers[0],
            message="Hind on vale, peaks olema 4,40.",
            email="elanik@example.ee",
            language="et",
        ),
        "editor": lambda lang: staff(f"editor-{lang}", editor_group_name("narva-linn"), language=lang),
    }


@pytest.mark.parametrize("lang", ["et", "ru"])
def test_withdraw_end_verify_and_handle_a_report(browser, site, narva, lang):
    from directory.models.offers import today

    url = site["url"]
    editor = narva["editor"](lang)
    offer, other = narva["offers"][0], narva["offers"][1]
    contact, report = narva["contact"], narva["report"]
    context, page = log_in(browser, url, editor)
    failures = []

    # -- mark verified ---------------------------------------------------------------------
    page.goto(url + f"/admin/snippets/directory/offer/edit/{other.pk}/")
    assert page.get_attribute("html", "lang") == lang
    press(page, lang, "verify", "Mark verified", "Marked as verified today.")
    other.refresh_from_db()
    assert other.last_verified == today()

    # -- withdraw an offer -----------------------------------------------------------------
    page.goto(url + f"/admin/snippets/directory/offer/edit/{offer.pk}/")
    press(page, lang, "withdraw", "Withdraw offer (ends today)", ENDED)
    offer.refresh_from_db()
    assert offer.valid_to == today() and offer.prices.published().exists()  # history kept
    failures += [f"offer edit: {word}" for word in english_on(page)]

    # -- end a contact ---------------------------------------------------------------------
    page.goto(url + f"/admin/snippets/directory/contactperson/edit/{contact.pk}/")
    press(page, lang, "withdraw", "End contact (today)", ENDED)
    contact.refresh_from_db()
    assert contact.valid_to == today()
    failures += [f"contact edit: {word}" for word in english_on(page)]

    # -- open, answer and close a report ---------------------------------------------------
    page.goto(url + "/admin/reports/")
    failures += [f"reports: {word}" for word in english_on(page)]
    page.locator(f"main a[href$='/admin/reports/edit/{report.pk}/']").first.click()
    page.wait_for_url(url + f"/admin/reports/edit/{report.pk}/")
    assert "Hind on vale" in main_text(page)
    link = page.locator(f"main a[href$='/admin/snippets/directory/offer/edit/{offer.pk}/']")
    assert link.count() == 1
    page.fill(
        "textarea[name=reply]", "Aitäh, hind on parandatud." if lang == "et" else "Спасибо, цена исправлена."
    )
    page.fill("textarea[name=editor_note]", "Hind kontrollitud.")
    page.select_option("select[name=status]", "fixed")
    page.screenshot(path=str(ARTEFACTS / f"admin-report-answer-{lang}-1366.png"), full_page=True)
    failures += [f"report edit: {word}" for word in english_on(page)]
    page.locator("footer button[type=submit]").first.click()
    page.wait_for_url(url + "/admin/reports/")
    report.refresh_from_db()
    assert report.status == "fixed" and report.replied_by == editor
    assert report.reply.startswith(("Aitäh", "Спасибо")) and report.replied_at.date() >= dt.date(2026, 1, 1)
    assert said(lang, "corrected") in main_text(page)
    context.close()
    assert not failures, "\n".join(failures)
