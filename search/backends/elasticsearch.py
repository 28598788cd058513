"""The Elasticsearch backend: the same documents, analysed by Elasticsearch itself.

Each language has its own analyser — standard tokenizer, lower case, ё→е, the language's
Snowball stemmer (Elasticsearch ships Estonian, Russian and English) — and asciifolding, so
"paevahoid" meets "päevahoid". At search time the same synonym groups as the database backend
(search.Synonym) expand the query (synonym_graph), and fuzziness "AUTO" forgives typos. The
terms of our own analysis (compound parts, transliterations; search/terms.py) are indexed too,
so both backends understand "тугиисик" and "tugiisik teenus" alike.

`rebuild()` builds a new index and then swaps the alias in one request: searches never see a
half-built index. Synonym edits take effect at the next rebuild."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from elasticsearch.dsl import Date, DenseVector, Document, Float, Index, Keyword, Object, Q, Search, Text

from ..analysis import fold
from ..documents import LANGS, PRIMARY_KEYWORDS, IndexDocument, all_documents
from ..embedding import EMBEDDED_KINDS, Embedder, get_embedder, passage_text
from ..models import Synonym
from ..query import plan_query
from ..terms import analyse_document, document_words
from .base import SearchBackend, SearchFilters, SearchHit, SearchResults
from .database import current_price

STEMMERS = {"et": "estonian", "ru": "russian", "en": "english"}
logger = logging.getLogger(__name__)
LOCAL_KINDS = ["offer", "contact"]
# The dense side: a catalogue entry's passage vector per language (search/embedding.py), found
# by kNN beside the lexical query; Elasticsearch adds the two scores (a linear blend).
VECTOR_DIMS = 384
DENSE_BOOST = 2.0
DENSE_K = 10
DENSE_MIN_SIMILARITY = 0.80  # below this cosine a passage is not near enough to count


class SearchEntry(Document):
    """One searchable thing in Elasticsearch (see IndexDocument)."""

    key = Keyword()
    kind = Keyword()
    code = Keyword()
    item_key = Keyword()
    municipality = Keyword()
    county = Keyword()
    target_groups = Keyword(multi=True)
    domains = Keyword(multi=True)
    valid_from = Date()
    valid_to = Date()
    boost = Float()
    # Our own analysis (folded stems, compound parts), split on spaces only.
    title_terms = Text(analyzer="whitespace")
    keyword_terms = Text(analyzer="whitespace")
    body_terms = Text(analyzer="whitespace")
    # The documents' words as written (lower case, ё→е), unstemmed: what "did you mean" offers.
    words = Text(analyzer="abi_words")
    data = Object(enabled=False)

    class Index:
        name = "abiportaal-search"  # replaced by alias_name() at run time


for _lang in LANGS:
    for _field in ("title", "primary", "keywords", "body"):
        SearchEntry._doc_type.mapping.field(
            f"{_field}_{_lang}",
            Text(analyzer=f"abi_{_lang}", search_analyzer=f"abi_{_lang}_search"),
        )
    for _field in ("text", "url"):
        SearchEntry._doc_type.mapping.field(f"{_field}_{_lang}", Keyword(index=False))
    SearchEntry._doc_type.mapping.field(
        f"vector_{_lang}", DenseVector(dims=VECTOR_DIMS, index=True, similarity="cosine")
    )


def synonym_rules() -> dict[str, list[str]]:
    """The synonym groups as Elasticsearch rules ("a, b, c"), per language."""
    rules: dict[str, list[str]] = {lang: [] for lang in LANGS}
    for group in Synonym.objects.all():
        terms = [t.lower().replace(",", " ") for t in group.term_list]
        if len(terms) > 1:
            rules[group.language].append(", ".join(terms))
    return rules


def analysis_settings(rules: dict[str, list[str]] | None = None) -> dict:
    rules = synonym_rules() if rules is None else rules
    filters, analyzers = {}, {}
    for lang in LANGS:
        filters[f"abi_{lang}_stemmer"] = {"type": "stemmer", "language": STEMMERS[lang]}
        filters[f"abi_{lang}_synonyms"] = {
            "type": "synonym_graph",
            "synonyms": rules.get(lang, []),
            "lenient": True,
        }
        base = {"type": "custom", "tokenizer": "standard", "char_filter": ["abi_yo"]}
        analyzers[f"abi_{lang}"] = {
            **base,
            "filter": ["lowercase", "abi_fold", f"abi_{lang}_stemmer"],
        }
        analyzers[f"abi_{lang}_search"] = {
            **base,
            "filter": ["lowercase", f"abi_{lang}_synonyms", "abi_fold", f"abi_{lang}_stemmer"],
        }
    analyzers["abi_words"] = {
        "type": "custom",
        "tokenizer": "standard",
        "char_filter": ["abi_yo"],
        "filter": ["lowercase"],
    }
    filters["abi_fold"] = {"type": "asciifolding", "preserve_original": True}
    return {
        "char_filter": {"abi_yo": {"type": "mapping", "mappings": ["ё => е", "Ё => Е"]}},
        "filter": filters,
        "analyzer": analyzers,
    }


def alias_name() -> str:
    return f"{settings.ELASTICSEARCH_INDEX_PREFIX}-search"


def build_index(name: str, rules: dict[str, list[str]] | None = None) -> Index:
    index = Index(name)
    index.settings(number_of_shards=1, number_of_replicas=0, analysis=analysis_settings(rules))
    index.document(SearchEntry)
    return index


def to_source(doc: IndexDocument, known_et: set[str], embedder: Embedder | None = None) -> dict:
    fields = analyse_document(doc, known_et)
    source = {
        "key": doc.key,
        "kind": doc.kind,
        "code": doc.code,
        "item_key": doc.item_key,
        "municipality": doc.municipality,
        "county": doc.county,
        "target_groups": doc.target_groups,
        "domains": doc.domains,
        "valid_from": doc.valid_from.isoformat() if doc.valid_from else None,
        "valid_to": doc.valid_to.isoformat() if doc.valid_to else None,
        "boost": doc.boost,
        "title_terms": fields.title_terms,
        "keyword_terms": fields.primary_terms + " " + fields.keyword_terms,
        "body_terms": fields.body_terms,
        "words": f"{fields.words_et} {fields.words_other}".strip(),
        "data": doc.data,
    }
    for lang in LANGS:
        keywords = doc.keywords.get(lang, [])
        source[f"title_{lang}"] = doc.titles.get(lang, "")
        source[f"primary_{lang}"] = " · ".join(keywords[:PRIMARY_KEYWORDS] + doc.primary.get(lang, []))
        source[f"keywords_{lang}"] = " · ".join(keywords[PRIMARY_KEYWORDS:])
        source[f"body_{lang}"] = "\n".join(doc.body.get(lang, []))
        source[f"text_{lang}"] = doc.texts.get(lang, "")
        source[f"url_{lang}"] = doc.urls.get(lang, "")
    if embedder is not None and doc.kind in EMBEDDED_KINDS:
        texts = [passage_text(doc, lang) for lang in LANGS]
        for lang, vector in zip(LANGS, embedder.passages(texts), strict=True):
            source[f"vector_{lang}"] = [round(float(x), 6) for x in vector]
    return source


def knn_clauses(query_vector, filters: SearchFilters) -> list[dict]:
    """kNN over each language's passage vectors of the catalogue entries (which apply in every
    place, so only the catalogue filters narrow them)."""
    narrow: list[dict] = [{"terms": {"kind": list(EMBEDDED_KINDS)}}]
    if filters.domain:
        narrow.append({"term": {"domains": filters.domain}})
    if filters.target_group:
        narrow.append(
            {
                "bool": {
                    "should": [
                        {"bool": {"must_not": [{"exists": {"field": "target_groups"}}]}},
                        {"term": {"target_groups": filters.target_group}},
                    ]
                }
            }
        )
    vector = [round(float(x), 6) for x in query_vector]
    return [
        {
            "field": f"vector_{lang}",
            "query_vector": vector,
            "k": DENSE_K,
            "num_candidates": DENSE_K * 5,
            "similarity": DENSE_MIN_SIMILARITY,
            "boost": DENSE_BOOST / len(LANGS),
            "filter": narrow,
        }
        for lang in LANGS
    ]


def weighted_fields(language: str) -> list[str]:
    """The text fields of all three languages; the query's own language weighs a little more."""
    fields = []
    for lang in LANGS:
        own = 1.5 if lang == language else 1.0
        fields += [
            f"title_{lang}^{3 * own:g}",
            f"primary_{lang}^{2.6 * own:g}",
            f"keywords_{lang}^{2 * own:g}",
            f"body_{lang}^{0.8 * own:g}",
        ]
    return fields


