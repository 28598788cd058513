"""What a public-sector site must carry: about, accessibility statement, privacy notice and
contact pages in et/ru/en, linked from every page's footer; the report form links to the
privacy notice; the 404 page offers search and the main navigation; titles don't repeat."""

import re

import pytest

from tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

PAGES = {
    "about": {"et": "Abiportaalist", "ru": "О портале Абипортал", "en": "About Abiportaal"},
    "accessibility": {
        "et": "Ligipääsetavuse teatis",
        "ru": "Заявление о доступности",
        "en": "Accessibility statement",
    },
    "privacy": {"et": "Andmekaitsetingimused", "ru": "Уведомление о защите данных", "en": "Privacy notice"},
    "contact": {"et": "Kontakt ja abi", "ru": "Контакты и помощь", "en": "Contact and help"},
}


def h1(html: str) -> str:
    return re.search(r"<h1>(.*?)</h1>", html, re.S).group(1).strip()


@pytest.mark.parametrize("lang", ["et", "ru", "en"])
@pytest.mark.parametrize("slug", list(PAGES))
def test_each_information_page_is_in_the_visitors_language(client, slug, lang):
    response = client.get(f"/{lang}/{slug}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in html
    assert h1(html) == PAGES[slug][lang]
    site = "Абипортал" if lang == "ru" else "Abiportaal"
    assert f"<title>{PAGES[slug][lang]} · {site}</title>" in html


@pytest.mark.parametrize("lang", ["et", "ru", "en"])
def test_the_footer_links_to_about_accessibility_privacy_professionals_open_data_api_and_contact(
    client, lang
):
    html = client.get(f"/{lang}/contact/").content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    hrefs = re.findall(r'href="([^"]+)"', footer)
    assert hrefs == [
        f"/{lang}/about/",
        f"/{lang}/accessibility/",
        f"/{lang}/privacy/",
        f"/{lang}/professionals/",
        f"/{lang}/open-data/",
        "/api/v1/docs/",
        f"/{lang}/contact/",
    ]


def test_the_accessibility_statement_has_status_exceptions_feedback_and_enforcement(client, settings):
    html = client.get("/et/accessibility/").content.decode()
    for heading in ("Vastavuse olek", "Teadaolevad erandid", "Tagasiside ja kontakt", "Järelevalvemenetlus"):
        assert f"<h2>{heading}</h2>" in html
    assert "WCAG" in html and "320" in html
    assert f'href="mailto:{settings.PORTAL_CONTACT_EMAIL}"' in html
    assert "www.ttja.ee" in html


@pytest.mark.parametrize(
    ("lang", "retention"),
    [
        ("et", "kustutatakse 365 päeva pärast saabumist"),
        ("ru", "удаляется через 365 дней после получения"),
        ("en", "is deleted 365 days after it arrives"),
    ],
)
def test_the_privacy_notice_states_the_retention_period_set_for_reports(client, lang, retention):
    html = client.get(f"/{lang}/privacy/").content.decode()
    assert retention in html
    assert 'id="report-form"' in html


def test_the_privacy_notice_follows_the_retention_setting(client, settings):
    settings.FEEDBACK_RETENTION_DAYS = 91
    assert "удаляется через 91 день после получения" in client.get("/ru/privacy/").content.decode()


@pytest.mark.parametrize("lang", ["et", "ru", "en"])
def test_the_report_form_links_to_the_privacy_notice(client, lang):
    MunicipalityFactory(code="narva-linn")
    html = client.get(f"/{lang}/report-a-mistake/kov/narva-linn/").content.decode()
    form = html[html.index('<form method="post"') : html.index("</form>")]
    assert f'href="/{lang}/privacy/#report-form"' in form


@pytest.mark.parametrize(("lang", "label"), [("et", "Millist abi otsite?"), ("ru", "Какую помощь вы ищете?")])
def test_the_404_page_has_the_search_box_and_the_main_navigation(client, lang, label):
    response = client.get(f"/{lang}/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert f'<form action="/{lang}/search/" method="get" role="search"' in html
    assert f'<label for="not-found-search">{label}</label>' in html
    nav = re.search(r'<nav aria-label="[^"]+">\s*<ul class="nav">(.*?)</ul>', html, re.S).group(1)
    assert re.findall(r'href="([^"]+)"', nav) == [
        f"/{lang}/kov/",
        f"/{lang}/analytics/",
        f"/{lang}/journeys/",
        f"/{lang}/search/",
    ]
    assert '<p class="error-reference"><small>' in html
    assert 'rel="icon"' in html


@pytest.mark.parametrize(("lang", "title"), [("et", "Abiportaal"), ("ru", "Абипортал"), ("en", "Abiportaal")])
def test_the_front_page_title_names_the_portal_once_and_a_favicon_is_linked(client, lang, title):
    from portal.site_tree import build_site_tree

    build_site_tree()
    html = client.get(f"/{lang}/").content.decode()
    assert f"<title>{title}</title>" in html
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in html


@pytest.mark.parametrize(
    ("lang", "measured"),
    [
        ("et", ["320 piksli", "kahekordseks", "24 × 24", "44 × 44", "„Viga:“"]),
        ("ru", ["320 пикселей", "двукратном увеличении", "24 × 24", "44 × 44", "«Ошибка:»"]),
        ("en", ["320 pixels", "twice its size", "24 × 24", "44 × 44", "“Error:”"]),
    ],
)
def test_the_statement_claims_what_the_browser_tests_measure_and_no_longer_lists_fixed_gaps(
    client, lang, measured
):
    """tests/browser: test_reflow (320 px and 200 % zoom), test_target_size, test_error_summary."""
    html = client.get(f"/{lang}/accessibility/").content.decode()
    for claim in measured:
        assert claim in html
    for fixed in ("lack breadcrumbs", "puudub navigeerimisrada", "Not every form", "Kõik vormid ei vii"):
        assert fixed not in html
