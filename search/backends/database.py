"""The database backend — what most installs run — on PostgreSQL or SQLite alike.

One engine, in memory: the reference documents (catalogue, journeys, municipalities, roles,
pages: a few hundred) are read from the table, parsed and held with an inverted index (term →
documents) and the vocabulary that typos, compounds and transliterations are matched against
(search/query.py), reloaded when the index changes. Stemming, folding, compounds, typos,
transliteration and synonyms happen in Python, so both databases rank identically and no
database-specific full-text machinery exists. A municipality's offers and contacts are read
through their scope on first use and kept, parsed, per content version; offers without a
matching text of their own are found through their component or service: the best-matching
catalogue entries bring the municipality's offers (from those kept), first in the list, and
every place's (read through item_key + municipality) last. The dense side
(search/embedding.py) adds to the catalogue entries' scores."""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from rapidfuzz import fuzz, process

from directory import content_version

from ..analysis import fold
from ..documents import SOURCES, IndexDocument, documents_for
from ..embedding import EMBEDDED_KINDS, get_embedder
from ..models import SearchDocument, Synonym
from ..query import ParsedDocument, QueryPlan, Vocabulary, plan_query, score, synonym_groups
from ..terms import Analyser, analyse_document, document_words
from .base import SearchBackend, SearchFilters, SearchHit, SearchResults

# A result must reach this score, and this share of the best score, to be listed.
MIN_SCORE = 0.1
RELATIVE_MIN = 0.15
# A municipality's own offer of a matching entry ranks above the entry itself.
LOCAL_BONUS = 0.35
LINKED_ITEMS = 5
# The dense side (search/embedding.py) adds to a catalogue entry up to DENSE_WEIGHT × the best
# lexical score (1 when nothing matched by its words), fading from the entry whose passage is
# nearest the query to nothing DENSE_MARGIN of cosine below it — a calibrated blend; reciprocal
# rank fusion measured worse on every query set (bench/README.md).
DENSE_WEIGHT = 0.5
DENSE_MARGIN = 0.05
DENSE_SENTENCE_WORDS = 3  # words of two or more letters that make a query a described need
# A word or two whose best catalogue entry scores this much by its words alone is answered
# without the model: on every query set the model then changed nothing (bench/README.md;
# from 0.8 up no result moved, at 0.5 one did), and it spares most named searches its cost.
DENSE_SKIP_SCORE = 1.0
_WORD = re.compile(r"[^\W\d_]{2,}")
LOCAL_CACHE_SIZE = 80  # municipalities whose parsed offers are kept in memory
COUNT_CACHE_SECONDS = 60
# How alike a name must be to count as "closest" (nonsense gets no entries rather than any
# three): rapidfuzz's partial ratio out of 100.
CLOSEST_MIN_RATIO = 65
REFERENCE_SOURCES = ("component", "service", "journey", "municipality", "role", "page")
LOCAL_SOURCES = ("contact", "offer")

FIELDS = [
    "id", "key", "kind", "code", "item_key", "municipality", "county", "target_groups", "domains",
    "valid_from", "valid_to", "title_et", "title_ru", "title_en", "text_et", "text_ru", "text_en",
    "url_et", "url_ru", "url_en", "title_terms", "primary_terms", "keyword_terms", "body_terms",
    "phrases", "words_et", "words_other", "boost", "data",
]  # fmt: skip


# What a linked offer needs for display: not its terms, which are its entry's.
DISPLAY_FIELDS = [
    f for f in FIELDS if not f.endswith("_terms") and f not in ("phrases", "words_et", "words_other")
]


TERM_FIELDS = ["title_terms", "primary_terms", "keyword_terms", "body_terms", "phrases"]
# Enough to filter, rank and facet a document; display fields are read for the shown results.
SCORE_FIELDS = [
    "id", "key", "kind", "code", "item_key", "municipality", "county", "target_groups", "domains",
    "valid_from", "valid_to", "boost", "title_et",
]  # fmt: skip


