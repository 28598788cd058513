"""What a partner's client reads from headers and links: CORS exposes the conditional-GET
headers, the Atom feed has an author and links that resolve, IDN websites are URIs."""

import xml.etree.ElementTree as ET

import pytest

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def test_browser_clients_can_read_etag_and_last_modified(client, directory):
    response = client.get("/api/v1/prices/", HTTP_ORIGIN="https://partner.example")
    exposed = {h.strip().lower() for h in response["Access-Control-Expose-Headers"].split(",")}
    assert {"etag", "last-modified", "retry-after"} <= exposed
    assert response["Access-Control-Allow-Origin"] == "*"


def test_atom_feed_has_an_author_cors_and_links_that_resolve(client, directory, wagtail_root):
    from portal.site_tree import build_site_tree

    build_site_tree()
    response = client.get("/et/kov/narva-linn/feed/")
    assert response["Access-Control-Allow-Origin"] == "*"
    feed = ET.fromstring(response.content)
    assert feed.find(f"{ATOM}author/{ATOM}name").text == "Abiportaal"
    contact_links = [
        e.find(f"{ATOM}link").get("href")
        for e in feed.findall(f"{ATOM}entry")
        if "#contact" in e.find(f"{ATOM}link").get("href")
    ]
    assert contact_links
    for link in contact_links:
        path, anchor = link.replace("http://testserver", "").split("#")
        page = client.get(path, follow=True)
        assert page.status_code == 200 and f'id="{anchor}"' in page.content.decode()


def test_idn_websites_are_punycode_uris_in_the_api(client, directory):
    directory.narva.website = "https://jõgeva.ee/"
    directory.narva.save()
    body = client.get("/api/v1/municipalities/narva-linn/").json()
    assert body["website"] == "https://xn--jgeva-dua.ee/"


def test_atom_feed_says_when_a_price_and_an_offer_end(client, directory):
    directory.narva_home.withdraw(
        directory.narva_home.prices.get().valid_from.replace(year=2026, month=1, day=31)
    )
    titles = [
        e.find(f"{ATOM}title").text
        for e in ET.fromstring(client.get("/en/kov/narva-linn/feed/").content).findall(f"{ATOM}entry")
    ]
    assert any(t.startswith("Price ends:") and "2026-01-31" in t for t in titles), titles
    assert any(t.startswith("Offer ends:") for t in titles), titles