SUGGESTER = "did_you_mean"
NARROWED = "narrowed"  # the facets counted after the kind filter
FACET_FIELDS = {
    "municipality": "municipality",
    "county": "county",
    "target_group": "target_groups",
    "domain": "domains",
}


def build_search(
    text: str,
    language: str,
    filters: SearchFilters,
    limit: int,
    extra_terms: Iterable[str] = (),
    on: dt.date | None = None,
    query_vector=None,
    offset: int = 0,
) -> Search:
    """The request body for a query — built without a cluster, so it can be unit-tested."""
    on = on or timezone.localdate()
    fields = weighted_fields(language)
    should = [
        Q("multi_match", query=text, fields=fields, type="most_fields", fuzziness="AUTO", prefix_length=1),
        Q("multi_match", query=text, fields=[f for f in fields if f.startswith(("title", "primary"))],
          type="phrase", boost=2),
    ]  # fmt: skip
    extra = " ".join(sorted(set(extra_terms)))
    if extra:
        should.append(
            Q("multi_match", query=extra, fields=["title_terms^2", "keyword_terms^1.5", "body_terms^0.5"])
        )
    matched = Q("bool", should=should, minimum_should_match=1)
    local = filters.municipality
    scored = Q(
        "function_score",
        query=matched,
        functions=[{"field_value_factor": {"field": "boost", "missing": 1}}]
        + ([{"filter": {"term": {"municipality": local}}, "weight": 1.5}] if local else []),
        boost_mode="multiply",
    )
    search = Search(index=alias_name()).query(scored)
    place = Q("bool", must_not=[Q("terms", kind=LOCAL_KINDS)])
    if local:
        place = place | Q("term", municipality=local)
    elif filters.kind in LOCAL_KINDS:
        place = Q("match_all")
    search = search.filter(place)
    if local:
        search = search.filter("terms", municipality=["", local])
    if filters.county:
        search = search.filter(Q("term", municipality="") | Q("term", county=filters.county))
    if filters.target_group:
        search = search.filter(
            Q("bool", must_not=[Q("exists", field="target_groups")])
            | Q("term", target_groups=filters.target_group)
        )
    if filters.domain:
        search = search.filter("term", domains=filters.domain)
    search = search.filter(Q("bool", must_not=[Q("range", valid_from={"gt": on.isoformat()})])).filter(
        Q("bool", must_not=[Q("range", valid_to={"lt": on.isoformat()})])
    )
    # Facets as the database backend counts them: kinds before the kind filter, the rest after.
    search.aggs.bucket("kind", "terms", field="kind", size=100)
    narrowed = search.aggs
    if filters.kind:
        search = search.post_filter("term", kind=filters.kind)
        narrowed = search.aggs.bucket(NARROWED, "filter", term={"kind": filters.kind})
    for facet, field in FACET_FIELDS.items():
        narrowed.bucket(facet, "terms", field=field, size=100)
    # "Did you mean": each query word not in the index → the nearest indexed word.
    search = search.suggest(
        SUGGESTER, text, term={"field": "words", "suggest_mode": "missing", "min_word_length": 4}
    )
    if query_vector is not None and filters.kind in ("", *EMBEDDED_KINDS):
        search = search.extra(knn=knn_clauses(query_vector, filters))
    return search.extra(from_=offset, size=limit, track_total_hits=True)


