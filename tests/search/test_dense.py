"""The dense side of search: a described need finds its entry without sharing a word with it;
vectors live with the index; query vectors are remembered; without the model, search is
lexical and /readyz says "degraded" — never a 500."""

import logging
import os
import subprocess
import sys
from pathlib import Path

from django.core.cache import caches

from directory.models import Service
from search import embedding
from search.backends import get_backend
from search.documents import service_documents
from search.models import SearchDocument
from tests.redis_cache import REDIS_URL, redis_caches, unique_prefix

ROOT = Path(__file__).resolve().parents[2]


def codes(response) -> list[str]:
    return [r["code"] for r in response.json()["results"]]


def test_a_need_described_in_other_words_finds_the_entry_that_answers_it(world, client):
    response = client.get("/api/v1/search/", {"q": "my mother can no longer wash herself", "lang": "en"})
    assert response.status_code == 200
    assert {"home-care", "daily-living-support"} & set(codes(response)[:3])


def test_a_sentence_sharing_no_word_with_the_catalogue_still_finds_its_entry(world, client):
    response = client.get("/api/v1/search/", {"q": "my son shouts and throws himself at us", "lang": "en"})
    assert "risk-behaviour-management" in codes(response)[:5]


def test_estonian_keeps_its_lexical_strength(world, client):
    response = client.get("/api/v1/search/", {"q": "koduteenus", "lang": "et"})
    assert codes(response)[0] == "home-care"


def test_catalogue_entries_keep_their_passage_vectors_with_the_index(world):
    row = SearchDocument.objects.get(kind="service", code="home-care")
    keys, vectors = embedding.get_embedder().unpack(row.vectors)
    assert len(keys) == len(vectors) == 6  # et, ru, en: what it is, and when it helps
    assert abs(float((vectors[0] ** 2).sum()) - 1) < 0.01  # unit vectors
    assert SearchDocument.objects.get(kind="municipality", code="narva-linn").vectors is None


def test_an_entrys_situations_are_a_passage_of_their_own_and_count_in_its_best_cosine(world):
    """A described need near what residents say of an entry finds the entry, even where its
    formal texts (name, summary, what it includes) are far from it."""
    embedder = embedding.get_embedder()
    service = Service.objects.get(code="home-care")
    doc = next(service_documents(Service.objects.filter(pk=service.pk)))
    situations = embedding.situation_text(doc, "ru")
    assert service.situations_ru[0] in situations and situations in embedding.passage_texts(doc)
    keys, _ = embedder.unpack(SearchDocument.objects.get(key=doc.key).vectors)
    assert embedding.text_key(situations) in keys
    dense = get_backend("database")._current_state().dense
    assert dense.bonuses(embedder.passages([situations])[0])[doc.key] == 1.0


def test_a_rebuild_embeds_only_texts_it_has_not_seen(world):
    embedder = embedding.get_embedder()
    before = embedder.embedded_passages
    get_backend("database").rebuild()
    assert embedder.embedded_passages == before  # the shipped catalogue's vectors, reused


def test_a_query_vector_is_remembered(world, client):
    embedder = embedding.get_embedder()
    text = "куда идти с детьми от мужа, который бьёт"
    client.get("/api/v1/search/", {"q": text, "lang": "ru"})
    assert embedder.is_cached(text)


def test_a_query_vector_is_shared_with_the_other_workers(world, client):
    text = "isa ei jaksa enam ise poes käia"
    first = client.get("/api/v1/search/", {"q": text, "lang": "et"})
    embedding.reset()  # another worker: its own model and memory, the same shared cache
    again = client.get("/api/v1/search/", {"q": text, "lang": "et"})
    assert embedding.get_embedder().embedded_queries == 0  # the model did not read it again
    assert codes(again) == codes(first)


def test_a_need_embedded_by_another_worker_process_comes_from_redis(world, client, settings):
    """Production shares query vectors through Redis: a gunicorn worker that has never seen a
    need reads the vector another worker process stored, and its model reads nothing."""
    prefix = unique_prefix("query-vector")
    settings.CACHES = redis_caches(prefix)
    text = "mu ema ei jaksa enam ise süüa teha ega koristada"
    other_worker = subprocess.run(
        [sys.executable, "-c", EMBED_IN_ANOTHER_PROCESS, text],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
            "REDIS_URL": REDIS_URL,
            "CACHE_KEY_PREFIX": prefix,
            "SEARCH_EMBEDDER": "e5-small",
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert other_worker.stdout.split() == ["1"], other_worker.stderr  # its model read the need once
    try:
        assert caches["default"].keys("search:query-vector:*"), "the vector lives in Redis"
        embedding.reset()  # this worker: a model and a memory of its own, nothing remembered
        response = client.get("/api/v1/search/", {"q": text, "lang": "et"})
        assert response.status_code == 200
        embedder = embedding.get_embedder()
        assert embedder.is_cached(text), "the dense side used the need's vector"
        assert embedder.embedded_queries == 0, "and it came from Redis, not from this model"
        assert {"home-care", "daily-living-support"} & set(codes(response)[:5])
    finally:
        caches["default"].delete_pattern("*")


EMBED_IN_ANOTHER_PROCESS = """
import sys
import django
django.setup()
from directory.models import Service
from search import embedding
embedder = embedding.get_embedder()
embedder.query(sys.argv[1])
print(embedder.embedded_queries)
"""


def test_without_a_shared_cache_each_worker_embeds_the_query_itself(world, client, settings):
    settings.SEARCH_QUERY_VECTOR_CACHE = ""
    text = "vend ei saa üksi arvetega hakkama"
    client.get("/api/v1/search/", {"q": text, "lang": "et"})
    embedding.reset()
    client.get("/api/v1/search/", {"q": text, "lang": "et"})
    assert embedding.get_embedder().embedded_queries == 1


def test_a_word_or_two_that_the_words_answer_surely_is_not_read_by_the_model(world, client, settings):
    settings.SEARCH_QUERY_VECTOR_CACHE = ""
    embedder = embedding.get_embedder()
    embedder.forget_queries()
    before = embedder.embedded_queries
    response = client.get("/api/v1/search/", {"q": "tugiisikut vajan", "lang": "et"})
    assert codes(response)[0] == "support-person"
    assert embedder.embedded_queries == before
    client.get("/api/v1/search/", {"q": "sotsiaaltädi", "lang": "et"})  # a colloquial word: unsure
    assert embedder.embedded_queries == before + 1


def test_words_that_mean_nothing_find_nothing_even_with_the_dense_side(world, client):
    response = client.get("/api/v1/search/", {"q": "qwxz plorkt", "lang": "et"})
    assert response.json()["results"] == []


def test_without_its_model_search_answers_lexically_and_readyz_says_degraded(world, client, settings, caplog):
    settings.SEARCH_EMBEDDER = "no-such-model"
    try:
        with caplog.at_level(logging.ERROR, logger="search.embedding"):
            response = client.get("/api/v1/search/", {"q": "koduteenus", "lang": "et"})
        assert response.status_code == 200
        assert codes(response)[0] == "home-care"
        assert "lexical only" in caplog.text
        ready = client.get("/readyz")
        assert ready.status_code == 200
        assert ready.json()["status"] == "degraded"
        assert ready.json()["checks"]["search"]["status"] == "degraded: lexical only"
        page = client.get("/et/search/", {"q": "ema ei suuda end pesta"})
        assert page.status_code == 200
    finally:
        embedding.reset()