@dataclass
class _State:
    version: tuple
    vocab: Vocabulary
    parsed: dict[int, ParsedDocument]
    synonyms: list
    county_of: dict[str, str]
    place_terms: dict[str, set[str]]
    postings: dict[str, list[int]]
    dense: _Dense | None = None

    @cached_property
    def all_place_terms(self) -> set[str]:
        return set().union(*self.place_terms.values())

    @cached_property
    def rows_by_key(self) -> dict[str, dict]:
        return {p.row["key"]: p.row for p in self.parsed.values()}


@dataclass
class _Dense:
    """The catalogue entries' passage vectors, one row each, and whose they are."""

    owners: list[str]
    matrix: object  # numpy float32, len(owners) × dim

    def bonuses(self, query_vector) -> dict[str, float]:
        """Entry key → 0..1: 1 for the entry nearest the query, 0 at DENSE_MARGIN below it."""
        best: dict[str, float] = {}
        for key, similarity in zip(self.owners, (self.matrix @ query_vector).tolist(), strict=True):
            if similarity > best.get(key, -1.0):
                best[key] = similarity
        top = max(best.values(), default=0.0)
        return {k: (v - top + DENSE_MARGIN) / DENSE_MARGIN for k, v in best.items() if v > top - DENSE_MARGIN}


@dataclass
class _Local:
    """A municipality's offers and contacts, parsed, and which of them hold each term."""

    documents: list[ParsedDocument]
    postings: dict[str, list[int]]  # term → positions in documents

    def holding(self, terms: set[str]) -> list[ParsedDocument]:
        """The documents that hold any of the terms, in their order."""
        found = {i for term in terms for i in self.postings.get(term, ())}
        return [self.documents[i] for i in sorted(found)]

    @cached_property
    def offers_by_item(self) -> dict[str, list[int]]:
        """Catalogue entry (item_key) → positions of its offers in documents."""
        by_item: dict[str, list[int]] = defaultdict(list)
        for i, doc in enumerate(self.documents):
            if doc.row["kind"] == "offer":
                by_item[doc.row["item_key"]].append(i)
        return by_item

    def offers_of(self, items: Iterable[str]) -> list[dict]:
        """The rows of the entries' offers, in the documents' order."""
        found = sorted(i for item in items for i in self.offers_by_item.get(item, ()))
        return [self.documents[i].row for i in found]


def _postings(parsed: dict[int, ParsedDocument]) -> dict[str, list[int]]:
    """An inverted index (of the reference documents, of a place's own): term → the ids of the
    documents holding it."""
    postings: dict[str, list[int]] = {}
    for pk, doc in parsed.items():
        for term in doc.fields:
            postings.setdefault(term, []).append(pk)
    return postings


def _names_an_entry(plan: QueryPlan, scored: dict) -> bool:
    """Whether the whole query (or its correction) is a found entry's title or keyword."""
    keys = {
        f"{prefix} {phrase}" for phrase in (plan.phrase, plan.corrected_phrase) if phrase for prefix in "tk"
    }
    return any(
        row["kind"] in EMBEDDED_KINDS and keys & set(row["phrases"].split("\n"))
        for _v, _m, row in scored.values()
    )


def _codes(values: list[str]) -> str:
    return f" {' '.join(values)} " if values else ""


def today() -> dt.date:
    return timezone.localdate()


