"""The municipality chooser (works without JavaScript and remembers the choice), price history,
sitemap.xml and robots.txt."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from portal.choice import COOKIE_NAME
from tests.factories import PriceFactory
from tests.portal.builders import LAST_YEAR, THIS_YEAR, price

pytestmark = pytest.mark.django_db


def test_home_page_offers_a_chooser_grouped_by_county_and_a_search_box(client, world):
    html = client.get("/ru/").content.decode()
    assert (
        '<form class="chooser" action="/ru/choose-municipality/" method="get" data-chooser'
        ' data-suggest="/ru/choose-municipality/places/">' in html
    )
    assert '<optgroup label="Ида-Вирумаа">' in html
    assert (
        '<option value="narva-linn" data-names="Narva linn|город Нарва|Narva|Ида-Вирумаа">'
        "город Нарва</option>" in html
    )
    assert re.search(r'<form action="/ru/search/" method="get" role="search"', html)
    assert '<script src="/static/js/portal.js" defer></script>' in html


def test_choosing_remembers_the_municipality_and_opens_its_page(client, world):
    response = client.get("/en/choose-municipality/?municipality=johvi-vald")
    assert response.status_code == 302 and response["Location"] == "/en/kov/johvi-vald/"
    assert response.cookies[COOKIE_NAME].value == "johvi-vald"
    assert response.cookies[COOKIE_NAME]["samesite"] == "Lax"

    home = client.get("/en/")
    assert (
        '<option value="johvi-vald" '
        'data-names="Jõhvi vald|волость Йыхви|Jõhvi Parish|Ida-Viru County" selected>'
        in home.content.decode()
    )
    assert "Cookie" in home["Vary"]


def test_typed_text_finds_the_municipality_in_any_language_without_diacritics(client, world):
    assert client.get("/et/choose-municipality/?q=johvi")["Location"] == "/et/kov/johvi-vald/"
    assert client.get("/et/choose-municipality/?q=Йыхви")["Location"] == "/et/kov/johvi-vald/"
    several = client.get("/en/choose-municipality/?q=narv")
    assert several.status_code == 200
    html = several.content.decode()
    assert 'href="?municipality=narva-linn"' in html and 'href="?municipality=narva-joesuu-linn"' in html


@pytest.mark.parametrize("query", ["municipality=atlantis", "q=zzzz", "municipality=" + "x" * 500])
def test_unknown_choice_gets_a_message_in_the_readers_language(client, world, query):
    response = client.get(f"/ru/choose-municipality/?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html and COOKIE_NAME not in response.cookies


def test_choice_returns_only_to_a_local_page(client, world):
    ok = client.get("/en/choose-municipality/?municipality=narva-linn&next=/en/journeys/elderly-in-need/")
    assert ok["Location"] == "/en/journeys/elderly-in-need/"
    evil = client.get("/en/choose-municipality/?municipality=narva-linn&next=https://evil.example/")
    assert evil["Location"] == "/en/kov/narva-linn/"


def test_price_history_lists_every_published_price_with_its_validity(client, world):
    offer = world.offer(world.narva, world.respite, None)
    price(offer, "11.00", valid_from=LAST_YEAR)
    price(offer, "12.50", valid_from=THIS_YEAR)
    PriceFactory(
        offer=offer, unit=world.hour, price_individual="99.00", valid_from=THIS_YEAR + dt.timedelta(days=40)
    )

    response = client.get(f"/en/offers/{offer.pk}/history/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("12.50") < html.index("11.00"), "newest first"
    closed = (THIS_YEAR - dt.timedelta(days=1)).isoformat()
    assert f'<time datetime="{closed}">' in html, "the old price shows when it ended"
    assert "99.00" not in html, "drafts are not history"
    assert 'class="freshness"' in html


def test_unknown_offer_history_is_not_found(client, world):
    assert client.get("/en/offers/999999/history/").status_code == 404


def test_sitemap_lists_every_page_in_all_languages_with_alternates(client, world):
    xml = client.get("/sitemap.xml").content.decode()
    for lang in ("et", "ru", "en"):
        assert f"<loc>http://testserver/{lang}/kov/narva-linn/</loc>" in xml
        assert f"<loc>http://testserver/{lang}/components/respite-for-family/</loc>" in xml
        assert f"<loc>http://testserver/{lang}/services/home-care/</loc>" in xml
        assert f'hreflang="{lang}" href="http://testserver/{lang}/kov/narva-linn/"' in xml
    assert 'hreflang="x-default"' in xml


def test_sitemap_lists_each_public_offer_page_but_not_drafts_or_withdrawn_ones(client, world):
    from directory.models import PublicationStatus
    from tests.factories import OfferFactory

    public = OfferFactory()
    draft = OfferFactory(status=PublicationStatus.DRAFT)
    ended = OfferFactory(valid_to=dt.date(2020, 1, 1), valid_from=dt.date(2019, 1, 1))
    xml = client.get("/sitemap.xml").content.decode()
    for lang in ("et", "ru", "en"):
        assert f"<loc>http://testserver/{lang}/offers/{public.pk}/</loc>" in xml
        assert f'hreflang="{lang}" href="http://testserver/{lang}/offers/{public.pk}/"' in xml
    assert f"/offers/{draft.pk}/" not in xml and f"/offers/{ended.pk}/" not in xml
    assert f"<lastmod>{timezone.localdate(public.updated_at):%Y-%m-%d}</lastmod>" in xml


def test_a_sitemap_lastmod_is_the_date_in_tallinn_not_in_utc(client, world):
    """An offer saved at 22:30 UTC on 7 December was saved on 8 December in Estonia."""
    from directory.models import Offer
    from tests.factories import OfferFactory

    offer = OfferFactory()
    late_evening_utc = dt.datetime(2026, 12, 7, 22, 30, tzinfo=dt.UTC)
    Offer.objects.filter(pk=offer.pk).update(updated_at=late_evening_utc)
    xml = client.get("/sitemap.xml").content.decode()
    entry = xml.split(f"/offers/{offer.pk}/</loc>", 1)[1].split("</url>", 1)[0]
    assert "<lastmod>2026-12-08</lastmod>" in entry


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_forms(client):
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /admin/" in text and "Disallow: /ru/report-a-mistake/" in text


def test_every_page_links_its_other_languages(client, world):
    html = client.get("/ru/components/respite-for-family/").content.decode()
    assert (
        '<link rel="alternate" hreflang="et" href="http://testserver/et/components/respite-for-family/">'
        in html
    )
    assert '<a class="skip-link" href="#main">' in html
