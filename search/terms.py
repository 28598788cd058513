"""From an IndexDocument to the analysed fields every backend stores: term strings per field
(title, primary keywords, other keywords, body), phrase keys and the words for the
vocabulary. Estonian compounds are split into known words here, at index time, so that
"tugiisik" finds "Tugiisikuteenus" and "kodu teenus" finds "Koduteenus"."""

from __future__ import annotations

from dataclasses import dataclass

from .analysis import content_words, fold, is_cyrillic, phrase_key, split_compound, terms_of_word
from .documents import LANGS, PRIMARY_KEYWORDS, IndexDocument

# Weight of a match in each field; phrase-key prefixes in `phrases`.
FIELD_WEIGHTS = {"title": 1.0, "primary": 0.9, "keyword": 0.75, "body": 0.45}


@dataclass
class AnalysedFields:
    title_terms: str
    primary_terms: str
    keyword_terms: str
    body_terms: str
    phrases: str
    words_et: str
    words_other: str


class Analyser:
    """Analyses texts against one set of known Estonian words, remembering each text's terms:
    an offer repeats its component's names and keywords, 79 municipalities over."""

    def __init__(self, known_et: set[str]):
        self.known_et = known_et
        self._cache: dict[tuple[str, str], frozenset[str]] = {}

    def text_terms(self, lang: str, text: str) -> frozenset[str]:
        key = (lang, text)
        if key not in self._cache:
            out: set[str] = set()
            for word in content_words(text):
                out |= terms_of_word(word, lang)
                if lang == "et" and not is_cyrillic(word):
                    for part in split_compound(fold(word), self.known_et) or ():
                        out |= terms_of_word(part, "et")
            self._cache[key] = frozenset(out)
        return self._cache[key]

    def terms(self, texts: list[tuple[str, str]]) -> set[str]:
        out: set[str] = set()
        for lang, text in texts:
            out |= self.text_terms(lang, text)
        return out


def document_words(doc: IndexDocument) -> tuple[set[str], set[str]]:
    """Lower-case words of a document (with diacritics): Estonian ones and the others."""
    et_words, other = set(), set()
    for lang in LANGS:
        texts = [doc.titles.get(lang, "")]
        texts += doc.keywords.get(lang, []) + doc.primary.get(lang, []) + doc.body.get(lang, [])
        for text in texts:
            for word in content_words(text):
                if len(word) < 3 or word.isdigit():
                    continue
                (et_words if lang == "et" and not is_cyrillic(word) else other).add(word)
    return et_words, other


def analyse_document(doc: IndexDocument, known_et: set[str] | Analyser) -> AnalysedFields:
    """`known_et` holds folded Estonian words of the corpus, the parts compounds split into
    (or is an Analyser built on them, to reuse across many documents)."""
    analyser = known_et if isinstance(known_et, Analyser) else Analyser(known_et)
    titles, primary, keywords, body, phrases = [], [], [], [], []
    for lang in LANGS:
        if doc.titles.get(lang):
            titles.append((lang, doc.titles[lang]))
            phrases.append("t " + phrase_key(doc.titles[lang], lang))
        kws = doc.keywords.get(lang, [])
        for position, keyword in enumerate(kws):
            (primary if position < PRIMARY_KEYWORDS else keywords).append((lang, keyword))
            phrases.append(("p " if position < PRIMARY_KEYWORDS else "k ") + phrase_key(keyword, lang))
        primary += [(lang, text) for text in doc.primary.get(lang, [])]
        body += [(lang, text) for text in doc.body.get(lang, [])]
    et_words, other = document_words(doc)
    return AnalysedFields(
        title_terms=" ".join(sorted(analyser.terms(titles))),
        primary_terms=" ".join(sorted(analyser.terms(primary))),
        keyword_terms=" ".join(sorted(analyser.terms(keywords))),
        body_terms=" ".join(sorted(analyser.terms(body))),
        phrases="\n".join(dict.fromkeys(p for p in phrases if p.strip() not in ("t", "p", "k"))),
        words_et=" ".join(sorted(et_words)),
        words_other=" ".join(sorted(other)),
    )
