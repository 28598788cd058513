"""The search page /<lang>/search/: results, highlights, "did you mean", local offers first,
and help when nothing is found."""

import re
from html import unescape

import pytest


@pytest.mark.parametrize("lang", ["et", "ru", "en"])
def test_the_page_renders_in_every_language(world, client, lang):
    response = client.get(f"/{lang}/search/")
    assert response.status_code == 200
    assert 'role="search"' in response.content.decode()


def test_results_link_to_entries_with_the_matching_words_marked(world, client):
    html = client.get("/et/search/", {"q": "koduteenus"}).content.decode()
    assert 'href="/et/services/home-care/"' in html
    assert "<mark>Koduteenus</mark>" in html


def test_a_typo_gets_a_did_you_mean(world, client):
    html = client.get("/et/search/", {"q": "tugiisk"}).content.decode()
    assert "Kas mõtlesite" in html or "Did you mean" in html
    assert "tugiisik" in html


def test_the_chosen_municipalitys_offer_and_price_come_first(world, client):
    html = client.get("/en/search/", {"q": "home care", "municipality": "tartu-linn"}).content.decode()
    local = html.index("local-offers")
    assert local < html.index('href="/en/services/home-care/"')
    assert "6.50" in html[local:]


def test_nothing_found_still_offers_the_social_worker_and_close_entries(world, client):
    html = client.get("/et/search/", {"q": "koduteenust", "municipality": "tartu-linn"}).content.decode()
    assert 'class="no-results"' not in html  # found something: no fallback
    html = client.get("/et/search/", {"q": "xqzvbnmplk", "municipality": "tartu-linn"}).content.decode()
    assert "Mari Tamm" in html and "+372 5123 4567" in html
    assert "no-results" in html


def test_bad_parameters_show_a_message_not_an_error_page(world, client):
    response = client.get("/ru/search/", {"q": "абв", "municipality": "atlantis"})
    assert response.status_code == 400
    assert "atlantis" in response.content.decode()


def test_nothing_found_lists_the_catalogue_entries_whose_names_look_closest(world, client):
    html = client.get("/et/search/", {"q": "kodutenuzz", "municipality": "tartu-linn"}).content.decode()
    no_results = html[html.index("no-results") :]
    assert "Mari Tamm" in no_results
    closest = no_results[no_results.index("result-list") :]
    assert 'href="/et/services/home-care/"' in closest


def test_nonsense_gets_no_pretend_entries_and_without_a_municipality_the_way_to_one(world, client):
    html = client.get("/en/search/", {"q": "xqzvbnmplk"}).content.decode()
    no_results = html[html.index("no-results") :]
    assert "Closest entries" not in no_results
    assert 'href="/en/kov/"' in no_results


def test_facets_name_their_values_and_a_facet_link_narrows_the_results(world, client):
    html = client.get("/en/search/", {"q": "hooldus"}).content.decode()
    facets = html[html.index("search-facets") :]
    link = re.search(r'href="([^"]*kind=journey[^"]*)"', facets)
    assert link, facets[:2000]
    narrowed = client.get("/en/search/" + unescape(link.group(1))).content.decode()
    results = narrowed[narrowed.index("search-results") : narrowed.index("search-facets")]
    assert "result-journey" in results
    assert not re.search(r'class="result result-(?!journey)', results)
    assert 'aria-current="true"' in narrowed


def test_a_municipality_named_in_the_query_brings_its_offer_and_price_first(world, client):
    html = client.get("/et/search/", {"q": "koduteenus Tartus"}).content.decode()
    local = html.index("local-offers")
    assert local < html.index('href="/et/services/home-care/"')
    assert "6,50 €" in html[local:]


# -- a page people can trust: paging, counts that agree, what an offer leads to -----------------


def test_results_come_in_pages_and_every_one_is_reachable(world, client, api):
    total = api(q="teenus", lang="et").json()["total"]
    assert total > 10
    html = unescape(client.get("/et/search/", {"q": "teenus"}).content.decode())
    assert f"1–10 tulemust {total}-st" in html
    assert 'rel="next"' in html and "page=2" in html
    seen = []
    for offset in range(0, total, 10):
        body = api(q="teenus", lang="et", offset=offset).json()
        assert body["offset"] == offset and body["total"] == total
        seen += [(r["kind"], r["title"], r["url"]) for r in body["results"]]
    assert len(seen) == total and len(set(seen)) == total
    second = unescape(client.get("/et/search/", {"q": "teenus", "page": 2}).content.decode())
    assert f"11–{min(20, total)} tulemust {total}-st" in second and 'rel="prev"' in second


def test_pages_of_any_size_join_into_the_whole_list_with_every_places_offers_by_entry_then_place(world, api):
    whole = api(q="teenus", lang="et", limit=50).json()["results"]
    tail = [r for r in whole if r["kind"] == "offer"]
    assert len(tail) == 4, "two entries offered in two municipalities, after everything else"
    assert [(r["title"], r["municipality"]) for r in tail] == [
        (title, place)
        for title in dict.fromkeys(r["title"] for r in tail)
        for place in ("narva-linn", "tartu-linn")
    ]
    for size in (3, 4, 7):
        paged = []
        for offset in range(0, len(whole), size):
            paged += api(q="teenus", lang="et", limit=size, offset=offset).json()["results"]
        assert [r["url"] for r in paged] == [r["url"] for r in whole], size


def test_the_heading_the_kind_facets_and_the_list_count_the_same_results(world, api):
    for params in ({"q": "koduteenus"}, {"q": "koduteenus", "municipality": "narva-linn"}, {"q": "tugiisik"}):
        body = api(lang="et", **params).json()
        kinds = {f["code"]: f["count"] for f in body["facets"]["kind"]}
        assert sum(kinds.values()) == body["total"], (params, kinds, body["total"])
        for kind, count in kinds.items():
            assert api(lang="et", kind=kind, limit=50, **params).json()["total"] == count


def test_an_offer_shows_its_price_in_the_pages_number_format_and_who_to_call(world, client):
    for lang, price in (("et", "6,50 €"), ("ru", "6,50 €"), ("en", "6.50 €")):
        html = client.get(
            f"/{lang}/search/", {"q": "koduteenus", "municipality": "narva-linn"}
        ).content.decode()
        offers = html[html.index("local-offers") :]
        assert price in offers, lang
        assert "Olga Ivanova" in offers and 'href="tel:+37251234567"' in offers
        assert f'href="/{lang}/kov/narva-linn/#contacts"' in offers


def test_a_contact_result_names_its_municipality(world, client):
    html = client.get("/et/search/", {"q": "Mari Tamm", "municipality": "tartu-linn"}).content.decode()
    contact = html[html.index('class="result result-contact"') :]
    assert "<mark>Mari</mark> <mark>Tamm</mark>" in contact
    assert 'href="/et/kov/tartu-linn/#contacts">Tartu linn</a>' in html


def test_switching_language_keeps_the_query_and_the_filters(world, client):
    html = client.get("/et/search/", {"q": "koduteenus", "kind": "service"}).content.decode()
    assert 'href="/ru/search/?q=koduteenus&amp;kind=service"' in html
