"""Every public form answers bad input the GOV.UK way: one error summary at the top of the main
content (components/error_summary.html, focused on load), whose entries link to the fields;
each field shows its own message, tied to it by aria-describedby; the title starts with
"Viga:" / "Ошибка:" / "Error:"."""

import re

import pytest

pytestmark = pytest.mark.django_db

PREFIX = {"et": "Viga: ", "ru": "Ошибка: ", "en": "Error: "}


def title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


def refused(client, url: str) -> str:
    """The page answering bad input: HTTP 400, its title starting "Error:" in the page's language."""
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 400
    assert title(html).startswith(PREFIX[url.split("/")[1]])
    return html


def summary_links(html: str) -> list[str]:
    """The fields the summary's entries link to (the summary must come before any <h1>)."""
    match = re.search(r'<div class="error-summary"[^>]*autofocus[^>]*>(.*?)</div>', html, re.S)
    assert match, "an error summary that takes the focus"
    assert html.index('class="error-summary"') < html.index("<h1"), "the summary opens the main content"
    assert html.count('class="error-summary"') == 1
    return re.findall(r'<a href="#([^"]+)"', match.group(1))


def described_by(html: str, field_id: str) -> list[str]:
    tag = re.search(rf'<(?:input|select|textarea)[^>]*\bid="{re.escape(field_id)}"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in tag
    return re.search(r'aria-describedby="([^"]+)"', tag).group(1).split()


def assert_field_message(html: str, field_id: str, message: str) -> None:
    """The field names an element that holds the message."""
    for ref in described_by(html, field_id):
        element = re.search(rf'id="{re.escape(ref)}"[^>]*>(.*?)</(?:p|ul)>', html, re.S)
        if element and message in element.group(1):
            return
    pytest.fail(f"{field_id} is not described by “{message}”")


@pytest.mark.parametrize("lang", ["et", "ru", "en"])
def test_the_report_form_links_each_error_to_its_field(client, world, lang):
    url = f"/{lang}/report-a-mistake/kov/narva-linn/"
    started = re.search(r'name="started" value="([^"]+)"', client.get(url).content.decode()).group(1)
    response = client.post(url, {"started": started, "message": "", "email": "not an address"})
    html = response.content.decode()
    assert response.status_code == 400
    assert title(html).startswith(PREFIX[lang])
    assert summary_links(html) == ["id_message", "id_email"]
    assert "id_message_error" in described_by(html, "id_message")
    assert "id_email_error" in described_by(html, "id_email")


def test_a_form_without_errors_has_no_summary_and_a_plain_title(client, world):
    html = client.get("/en/report-a-mistake/kov/narva-linn/").content.decode()
    assert "error-summary" not in html and not title(html).startswith("Error")


def test_the_chooser_explains_an_unknown_place_beside_the_box(client, world):
    html = refused(client, "/en/choose-municipality/?q=Atlantis")
    assert summary_links(html) == ["municipality-chooser"]
    assert_field_message(html, "municipality-chooser", "No place matches “Atlantis”")
    assert_field_message(html, "municipality-chooser-place", "No place matches “Atlantis”")


def test_an_unknown_county_filter_is_explained_at_the_filter(client, world):
    html = refused(client, "/ru/components/respite-for-family/?county=atlantis")
    assert summary_links(html) == ["filter-county"]
    assert "filter-county-error" in described_by(html, "filter-county")


def test_search_errors_link_to_the_search_box(client, world):
    html = refused(client, "/et/search/?q=" + "a" * 250)
    assert summary_links(html) == ["search-q"]
    assert described_by(html, "search-q") == ["search-q-error"]


def test_analytics_filters_link_to_the_field(client, world):
    html = refused(client, "/en/analytics/coverage/?county=atlantis")
    assert summary_links(html) == ["id_county"]
    assert_field_message(html, "id_county", "Unknown county code “atlantis”.")
