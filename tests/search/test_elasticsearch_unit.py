"""The Elasticsearch mapping and query bodies, checked without a cluster."""

import datetime as dt

from elasticsearch.dsl.response import Response

from search.backends.base import SearchFilters
from search.backends.elasticsearch import (
    DENSE_MIN_SIMILARITY,
    VECTOR_DIMS,
    build_closest,
    build_index,
    build_search,
    results_from,
    suggestion_from,
    to_source,
)
from search.documents import IndexDocument
from search.embedding import get_embedder


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
    assert body["from"] == 0
    assert build_search("hooldekodu", "et", SearchFilters(), 7, offset=14).to_dict()["from"] == 14
    # As the database backend counts them: kinds before the kind filter, the rest after it.
    assert body["aggs"]["kind"] == {"terms": {"field": "kind", "size": 100}}
    assert body["aggs"]["narrowed"]["filter"] == {"term": {"kind": "service"}}
    assert set(body["aggs"]["narrowed"]["aggs"]) == {"municipality", "county", "target_group", "domain"}
    unfiltered = build_search("hooldekodu", "et", SearchFilters(), 7).to_dict()
    assert set(unfiltered["aggs"]) == {"kind", "municipality", "county", "target_group", "domain"}


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


def test_closest_asks_for_components_and_services_by_name_with_typos_forgiven():
    body = build_closest("hoolekodu", "et", 3).to_dict()
    should = body["query"]["bool"]["should"]
    assert body["query"]["bool"]["minimum_should_match"] == 1
    fuzzy = should[0]["multi_match"]
    assert fuzzy["query"] == "hoolekodu"
    assert fuzzy["fuzziness"] == "AUTO"
    assert fuzzy["prefix_length"] == 0  # a typo in the first letter is forgiven too
    assert {"title_et^4.5", "primary_et^3.9", "title_ru^3", "title_en^3"} <= set(fuzzy["fields"])
    assert not [f for f in fuzzy["fields"] if f.startswith("body_")]
    assert should[1]["multi_match"]["type"] == "bool_prefix"
    assert body["query"]["bool"]["filter"] == [{"terms": {"kind": ["component", "service"]}}]
    assert body["size"] == 3


def test_a_search_asks_the_term_suggester_for_words_missing_from_the_index():
    body = build_search("hoolekodu", "et", SearchFilters(), 10).to_dict()
    assert body["suggest"]["did_you_mean"] == {
        "text": "hoolekodu",
        "term": {"field": "words", "suggest_mode": "missing", "min_word_length": 4},
    }


def test_did_you_mean_replaces_only_the_corrected_words():
    entries = [
        {"text": "vanaema", "offset": 0, "length": 7, "options": []},
        {"text": "hoolekodu", "offset": 8, "length": 9, "options": [{"text": "hooldekodu", "score": 0.8}]},
    ]
    assert suggestion_from("vanaema hoolekodu tartus", entries) == "vanaema hooldekodu tartus"
    assert suggestion_from("vanaema", entries[:1]) == ""


def test_words_are_indexed_unstemmed_for_suggestions():
    body = build_index("abiportaal-search-test", {"et": [], "ru": [], "en": []}).to_dict()
    assert body["mappings"]["properties"]["words"] == {"type": "text", "analyzer": "abi_words"}
    assert body["settings"]["analysis"]["analyzer"]["abi_words"]["filter"] == ["lowercase"]
    doc = IndexDocument(key="service:9", kind="service", code="day-care", titles={"et": "Päevahoid"}, urls={})
    assert "päevahoid" in to_source(doc, known_et=set())["words"].split()


