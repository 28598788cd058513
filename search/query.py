"""Understanding a query: which index terms each of its words may mean, and how much.

A query becomes a list of *concepts*, one per content word. Each concept has alternatives —
sets of index terms with a weight — found against the vocabulary of the index:

* the word's own stems, as typed and folded (1.0);
* stems that extend it or that it extends — Estonian inflection the stemmer misses,
  "suhe"/"suhte" (0.6–0.9);
* if the word is not in the vocabulary: the nearest vocabulary words by edit distance (typos,
  0.6–0.8), the word transliterated into the other script ("тугиисик" → tugiisik,
  "sotsialnyi" → социальный) and an Estonian compound split into known words;
* synonyms: when the query contains a phrase of a synonym group, the group's other phrases.

A concept's importance is the inverse document frequency of its best term, so "abi" (help)
counts less than "invatakso". Words that mean nothing to the index are kept (they may name a
provider) but do not lower the score of documents that lack them.
"""

from __future__ import annotations

import bisect
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from directory import places_lookup

from .analysis import (
    content_words,
    fold,
    is_cyrillic,
    phrase_key,
    split_compound,
    terms_of_word,
    transliterate,
)
from .analysis import (
    words as words_of,
)
from .terms import FIELD_WEIGHTS

# Words that name the kind of a municipality, not the municipality.
MUNICIPALITY_GENERIC = {
    fold(w) for w in ("linn", "vald", "город", "волость", "town", "parish", "rural", "municipality")
}

Part = frozenset  # a set of terms, any of which satisfies the part
SYNONYM_WEIGHT = 0.85


@dataclass
class Alternative:
    """What a concept may mean: all parts should be present (a phrase or a compound's parts)."""

    parts: tuple[Part, ...]
    weight: float
    partial: float = 0.0  # share of the value a partial match keeps
    phrase: str = ""  # a synonym phrase's key: a title or keyword that is exactly it counts fully


@dataclass
class Concept:
    word: str
    singles: dict[str, float] = field(default_factory=dict)  # one term → weight
    alternatives: list[Alternative] = field(default_factory=list)  # several terms together
    importance: float = 1.0
    known: bool = False
    correction: str | None = None  # a vocabulary word the user probably meant

    def add(self, terms: Iterable[str], weight: float) -> None:
        for term in terms:
            if weight > self.singles.get(term, 0.0):
                self.singles[term] = weight

    def add_parts(
        self, parts: Iterable[Iterable[str]], weight: float, partial: float = 0.0, phrase: str = ""
    ) -> None:
        parts = tuple(Part(p) for p in parts)
        if len(parts) == 1:
            self.add(parts[0], weight)
        elif parts:
            self.alternatives.append(Alternative(parts, weight, partial, phrase))

    def terms(self) -> set[str]:
        return set(self.singles) | {t for alt in self.alternatives for part in alt.parts for t in part}

    def is_empty(self) -> bool:
        return not self.singles and not self.alternatives


@dataclass
class QueryPlan:
    text: str
    lang: str
    concepts: list[Concept]
    phrase: str  # the query's phrase key, to recognise a whole title or keyword
    municipality_hint: str = ""
    suggestion: str = ""
    corrected_phrase: str = ""  # the phrase key of the suggestion ("hoolekodu" → hooldekodu)

    def terms(self) -> set[str]:
        out: set[str] = set()
        for concept in self.concepts:
            out |= concept.terms()
        return out

    @property
    def known_importance(self) -> float:
        return sum(c.importance for c in self.concepts if c.known)