def build_closest(text: str, language: str, limit: int) -> Search:
    """The request body for the catalogue entries nearest to a query that found nothing:
    components and services whose names or first keywords match any word of it, typos
    forgiven more than in a search (no exact first letter needed), or begin like it."""
    names = [f for f in weighted_fields(language) if f.startswith(("title_", "primary_"))]
    return (
        Search(index=alias_name())
        .query(
            Q(
                "bool",
                should=[
                    Q(
                        "multi_match",
                        query=text,
                        fields=names,
                        fuzziness="AUTO",
                        prefix_length=0,
                        max_expansions=50,
                    ),
                    Q("multi_match", query=text, fields=names, type="bool_prefix"),
                ],
                minimum_should_match=1,
            )
        )  # fmt: skip
        .filter("terms", kind=["component", "service"])
        .extra(size=limit)
    )


def suggestion_from(text: str, entries: list[dict]) -> str:
    """The query with each word the term suggester corrected replaced by its best option; ""
    when nothing was corrected. `entries` is the suggester's answer: one per analysed word,
    with its offset and length in the text and the options, best first."""
    out, position, changed = [], 0, False
    for entry in sorted(entries, key=lambda e: e["offset"]):
        options = entry.get("options") or []
        if not options:
            continue
        start = entry["offset"]
        out += [text[position:start], options[0]["text"]]
        position = start + entry["length"]
        changed = True
    return "".join(out) + text[position:] if changed else ""


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(self):
        self._client = None

    def ping(self) -> bool:
        return bool(self.client.ping())

    @property
    def client(self):
        if self._client is None:
            if not settings.ELASTICSEARCH_URL:
                raise ImproperlyConfigured("SEARCH_BACKEND is elasticsearch but ELASTICSEARCH_URL is empty.")
            from elasticsearch import Elasticsearch

            self._client = Elasticsearch(settings.ELASTICSEARCH_URL, request_timeout=10)
        return self._client

    def _known_et(self, docs: list[IndexDocument]) -> set[str]:
        known: set[str] = set()
        for doc in docs:
            known |= {fold(w) for w in document_words(doc)[0]}
        return known

    def _bulk(self, index: str, docs: list[IndexDocument], known: set[str], refresh: bool) -> int:
        from elasticsearch.helpers import bulk

        embedder = get_embedder()
        actions = (
            {"_index": index, "_id": doc.key, "_source": to_source(doc, known, embedder)} for doc in docs
        )
        done, _errors = bulk(self.client, actions, refresh=refresh, chunk_size=500)
        return done

    def index(self, documents: Iterable[IndexDocument]) -> int:
        docs = list(documents)
        if not docs:
            return 0
        if not self.client.indices.exists_alias(name=alias_name()):
            # Writing to a missing alias would create an index without our analysers.
            logger.warning("No search index yet: run `manage.py rebuild_search_index`.")
            return 0
        # Published now, found now: refresh so the next search sees it.
        return self._bulk(alias_name(), docs, self._known_et(docs), refresh=True)

    def delete(self, keys: Iterable[str]) -> int:
        from elasticsearch.helpers import bulk

        actions = [{"_op_type": "delete", "_index": alias_name(), "_id": key} for key in keys]
        if not actions:
            return 0
        done, _errors = bulk(self.client, actions, refresh=True, raise_on_error=False)
        return done

    def rebuild(self, stdout=None) -> dict[str, int]:
        alias = alias_name()
        name = f"{alias}-{timezone.now():%Y%m%d%H%M%S%f}"
        build_index(name).create(using=self.client)
        docs = list(all_documents())
        known = self._known_et([d for d in docs if d.kind not in LOCAL_KINDS])
        counts: dict[str, int] = {}
        for doc in docs:
            counts[doc.key.split(":")[0]] = counts.get(doc.key.split(":")[0], 0) + 1
        self._bulk(name, docs, known, refresh=True)
        old = (
            list(self.client.indices.get_alias(name=alias, ignore_unavailable=True).keys())
            if (self.client.indices.exists_alias(name=alias))
            else []
        )
        actions = [{"remove": {"index": index, "alias": alias}} for index in old]
        actions.append({"add": {"index": name, "alias": alias}})
        self.client.indices.update_aliases(actions=actions)
        for index in old:
            self.client.indices.delete(index=index, ignore_unavailable=True)
        if stdout:
            stdout.write(f"Alias {alias} now points to {name}.")
        return counts

    def query(self, text, language, filters=None, limit=10, offset=0) -> SearchResults:
        filters = filters or SearchFilters()
        plan = plan_query(text, language, None, [])
        embedder = get_embedder()
        vector = embedder.query(text) if embedder is not None and plan.terms() else None
        search = build_search(
            text, language, filters, limit, plan.terms(), query_vector=vector, offset=offset
        )
        search = search.using(self.client)
        return results_from(search.execute(), text, language, plan.terms())

    def closest(self, text: str, language: str, limit: int = 3) -> list[SearchHit]:
        if not text.strip():
            return []
        response = build_closest(text, language, limit).using(self.client).execute()
        on = timezone.localdate()
        return [_hit(hit, language, set(), on) for hit in response.hits]