def test_a_response_becomes_the_same_results_as_the_database_backend_gives():
    search = build_search("narva", "et", SearchFilters(), 10)
    response = Response(
        search,
        {
            "hits": {
                "total": {"value": 1},
                "hits": [
                    {
                        "_id": "municipality:1",
                        "_index": "abiportaal-search-x",
                        "_score": 2.5,
                        "_source": {
                            "key": "municipality:1", "kind": "municipality", "code": "narva-linn",
                            "municipality": "", "title_et": "Narva linn", "title_ru": "Город Нарва",
                            "url_et": "/et/narva-linn/", "text_et": "Narva", "domains": [], "data": {},
                        },
                    }
                ],
            },
            "aggregations": {
                "kind": {"buckets": [{"key": "municipality", "doc_count": 1}]},
                "municipality": {"buckets": [{"key": "", "doc_count": 1}]},
            },
            "suggest": {"did_you_mean": [{"text": "narva", "offset": 0, "length": 5, "options": []}]},
        },
    )  # fmt: skip
    results = results_from(response, "narva", "ru", {"narva"})
    hit = results.hits[0]
    assert (hit.kind, hit.code, hit.municipality, hit.title) == (
        "municipality",
        "narva-linn",
        "narva-linn",
        "Город Нарва",
    )
    assert hit.url == "/et/narva-linn/"  # no Russian address: the Estonian one
    assert results.total == 1
    assert results.facets["kind"] == [("municipality", 1)]
    assert results.facets["municipality"] == []  # the empty place is no facet value
    assert results.facets["domain"] == []
    assert results.suggestion == ""


def test_facets_after_the_kind_filter_are_read_from_the_narrowed_aggregation():
    search = build_search("hooldus", "et", SearchFilters(kind="service"), 10)
    response = Response(
        search,
        {
            "hits": {"total": {"value": 0}, "hits": []},
            "aggregations": {
                "kind": {"buckets": [{"key": "service", "doc_count": 4}, {"key": "journey", "doc_count": 2}]},
                "narrowed": {
                    "doc_count": 4,
                    "domain": {"buckets": [{"key": "housing", "doc_count": 3}]},
                    "target_group": {"buckets": [{"key": "elderly", "doc_count": 4}]},
                },
            },
        },
    )
    facets = results_from(response, "hooldus", "et", set()).facets
    assert facets["kind"] == [("service", 4), ("journey", 2)]
    assert facets["domain"] == [("housing", 3)]
    assert facets["target_group"] == [("elderly", 4)]
    assert facets["county"] == []


def test_a_query_vector_adds_knn_over_each_languages_passages_beside_the_lexical_query():
    vector = [0.1] * VECTOR_DIMS
    body = build_search(
        "ema ei suuda end pesta", "et", SearchFilters(domain="housing"), 10, query_vector=vector
    )
    body = body.to_dict()
    assert "function_score" in body["query"]["bool"]["must"][0]  # the lexical query stays
    assert [k["field"] for k in body["knn"]] == ["vector_et", "vector_ru", "vector_en"]
    clause = body["knn"][0]
    assert clause["query_vector"] == vector
    assert clause["k"] == 10 and clause["num_candidates"] == 50
    assert clause["similarity"] == DENSE_MIN_SIMILARITY
    assert {"terms": {"kind": ["component", "service"]}} in clause["filter"]
    assert {"term": {"domains": "housing"}} in clause["filter"]
    assert "knn" not in build_search("pesta", "et", SearchFilters(), 10).to_dict()
    only_offers = build_search("pesta", "et", SearchFilters(kind="offer"), 10, query_vector=vector)
    assert "knn" not in only_offers.to_dict()  # no catalogue entry can be listed


def test_the_index_maps_a_cosine_dense_vector_per_language(db):
    properties = build_index("abiportaal-search-test").to_dict()["mappings"]["properties"]
    for lang in ("et", "ru", "en"):
        assert properties[f"vector_{lang}"] == {
            "type": "dense_vector",
            "dims": VECTOR_DIMS,
            "index": True,
            "similarity": "cosine",
        }


def test_a_catalogue_entrys_source_carries_its_passage_vectors(settings):
    settings.SEARCH_EMBEDDER = "e5-small"
    doc = IndexDocument(
        key="service:1",
        kind="service",
        code="home-care",
        titles={"et": "Koduteenus", "ru": "Помощь на дому", "en": "Home care"},
        urls={"et": "/et/services/home-care/"},
    )
    source = to_source(doc, known_et=set(), embedder=get_embedder())
    assert len(source["vector_ru"]) == VECTOR_DIMS
    assert abs(sum(x * x for x in source["vector_en"]) - 1) < 0.01
    municipality = IndexDocument(key="municipality:1", kind="municipality", code="narva-linn",
                                 titles={"et": "Narva linn"}, urls={"et": "/et/narva/"})  # fmt: skip
    assert "vector_et" not in to_source(municipality, known_et=set(), embedder=get_embedder())