class Vocabulary:
    """The terms and words of the index's reference documents (everything but offers and
    contact persons, whose words are the catalogue's plus names), with document frequencies."""

    def __init__(self, docs: Iterable[dict]):
        self.df: Counter[str] = Counter()
        self.n_docs = 0
        words_et: set[str] = set()
        words_other: set[str] = set()
        # (the words of a municipality's name, its code, its population)
        self.municipalities: list[tuple[frozenset[str], str, tuple[int, bool]]] = []
        self.all_terms: set[str] = set()
        for doc in docs:
            terms = set()
            for name in ("title_terms", "primary_terms", "keyword_terms", "body_terms"):
                terms.update(doc[name].split())
            self.all_terms |= terms
            if doc["kind"] != "municipality":
                # 79 municipalities, each a name and little else, would flatten every term's
                # weight; frequencies count the documents with content.
                self.n_docs += 1
                self.df.update(terms)
            else:
                # …but the words their names share ("linn", "город", "vald") are common, not
                # rare: counted, a query's "от города" no longer outweighs what it asks for.
                self.df.update(doc["title_terms"].split())
            words_et.update(doc["words_et"].split())
            words_other.update(doc["words_other"].split())
            if doc["kind"] == "municipality":
                data = doc.get("data") or {}
                # Of namesakes (Tartu linn, Tartu vald) the larger is meant; a town if unknown.
                population = (data.get("population") or 0, bool(data.get("town")))
                for lang in ("et", "ru", "en"):
                    name = {phrase_key(w) for w in content_words(doc.get(f"title_{lang}") or "")}
                    name -= MUNICIPALITY_GENERIC
                    if name:
                        self.municipalities.append((frozenset(name), doc["code"], population))
        for term in self.all_terms:
            self.df.setdefault(term, 0)
        self.sorted_terms = sorted(self.df)
        # Folded word → the original spelling (for "did you mean") and its terms in the index.
        self.display: dict[str, str] = {}
        self.word_terms: dict[str, frozenset[str]] = {}
        for word in words_et | words_other:
            folded = fold(word)
            self.display.setdefault(folded, word)
            terms = frozenset(t for t in terms_of_word(word) if t in self.df)
            if terms:
                self.word_terms[folded] = self.word_terms.get(folded, frozenset()) | terms
        self.known_et = {fold(w) for w in words_et}
        self.latin_words = [w for w in self.word_terms if not is_cyrillic(w)]
        self.cyrillic_words = [w for w in self.word_terms if is_cyrillic(w)]

    def idf(self, term: str) -> float:
        df = min(self.df.get(term, 0), self.n_docs)
        return math.log(1 + (self.n_docs - df + 0.5) / (df + 0.5))

    def with_prefix(self, prefix: str, limit: int = 30) -> list[str]:
        start = bisect.bisect_left(self.sorted_terms, prefix)
        out = []
        for term in self.sorted_terms[start:]:
            if not term.startswith(prefix) or len(out) >= limit:
                break
            out.append(term)
        return out

    def similar_words(self, word: str, max_distance: int) -> list[tuple[str, int]]:
        """Vocabulary words within `max_distance` edits of a folded word, nearest first: the
        one typo path, in memory, over the words of the same script."""
        if max_distance <= 0:
            return []
        choices = self.cyrillic_words if is_cyrillic(word) else self.latin_words
        found = process.extract(
            word, choices, scorer=Levenshtein.distance, score_cutoff=max_distance, limit=8
        )
        return [(w, int(d)) for w, d, _ in sorted(found, key=lambda x: (x[1], -len(x[0])))]


@dataclass
class SynonymGroup:
    phrases: list[list[frozenset[str]]]  # each phrase: the terms of each of its words
    texts: list[str]
    keys: list[str]  # each phrase's phrase key


class Synonyms:
    """The synonym groups, and which groups each of their terms is in: read once when the
    dictionary is loaded, so a query looks up its own words instead of walking every group."""

    def __init__(self, groups: list[SynonymGroup]):
        self.groups = groups
        self.by_term: dict[str, list[int]] = {}  # term → numbers of the groups holding it
        for number, group in enumerate(groups):
            for term in {term for phrase in group.phrases for part in phrase for term in part}:
                self.by_term.setdefault(term, []).append(number)

    def knows(self, terms: Iterable[str]) -> bool:
        """Whether any group holds any of the terms."""
        return any(term in self.by_term for term in terms)

    def holding(self, terms: Iterable[str]) -> list[SynonymGroup]:
        """The groups that hold any of the terms, in the dictionary's order."""
        numbers = {number for term in terms for number in self.by_term.get(term, ())}
        return [self.groups[number] for number in sorted(numbers)]


