"""The GOV.UK error pattern in a real browser: after a bad submit the error summary has the focus
(a screen reader reads it first), the title starts with "Viga:" / "Ошибка:" / "Error:", and each
of its links moves the focus to the field, which names its own message."""

import pytest

from .conftest import AXE
from .test_accessibility import AXE_OPTIONS

pytestmark = pytest.mark.browser

PREFIX = {"et": "Viga: ", "ru": "Ошибка: ", "en": "Error: "}
FOCUSED = "document.activeElement.classList.contains('error-summary')"


def follow_first_error(page, lang: str) -> str:
    """Check the title and the focus on the summary, follow its first link; the focused id."""
    assert page.title().startswith(PREFIX[lang])
    assert page.evaluate(FOCUSED), "the summary has the focus"
    page.click(".error-summary a >> nth=0")
    return page.evaluate("document.activeElement.id")


@pytest.mark.parametrize("lang", ["et", "ru", "en"])
def test_an_empty_report_moves_the_focus_to_the_summary_and_its_link_to_the_field(browser, site, lang):
    context = browser.new_context(bypass_csp=True)  # axe is injected
    page = context.new_page()
    page.goto(f"{site['url']}/{lang}/report-a-mistake/kov/narva-linn/")
    with page.expect_navigation():
        page.click("form.report-form button[type=submit]")
    assert page.title().startswith(PREFIX[lang])
    assert page.evaluate(FOCUSED), "the summary has the focus"
    page.click(".error-summary a[href='#id_message']")
    assert page.evaluate("document.activeElement.id") == "id_message"
    described = page.get_attribute("#id_message", "aria-describedby").split()
    assert page.inner_text(f"#{described[-1]}").strip() in page.inner_text(".error-summary")
    page.evaluate(AXE.read_text())
    result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    assert result["violations"] == []
    context.close()


def test_an_empty_budget_is_explained(browser, site):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{site['url']}/en/analytics/budget/")
    with page.expect_navigation():
        page.click(".budget-form button[name=calculate]")
    assert "Nothing to calculate yet" in page.inner_text(".error-summary")
    assert follow_first_error(page, "en") == "id_find", "no table yet: the box to find help"
    context.close()


def test_the_chooser_error_leads_to_the_type_ahead_box(browser, site):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{site['url']}/ru/choose-municipality/?q=Атлантида")
    assert follow_first_error(page, "ru") == "municipality-chooser-text"  # the type-ahead box
    assert page.get_attribute('[role="combobox"]', "aria-invalid") == "true"
    assert "municipality-chooser-error" in page.get_attribute('[role="combobox"]', "aria-describedby")
    context.close()


def test_the_search_error_is_focused_and_leads_to_the_search_box(browser, site):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{site['url']}/et/search/?q={'a' * 250}")
    assert follow_first_error(page, "et") == "search-q"
    context.close()