class DatabaseBackend(SearchBackend):
    name = "database"

    def __init__(self):
        self._state: _State | None = None
        self._lock = threading.Lock()
        self._local_cache: OrderedDict[str, tuple[tuple, _Local]] = OrderedDict()
        self._count_cache: dict[tuple, tuple[float, dict[str, Counter]]] = {}

    def ping(self) -> bool:
        SearchDocument.objects.exists()  # raises when the table or the database is unreachable
        return True

    # -- indexing ---------------------------------------------------------------------------

    def _row(
        self, doc: IndexDocument, known_et: set[str] | Analyser, vectors: bytes | None
    ) -> SearchDocument:
        fields = analyse_document(doc, known_et)
        return SearchDocument(
            key=doc.key,
            kind=doc.kind,
            code=doc.code,
            item_key=doc.item_key,
            municipality=doc.municipality,
            scope=SearchDocument.scope_token(
                doc.municipality if doc.kind in SearchDocument.LOCAL_KINDS else ""
            ),
            county=doc.county,
            target_groups=_codes(doc.target_groups),
            domains=_codes(doc.domains),
            valid_from=doc.valid_from,
            valid_to=doc.valid_to,
            **{f"title_{lang}": (doc.titles.get(lang) or "")[:300] for lang in ("et", "ru", "en")},
            **{f"text_{lang}": doc.texts.get(lang) or "" for lang in ("et", "ru", "en")},
            **{f"url_{lang}": doc.urls.get(lang) or "" for lang in ("et", "ru", "en")},
            title_terms=fields.title_terms,
            primary_terms=fields.primary_terms,
            keyword_terms=fields.keyword_terms,
            body_terms=fields.body_terms,
            phrases=fields.phrases,
            words_et=fields.words_et,
            words_other=fields.words_other,
            boost=doc.boost,
            vectors=vectors,
            data=doc.data,
        )

    def _write(
        self, docs: list[IndexDocument], known_et: set[str] | Analyser, known_vectors: dict | None = None
    ) -> int:
        analyser = known_et if isinstance(known_et, Analyser) else Analyser(known_et)
        embedder = get_embedder()
        if embedder is not None and any(doc.kind in EMBEDDED_KINDS for doc in docs):
            if known_vectors is None:  # vectors of unchanged texts are reused
                keys = [doc.key for doc in docs if doc.kind in EMBEDDED_KINDS]
                known_vectors = embedder.known_vectors(
                    SearchDocument.objects.filter(key__in=keys).values_list("vectors", flat=True)
                )
            vectors = embedder.document_vectors(docs, known_vectors)
        else:
            vectors = {}
        rows = [self._row(doc, analyser, vectors.get(doc.key)) for doc in docs]
        keys = [row.key for row in rows]
        with transaction.atomic():
            for start in range(0, len(keys), 500):
                SearchDocument.objects.filter(key__in=keys[start : start + 500]).delete()
            SearchDocument.objects.bulk_create(rows, batch_size=500)
        return len(rows)

    def index(self, documents: Iterable[IndexDocument]) -> int:
        docs = list(documents)
        if not docs:
            return 0
        known = set(self._current_state().vocab.known_et)
        for doc in docs:
            known |= {fold(w) for w in document_words(doc)[0]}
        written = self._write(docs, known)
        self.forget()
        return written

    def delete(self, keys: Iterable[str]) -> int:
        keys = list(keys)
        deleted = 0
        for start in range(0, len(keys), 500):
            deleted += SearchDocument.objects.filter(key__in=keys[start : start + 500]).delete()[0]
        self.forget()
        return deleted

    def forget(self) -> None:
        """After a write in this process (or a rolled-back one, in tests): read the index afresh
        here at once; other processes do once the content version moves on (after this commit)."""
        self._state = None
        self._local_cache.clear()
        self._count_cache.clear()

    def rebuild(self, stdout=None) -> dict[str, int]:
        """Everything afresh in one transaction: readers see the old index until it commits."""
        counts: dict[str, int] = {}
        embedder = get_embedder()
        with transaction.atomic():
            known_vectors = (
                embedder.known_vectors(
                    SearchDocument.objects.filter(kind__in=EMBEDDED_KINDS).values_list("vectors", flat=True)
                )
                if embedder
                else {}
            )
            SearchDocument.objects.all().delete()
            reference = {source: list(documents_for(source)) for source in REFERENCE_SOURCES}
            known: set[str] = set()
            for docs in reference.values():
                for doc in docs:
                    known |= {fold(w) for w in document_words(doc)[0]}
            analyser = Analyser(known)
            for source, docs in reference.items():
                counts[source] = self._write(docs, analyser, known_vectors)
            for source in LOCAL_SOURCES:
                counts[source] = 0
                batch: list[IndexDocument] = []
                for doc in documents_for(source):
                    batch.append(doc)
                    if len(batch) >= 1000:
                        counts[source] += self._write(batch, analyser)
                        batch = []
                counts[source] += self._write(batch, analyser)
        assert set(counts) == set(SOURCES)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_searchdocument")  # fresh statistics for the planner
        self.forget()
        content_version.bump()  # a rebuild sends no model signals: every process reads it afresh
        return counts

    # -- the in-memory view of the reference documents -------------------------------------

    @staticmethod
    def _version() -> tuple:
        """Whether what is held in memory is still current: the one content version (the index
        is written before it moves on; see search.indexing) and the embedder."""
        return (content_version.current().key, settings.SEARCH_EMBEDDER)

    def _current_state(self) -> _State:
        version = self._version()
        state = self._state
        if state is not None and state.version == version:
            return state
        with self._lock:
            if self._state is not None and self._state.version == version:
                return self._state
            rows = list(SearchDocument.objects.filter(scope="scoperef").values(*FIELDS))
            parsed = {row["id"]: ParsedDocument(row) for row in rows}
            synonyms = synonym_groups((s.language, s.term_list) for s in Synonym.objects.all())
            self._state = _State(
                version=version,
                vocab=Vocabulary(rows),
                parsed=parsed,
                synonyms=synonyms,
                county_of={r["municipality"]: r["county"] for r in rows if r["kind"] == "municipality"},
                place_terms={
                    r["code"]: set(r["title_terms"].split()) for r in rows if r["kind"] == "municipality"
                },
                postings=_postings(parsed),
                dense=self._load_dense(),
            )
            return self._state

    @staticmethod
    def _load_dense() -> _Dense | None:
        """The stored passage vectors of the catalogue entries, when the model is loaded."""
        embedder = get_embedder()
        if embedder is None:
            return None
        owners, blocks = [], []
        stored = SearchDocument.objects.filter(
            scope="scoperef", kind__in=EMBEDDED_KINDS, vectors__isnull=False
        )
        for key, blob in stored.values_list("key", "vectors"):
            _texts, vectors = embedder.unpack(blob)
            owners += [key] * len(vectors)
            blocks.append(vectors)
        if not owners:
            return None
        return _Dense(owners=owners, matrix=np.vstack(blocks))

    # -- querying ---------------------------------------------------------------------------

    @staticmethod
    def _match(terms: set[str], state: _State) -> set[int]:
        """Ids of the reference documents that hold any of the terms (the inverted index)."""
        postings = state.postings
        return {pk for term in terms for pk in postings.get(term, ())}

    @staticmethod
    def _add_dense(text: str, plan: QueryPlan, state: _State, scored: dict, passes: Callable) -> None:
        """Blend the dense side into the lexical scores of the catalogue entries: for a
        sentence ("сын кричит и бросается на нас" shares no word with the index) or a query
        with a word the index knows that is not a place's name. A word or two of nonsense
        finds nothing rather than the nearest entry (the model's cosines do not tell nonsense
        apart), and "narva" finds Narva, not the entries nearest to it."""
        embedder = get_embedder()
        if embedder is None or state.dense is None:
            return
        places = state.all_place_terms
        sentence = len(_WORD.findall(text)) >= DENSE_SENTENCE_WORDS
        if not sentence and not any(c.known and not c.terms() <= places for c in plan.concepts):
            return  # a word or two of nonsense, or only a place's name: no need to read
        if _names_an_entry(plan, scored):
            return  # the words are an entry's name or keyword: nothing for the model to add
        surest = max((v[0] for v in scored.values() if v[2]["kind"] in EMBEDDED_KINDS), default=0.0)
        if not sentence and surest >= DENSE_SKIP_SCORE:
            return  # a word or two that the words alone answer with confidence
        rows = state.rows_by_key
        top = max((v[0] for v in scored.values()), default=0.0) or 1.0
        for key, bonus in state.dense.bonuses(embedder.query(text)).items():
            value, matched, row = scored.get(key) or (0.0, set(), rows.get(key))
            if row is not None and passes(row):
                scored[key] = (value + DENSE_WEIGHT * top * bonus, matched, row)

    def _local_documents(self, municipality: str, state: _State) -> _Local:
        """A municipality's offers and contacts, parsed and indexed by term; kept while the
        content version holds."""
        version = state.version
        cached = self._local_cache.get(municipality)
        if cached and cached[0] == version:
            self._local_cache.move_to_end(municipality)
            return cached[1]
        parsed = [
            ParsedDocument(row)
            for row in self._local_rows(municipality, state.place_terms.get(municipality, set()))
        ]
        local = _Local(parsed, _postings(dict(enumerate(parsed))))
        self._local_cache[municipality] = (version, local)
        while len(self._local_cache) > LOCAL_CACHE_SIZE:
            self._local_cache.popitem(last=False)
        return local

    def _offer_counts(self, filters: SearchFilters, on: dt.date, items: Iterable[str]) -> Counter:
        """Offers per (entry, municipality) for the entries — the "where is it offered" facet,
        and where each entry's offers fall in the list. Every entry's counts are read in one
        GROUP BY per filter set, content version and day, and kept for a minute at most (the
        index follows a change just after the version moves), so a query never seen before
        only adds up its entries' rows."""
        key = (content_version.current().key, on, filters.county, filters.target_group, filters.domain)
        now = time.monotonic()
        cached = self._count_cache.get(key)
        if not cached or now - cached[0] >= COUNT_CACHE_SECONDS:
            by_item: dict[str, Counter] = defaultdict(Counter)
            offers = SearchDocument.objects.filter(self._offers(filters, on), item_key__gt="")
            for row in offers.values("item_key", "municipality").annotate(n=Count("id")):
                by_item[row["item_key"]][row["municipality"]] = row["n"]
            if len(self._count_cache) > 100:
                self._count_cache.clear()
            cached = self._count_cache[key] = (now, by_item)
        by_item = cached[1]
        return Counter({(item, muni): n for item in items for muni, n in by_item.get(item, {}).items()})

    @staticmethod
    def _local_rows(municipality: str, place_terms: set[str]) -> list[dict]:
        """A municipality's own offers and contacts with only their own words — provider,
        person and notes; the catalogue words they share reach them through their entry, and
        the place's own name says nothing about them (see query())."""
        # In the order they were indexed, so ties rank alike on every database and process.
        scope = SearchDocument.objects.filter(scope=SearchDocument.scope_token(municipality)).order_by("pk")
        # Offers are many: read only what scores them; their display fields come later.
        rows = list(scope.filter(kind="offer").values(*SCORE_FIELDS, "primary_terms", "body_terms"))
        for row in rows:
            row["title_terms"] = row["keyword_terms"] = row["phrases"] = ""
        rows += list(scope.exclude(kind="offer").values(*DISPLAY_FIELDS, *TERM_FIELDS))
        for row in rows:
            row["primary_terms"] = " ".join(t for t in row["primary_terms"].split() if t not in place_terms)
        return rows

    @staticmethod
    def _passes(row: dict, filters: SearchFilters, county_of: dict[str, str], on: dt.date) -> bool:
        place = row["municipality"]
        if filters.municipality and place and place != filters.municipality:
            return False
        if filters.county and place and (row["county"] or county_of.get(place)) != filters.county:
            return False
        if (
            filters.target_group
            and row["target_groups"]
            and f" {filters.target_group} " not in row["target_groups"]
        ):
            return False
        if filters.domain and f" {filters.domain} " not in (row["domains"] or ""):
            return False
        if row["valid_from"] and row["valid_from"] > on:
            return False
        return not (row["valid_to"] and row["valid_to"] < on)

    def _offers(self, filters: SearchFilters, on: dt.date) -> Q:
        # No kind="offer" here: only offers have an item_key, and a kind condition would tempt
        # the planner to walk every offer instead of the item_key index.
        q = Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        if filters.county:
            q &= Q(county=filters.county)
        if filters.target_group:
            q &= Q(target_groups="") | Q(target_groups__contains=f" {filters.target_group} ")
        if filters.domain:
            q &= Q(domains__contains=f" {filters.domain} ")
        return q

    def query(
        self, text: str, language: str, filters: SearchFilters | None = None, limit: int = 10, offset: int = 0
    ) -> SearchResults:
        filters = filters or SearchFilters()
        state = self._current_state()
        plan = plan_query(text, language, state.vocab, state.synonyms)
        results = SearchResults(query=text, language=language, hits=[], suggestion=plan.suggestion)
        terms = plan.terms()
        if not terms:
            return results
        on = today()
        local = filters.municipality
        hint = plan.municipality_hint
        if not local and hint and (not filters.county or state.county_of.get(hint) == filters.county):
            local = hint
            results.municipality_hint = hint
        scored: dict[str, tuple[float, set[str], dict]] = {}
        for pk in self._match(terms, state):
            parsed = state.parsed[pk]
            value, matched = score(parsed, plan)
            if value > 0:
                scored[parsed.row["key"]] = (value, matched, parsed.row)
        if local:
            # Offers and contacts found by their own words (a provider's or a person's name);
            # the offers of a matching entry follow below.
            for parsed in self._local_documents(local, state).holding(terms):
                value, matched = score(parsed, plan)
                if value > 0:
                    scored[parsed.row["key"]] = (value, matched, parsed.row)
        scored = {k: v for k, v in scored.items() if self._passes(v[2], filters, state.county_of, on)}
        # What the words found sets the bar; the dense side adds to it, it does not raise it.
        lexical_top = max((v[0] for v in scored.values()), default=0.0)
        self._add_dense(
            text, plan, state, scored, lambda row: self._passes(row, filters, state.county_of, on)
        )

        # Offers through their catalogue entry.
        ranked = sorted(scored.values(), key=lambda v: -v[0])
        floor = max(MIN_SCORE, RELATIVE_MIN * (lexical_top or ranked[0][0])) if ranked else MIN_SCORE
        # In a chosen municipality every listed entry brings its local offer (an entry listed
        # without its offer there would hide it); every place's offers only of the best few.
        items = [v for v in ranked if v[2]["kind"] in ("component", "service") and v[0] >= floor]
        if not local:
            items = items[:LINKED_ITEMS]
        item_score = {f"{v[2]['kind']}:{v[2]['key'].split(':', 1)[1]}": v for v in items}
        offer_q = self._offers(filters, on) & Q(item_key__in=list(item_score))
        wants_offers = bool(items) and filters.kind in ("", "offer")
        if wants_offers and local:
            # A municipality's offers of the best entries: above the entries themselves. Its
            # offers are parsed in memory already (above); the filters are applied to them here.
            for row in self._local_documents(local, state).offers_of(item_score):
                if not self._passes(row, filters, state.county_of, on):
                    continue
                item_value, matched, _ = item_score[row["item_key"]]
                value = item_value + LOCAL_BONUS
                if value > scored.get(row["key"], (0,))[0]:
                    scored[row["key"]] = (value, matched, row)

        # Facets: kinds before the kind filter, the rest after it. Every count is of what the
        # list holds, so the heading, the facets and the pages agree.
        listed = [v for v in scored.values() if v[0] >= floor]
        municipality_counts, item_counts = Counter(), Counter()
        if items:
            for (item, muni), n in self._offer_counts(filters, on, item_score).items():
                municipality_counts[muni] += n
                item_counts[item] += n
        kinds = Counter(v[2]["kind"] for v in listed)
        # Without a municipality, every place's offers of the best entries follow all else.
        tail = 0 if local or not wants_offers else sum(municipality_counts.values())
        if tail:
            kinds["offer"] += tail
        if filters.kind:
            listed = [v for v in listed if v[2]["kind"] == filters.kind]
        listed.sort(key=lambda v: (-v[0], v[2]["kind"] != "service", v[2]["title_et"]))
        county_counts = Counter()
        for muni, n in municipality_counts.items():
            county_counts[state.county_of.get(muni, "")] += n
        domains, groups = Counter(), Counter()
        for _value, _matched, row in listed:
            domains.update(row["domains"].split())
            groups.update(row["target_groups"].split())
        results.facets = {
            "kind": kinds.most_common(),
            "municipality": municipality_counts.most_common(),
            "county": [(c, n) for c, n in county_counts.most_common() if c],
            "target_group": groups.most_common(),
            "domain": domains.most_common(),
        }
        results.total = len(listed) + tail
        shown = listed[offset : offset + limit]
        if tail and len(shown) < limit:
            start = max(0, offset - len(listed))
            shown += self._offer_tail(offer_q, item_score, item_counts, start, limit - len(shown))
        partial = [row["key"] for _v, _m, row in shown if "url_et" not in row]
        if partial:
            full = {
                r["key"]: r for r in SearchDocument.objects.filter(key__in=partial).values(*DISPLAY_FIELDS)
            }
            shown = [(v, m, full.get(row["key"], row)) for v, m, row in shown]
        results.hits = [self._hit(value, matched, row, language, on) for value, matched, row in shown]
        return results

    @staticmethod
    def _offer_tail(
        offer_q: Q, item_score: dict, item_counts: Counter, start: int, count: int
    ) -> list[tuple]:
        """Offers in every municipality of the best entries, by entry and then place: the
        part of them that falls on the page asked for. Entries wholly before the page are
        skipped by their counts; each entry on it is read in order through the index on
        (item_key, municipality)."""
        shown: list[tuple] = []
        for key, (value, matched, _row) in item_score.items():
            offered = item_counts.get(key, 0)
            if start >= offered:
                start -= offered
                continue
            rows = (
                SearchDocument.objects.filter(offer_q, item_key=key)
                .order_by("municipality", "id")
                .values(*DISPLAY_FIELDS)[start : start + count - len(shown)]
            )
            shown += [(value / 2, matched, r) for r in rows]
            start = 0
            if len(shown) >= count:
                break
        return shown

    @staticmethod
    def _hit(value: float, matched: set[str], row: dict, language: str, on: dt.date) -> SearchHit:
        data = dict(row["data"] or {})
        if row["kind"] == "offer":
            data["price"] = current_price(data.get("prices", []), on)
        return SearchHit(
            key=row["key"],
            kind=row["kind"],
            code=row["code"],
            title=row[f"title_{language}"] or row["title_et"],
            url=row[f"url_{language}"] or row["url_et"],
            snippet=row[f"text_{language}"] or row["text_et"],
            score=round(value, 4),
            municipality=row["municipality"] if row["kind"] != "municipality" else row["code"],
            data=data,
            matched_terms=matched,
            domains=row["domains"].split(),
            target_groups=row["target_groups"].split(),
        )

    def closest(self, text: str, language: str, limit: int = 3) -> list[SearchHit]:
        """Components and services whose names look most like the text (for a search that found
        nothing): rapidfuzz's partial ratio over their folded names and keyword phrases."""
        state = self._current_state()
        rows = [p.row for p in state.parsed.values() if p.row["kind"] in ("component", "service")]
        if not rows or not text.strip():
            return []
        choices = {
            i: fold(" ".join(filter(None, (r["title_et"], r["title_ru"], r["title_en"], r["phrases"]))))
            for i, r in enumerate(rows)
        }
        found = process.extract(
            fold(text), choices, scorer=fuzz.partial_ratio, limit=limit, score_cutoff=CLOSEST_MIN_RATIO
        )
        return [self._hit(value / 100, set(), rows[i], language, today()) for _c, value, i in found]


def current_price(prices: list[dict], on: dt.date) -> dict | None:
    """The published price in force on a date, from an offer document's price history."""
    day = on.isoformat()
    for price in prices:
        if price["valid_from"] <= day and (price["valid_to"] is None or price["valid_to"] >= day):
            return price
    return None


__all__ = ["DatabaseBackend", "QueryPlan"]