def synonym_groups(rows: Iterable[tuple[str, list[str]]]) -> Synonyms:
    """Analyse (language, phrases) rows. Each word is stemmed by its script, not by the group's
    language: a group may hold translations ("tegevusteraapia", "occupational therapy")."""
    groups = []
    for _lang, phrases in rows:
        analysed, texts, keys = [], [], []
        for phrase in phrases:
            words = content_words(phrase)
            if words:
                analysed.append([terms_of_word(w) for w in words])
                texts.append(phrase)
                keys.append(phrase_key(phrase))
        if len(analysed) > 1:
            groups.append(SynonymGroup(analysed, texts, keys))
    return Synonyms(groups)


def _max_edits(word: str) -> int:
    return 0 if len(word) < 5 else 1 if len(word) < 9 else 2


def _expand(concept: Concept, word: str, vocab: Vocabulary, weight: float = 1.0) -> bool:
    """Add the word's exact and extended stems; True when the word itself is in the index."""
    folded = fold(word)
    stems = set(terms_of_word(word))
    hits = {t for t in stems if t in vocab.df} | set(vocab.word_terms.get(folded, ()))
    for term in hits:
        concept.add([term], weight)
    for s in stems:
        if len(s) < 4:
            continue
        if len(s) >= 5:
            # Longer words that begin with it: inflections, derivations, compounds.
            for term in vocab.with_prefix(s):
                if term not in hits:
                    concept.add([term], weight * max(0.6, 0.9 * math.sqrt(len(s) / len(term))))
        if len(s) >= 8:
            # The head of a compound the stemmer did not reach, or consonant gradation
            # ("erihoolekandeteenused" → "erihoolekann-"): a long shared beginning.
            for term in vocab.with_prefix(s[:7], limit=60):
                shared = _common_prefix(s, term)
                if term in hits or shared < 7:
                    continue
                if shared >= 0.9 * len(term) and len(term) < len(s):
                    concept.add([term], weight * 0.75)
                elif shared >= 8 and shared >= 0.75 * len(s):
                    # Another derivation of the same word: "võlanõustaja" ~ "võlanõustamine".
                    concept.add([term], weight * 0.6)
        # A stem the stemmer left a letter or two too long: "kooli" → "kool",
        # "huviringi" → "huviring" (the Estonian stemmer leaves some plural and case endings).
        for cut in range(len(s) - 1, max(4, len(s) - 2) - 1, -1):
            if s[:cut] in vocab.df:
                concept.add([s[:cut]], weight * (0.9 if cut == len(s) - 1 else 0.8))
                break
    return bool(hits)


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _importance(concept: Concept, vocab: Vocabulary) -> float:
    best = 0.0
    for term, weight in concept.singles.items():
        if term in vocab.df:
            best = max(best, vocab.idf(term) * min(1.0, weight / 0.8))
    for alt in concept.alternatives:
        for part in alt.parts:
            for term in part:
                if term in vocab.df:
                    best = max(best, vocab.idf(term) * min(1.0, alt.weight / 0.8))
    return best


