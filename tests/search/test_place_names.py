"""A search that names a village, town or city district is treated like one that names its
municipality: that municipality's offers and prices come first."""

import pytest


@pytest.mark.parametrize(
    ("lang", "query", "price"),
    [
        ("et", "koduteenus Ilmatsalus", "6,50 €"),
        ("ru", "уход на дому Ильматсалу", "6,50 €"),
        ("en", "home care Ilmatsalu", "6.50 €"),
    ],
)
def test_a_settlement_named_in_the_query_brings_its_municipalitys_offers_first(
    world, client, lang, query, price
):
    html = client.get(f"/{lang}/search/", {"q": query}).content.decode()
    local = html.index("local-offers")
    assert local < html.index(f'href="/{lang}/services/home-care/"')
    # The results page shows prices in the page language's format (as in test_page.py).
    assert price in html[local:], "Tartu's home-care price (Ilmatsalu is in Tartu linn)"


def test_an_ordinary_word_that_is_also_a_village_name_names_no_municipality(world, client):
    html = client.get("/et/search/", {"q": "koduteenus järve"}).content.decode()
    assert "local-offers" not in html
