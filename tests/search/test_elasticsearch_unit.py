"""The Elasticsearch mapping and query bodies, checked without a cluster."""

import datetime as dt

from search.backends.base import SearchFilters
from search.backends.elasticsearch import build_index, build_search, to_source
from search.documents import IndexDocument


def test_each_language_has_its_own_stemming_analyser_with_folding():
    body = build_index("abiportaal-search-test", {"et": [], "ru": [], "en": []}).to_dict()
    analysis = body["settings"]["analysis"]
    for lang, stemmer in (("et", "estonian"), ("ru", "russian"), ("en", "english")):
        assert analysis["filter"][f"abi_{lang}_stemmer"] == {"type": "stemmer", "language": stemmer}
        assert "abi_fold" in analysis["analyzer"][f"abi_{lang}"]["filter"]
        assert body["mappings"]["properties"][f"title_{lang}"] == {
            "type": "text",
            "analyzer": f"abi_{lang}",
            "search_analyzer": f"abi_{lang}_search",
        }
    assert analysis["filter"]["abi_fold"]["type"] == "asciifolding"
    assert "ё => е" in analysis["char_filter"]["abi_yo"]["mappings"]


def test_synonym_groups_become_search_time_synonym_rules(db):
    from search.models import Synonym

    Synonym.objects.all().delete()
    Synonym.objects.create(language="et", terms="Invatakso\nsotsiaaltransport")
    Synonym.objects.create(language="ru", terms="сиделка, уход на дому")
    analysis = build_index("abiportaal-search-test").to_dict()["settings"]["analysis"]
    assert analysis["filter"]["abi_et_synonyms"]["synonyms"] == ["invatakso, sotsiaaltransport"]
    assert analysis["filter"]["abi_ru_synonyms"]["synonyms"] == ["сиделка, уход на дому"]
    assert "abi_et_synonyms" in analysis["analyzer"]["abi_et_search"]["filter"]
    assert "abi_et_synonyms" not in analysis["analyzer"]["abi_et"]["filter"]


def test_the_query_is_fuzzy_across_all_languages_and_filters_by_code():
    body = build_search(
        "hooldekodu",
        "et",
        SearchFilters(county="tartu-maakond", domain="housing", kind="service"),
        7,
        on=dt.date(2025, 3, 1),
    ).to_dict()
    scored = body["query"]["bool"]["must"][0]["function_score"]
    fuzzy = scored["query"]["bool"]["should"][0]["multi_match"]
    assert fuzzy["fuzziness"] == "AUTO"
    assert {"title_et^4.5", "title_ru^3", "title_en^3"} <= set(fuzzy["fields"])
    filters = body["query"]["bool"]["filter"]
    assert {"term": {"domains": "housing"}} in filters
    assert {"bool": {"must_not": [{"range": {"valid_to": {"lt": "2025-03-01"}}}]}} in filters
    assert body["post_filter"] == {"term": {"kind": "service"}}
    assert body["size"] == 7
    assert set(body["aggs"]) == {"kind", "municipality", "county", "target_group", "domain"}


def test_a_municipality_filter_boosts_its_offers_and_admits_only_its_local_documents():
    body = build_search("koduteenus", "et", SearchFilters(municipality="narva-linn"), 10).to_dict()
    functions = body["query"]["bool"]["must"][0]["function_score"]["functions"]
    assert {"filter": {"term": {"municipality": "narva-linn"}}, "weight": 1.5} in functions
    assert {"terms": {"municipality": ["", "narva-linn"]}} in body["query"]["bool"]["filter"]


def test_a_document_source_carries_texts_per_language_and_our_own_terms():
    doc = IndexDocument(
        key="service:1",
        kind="service",
        code="support-person",
        titles={"et": "Tugiisikuteenus", "ru": "Услуга опорного лица", "en": "Support person service"},
        urls={"et": "/et/services/support-person/"},
        keywords={"et": ["tugiisik", "saatja", "mentor", "juhendaja"]},
    )
    source = to_source(doc, known_et={"tugiisiku", "teenus"})
    assert source["title_ru"] == "Услуга опорного лица"
    assert source["primary_et"] == "tugiisik · saatja · mentor"
    assert source["keywords_et"] == "juhendaja"
    assert {"tugiisiku", "teenu"} <= set(source["title_terms"].split())  # the compound's parts