def plan_query(
    text: str, lang: str, vocab: Vocabulary | None, synonyms: Synonyms | list[SynonymGroup]
) -> QueryPlan:
    if not isinstance(synonyms, Synonyms):
        synonyms = Synonyms(list(synonyms))
    all_words = words_of(text)
    words = content_words(text)
    covered = _synonym_words(all_words, synonyms)
    concepts: list[Concept] = []
    for word in words:
        concept = Concept(word)
        if vocab is None:
            concept.add(terms_of_word(word), 1.0)
            other = transliterate(word)
            concept.add(terms_of_word(other), 0.9)
            concept.known = True
            concepts.append(concept)
            continue
        exact = _expand(concept, word, vocab)
        folded = fold(word)
        if not exact and word not in covered:
            # A typo: the nearest vocabulary words.
            for similar, distance in vocab.similar_words(folded, _max_edits(folded))[:3]:
                for term in vocab.word_terms[similar]:
                    concept.add([term], 0.8 - 0.1 * (distance - 1))
                concept.correction = concept.correction or vocab.display.get(similar, similar)
            # The other script: "тугиисик", "sotsialnyi transport".
            other = transliterate(word)
            if other and other != folded:
                if _expand(concept, other, vocab, 0.95):
                    concept.correction = concept.correction or vocab.display.get(other, other)
                else:
                    for similar, distance in vocab.similar_words(other, _max_edits(other)):
                        for term in vocab.word_terms[similar]:
                            concept.add([term], 0.8 - 0.1 * (distance - 1))
                        concept.correction = concept.correction or vocab.display.get(similar, similar)
                        break
            # An Estonian compound of known words: "erihoolekandeteenused".
            parts = split_compound(folded, vocab.known_et)
            if parts:
                part_terms = []
                for part in parts:
                    terms = set(vocab.word_terms.get(part, ())) or {
                        t for t in terms_of_word(part, "et") if t in vocab.df
                    }
                    part_terms.append(terms or set(terms_of_word(part, "et")))
                concept.add_parts(part_terms, 0.9, partial=0.5)
        if not concept.terms() & vocab.df.keys() and len(folded) >= 6 and not is_cyrillic(folded):
            # A derivation the stemmer does not relate: "lonely" ~ "loneliness" — index terms
            # that begin with all of the word but its last letter.
            for term in vocab.with_prefix(folded[:-1], limit=10):
                concept.add([term], 0.7)
        concept.known = any(t in vocab.df for t in concept.terms())
        if not concept.known:
            # Unknown to the reference vocabulary; may still name a provider or a person.
            concept.singles, concept.alternatives = {}, []
            concept.add(terms_of_word(word), 1.0)
        concepts.append(concept)

    _apply_synonyms(concepts, all_words, synonyms)
    for concept in concepts:
        if vocab is not None:
            concept.importance = _importance(concept, vocab) or 1.0
            concept.known = concept.known or any(t in vocab.df for t in concept.terms())
    plan = QueryPlan(text=text, lang=lang, concepts=concepts, phrase=phrase_key(text))
    if any(c.correction for c in concepts):
        plan.suggestion = " ".join(c.correction or c.word for c in concepts)
        plan.corrected_phrase = phrase_key(plan.suggestion)
    if vocab is not None:
        plan.municipality_hint = _municipality_hint(concepts, words, vocab) or _place_hint(text)
    return plan


def _synonym_words(words: list[str], synonyms: Synonyms) -> set[str]:
    """Words of the query that a synonym group knows: real words, not typos."""
    return {word for word in words if synonyms.knows([*terms_of_word(word), fold(word)])}


def _apply_synonyms(concepts: list[Concept], words: list[str], synonyms: Synonyms) -> None:
    """A query holding all words of a synonym phrase — in any order, stop words included, as
    in "ei saa enam hakkama" for "hakkama saama" — also means the group's other phrases; the
    query's content words in that phrase take them as alternatives. Only the groups that hold
    one of the query's words can apply."""
    word_terms = [set(terms_of_word(w)) | {fold(w)} for w in words]
    by_word = {c.word: c for c in concepts}
    for group in synonyms.holding(set().union(*word_terms)):
        for index, phrase in enumerate(group.phrases):
            positions = []
            for part in phrase:
                found = next(
                    (i for i, terms in enumerate(word_terms) if part & terms and i not in positions), None
                )
                if found is None:
                    break
                positions.append(found)
            else:
                targets = [by_word[words[i]] for i in positions if words[i] in by_word]
                for other_index, other in enumerate(group.phrases):
                    if other_index != index:
                        for concept in targets:
                            concept.add_parts(other, SYNONYM_WEIGHT, phrase=group.keys[other_index])


def _municipality_hint(concepts: list[Concept], words: list[str], vocab: Vocabulary) -> str:
    """A query that names a municipality ("koduteenus tartus", "Väike-Maarja hooldekodu")
    shows its offers first: every word of the name must be there. Of two namesakes (Tartu
    linn and Tartu vald) the larger is meant."""
    keys = {phrase_key(w) for w in words if len(fold(w)) >= 4}
    keys |= {t for w in words if len(fold(w)) >= 4 for t in terms_of_word(w)}
    # A part of a name is named by a key that is it or it with up to three letters more:
    # "tallinnas", "tartusse" (a case ending the stemmer left on a name).
    named = {key[: len(key) - cut] for key in keys for cut in range(min(3, len(key)) + 1)}
    found = [(population, code) for name, code, population in vocab.municipalities if name <= named]
    return max(found)[1] if found else ""


def _place_hint(text: str) -> str:
    """A query that names a village, town or city district ("hooldekodu Ahtmes") means its
    municipality (directory.places_lookup)."""
    municipality = places_lookup.municipality_named_in(text)
    return municipality.code if municipality else ""