def results_from(response, text: str, language: str, matched: set[str]) -> SearchResults:
    """A search response as the same SearchResults the database backend returns."""
    on = timezone.localdate()
    aggregations = response.to_dict().get("aggregations", {})
    narrowed = {**aggregations, **aggregations.get(NARROWED, {})}
    return SearchResults(
        query=text,
        language=language,
        hits=[_hit(hit, language, matched, on) for hit in response.hits],
        total=response.hits.total.value,
        facets={
            name: [(b["key"], b["doc_count"]) for b in narrowed.get(name, {}).get("buckets", []) if b["key"]]
            for name in ("kind", *FACET_FIELDS)
        },
        suggestion=suggestion_from(text, response.to_dict().get("suggest", {}).get(SUGGESTER, [])),
    )


def _hit(hit, language: str, matched: set[str], on: dt.date) -> SearchHit:
    """A result of the same shape as the database backend's."""
    source = hit.to_dict()
    data = dict(source.get("data") or {})
    if source["kind"] == "offer":
        data["price"] = current_price(data.get("prices", []), on)
    return SearchHit(
        key=source["key"],
        kind=source["kind"],
        code=source["code"],
        title=source.get(f"title_{language}") or source.get("title_et", ""),
        url=source.get(f"url_{language}") or source.get("url_et", ""),
        snippet=source.get(f"text_{language}") or source.get("text_et", ""),
        score=round(hit.meta.score or 0.0, 4),
        # A municipality is its own place (as the database backend reports it).
        municipality=source["code"] if source["kind"] == "municipality" else source.get("municipality", ""),
        data=data,
        matched_terms=matched,
        domains=source.get("domains") or [],
        target_groups=source.get("target_groups") or [],
    )