# -- scoring (used by the database backend) ------------------------------------------------


# Body text longer than this many distinct terms counts for less (as BM25's length
# normalisation): a journey that mentions everything should not outrank the entry itself.
BODY_LENGTH = 120


class ParsedDocument:
    """The analysed fields of one document, ready to score: term → weight of the best field."""

    __slots__ = ("fields", "phrase_fields", "phrases", "row")

    def __init__(self, row: dict):
        self.row = row
        fields: dict[str, float] = {}
        for name in ("body", "keyword", "primary", "title"):
            terms = row[f"{name}_terms"].split()
            weight = FIELD_WEIGHTS[name]
            if name == "body" and len(terms) > BODY_LENGTH:
                weight *= math.sqrt(BODY_LENGTH / len(terms))
            for term in terms:
                fields[term] = weight
        self.fields = fields
        self.phrases = set(row["phrases"].split("\n")) if row["phrases"] else set()
        # A title or keyword phrase → the weight of its field ("k уход дом" → 0.75).
        self.phrase_fields: dict[str, float] = {}
        for line in self.phrases:
            prefix, _sep, key = line.partition(" ")
            weight = FIELD_WEIGHTS[PHRASE_FIELDS[prefix]]
            if weight > self.phrase_fields.get(key, 0.0):
                self.phrase_fields[key] = weight


PHRASE_BONUS = {"t": 0.3, "p": 0.2, "k": 0.12}
COORD = 0.4
PHRASE_FIELDS = {"t": "title", "p": "primary", "k": "keyword"}


def score(doc: ParsedDocument, plan: QueryPlan) -> tuple[float, set[str]]:
    """How well a document answers the query, about 0–1.3, and the terms that matched.

    The base is the share of the query's importance the document covers, each concept counted
    by its best alternative and the field it was found in. A document whose title or keyword
    is the whole query gets a bonus; the document's boost (journeys and pages less) scales it."""
    fields = doc.fields
    # A query of names only (a provider, a person) has no word the vocabulary knows: then
    # every word counts fully; otherwise unknown words only add a little.
    names_only = not any(c.known for c in plan.concepts)
    total = len(plan.concepts) if names_only else (plan.known_importance or 1.0)
    gained = 0.0
    hits = 0
    matched: set[str] = set()
    for concept in plan.concepts:
        best, best_terms = 0.0, ()
        for term, weight in concept.singles.items():
            w = fields.get(term)
            if w is not None and w * weight > best:
                best, best_terms = w * weight, (term,)
        for alt in concept.alternatives:
            if alt.phrase and alt.phrase in doc.phrase_fields:
                value = alt.weight * doc.phrase_fields[alt.phrase]
                if value > best:
                    best, best_terms = value, [t for part in alt.parts for t in part if t in fields]
                continue
            part_scores, terms = [], []
            for part in alt.parts:
                weight = 0.0
                for term in part:
                    w = fields.get(term)
                    if w is not None and w > weight:
                        weight, found = w, term
                if weight:
                    terms.append(found)
                part_scores.append(weight)
            # The weakest part decides: a phrase is as good as its least well-placed word.
            value = alt.weight * (min(part_scores) if alt.phrase else sum(part_scores) / len(part_scores))
            if not all(part_scores):
                # Half a phrase is not the phrase: "family violence" is not about "family".
                value *= alt.partial
            if value > best:
                best, best_terms = value, terms
        if best:
            if names_only:
                gained += best
            else:
                gained += concept.importance * best if concept.known else 0.15 * best
            matched.update(best_terms)
            hits += concept.known or names_only
    # Lucene's "coord": a document that answers every part of the query beats one that
    # answers its rarest word alone.
    known = len(plan.concepts) if names_only else (sum(1 for c in plan.concepts if c.known) or 1)
    base = gained / total * (1 - COORD + COORD * hits / known)
    bonus = 0.0
    for phrase, share in ((plan.phrase, 1.0), (plan.corrected_phrase, 0.8)):
        if phrase:
            for prefix, value in PHRASE_BONUS.items():
                if f"{prefix} {phrase}" in doc.phrases:
                    bonus = max(bonus, value * share)
    return base * doc.row.get("boost", 1.0) + bonus, matched
