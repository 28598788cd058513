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


def _terms(texts: list[tuple[str, str]], known_et: set[str]) -> set[str]:
    out: set[str] = set()
    for lang, text in texts:
        for word in content_words(text):
            out |= terms_of_word(word, lang)
            if lang == "et" and not is_cyrillic(word):
                parts = split_compound(fold(word), known_et)
                for part in parts or ():
                    out |= terms_of_word(part, "et")
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


def analyse_document(doc: IndexDocument, known_et: set[str]) -> AnalysedFields:
    """`known_et` holds folded Estonian words of the corpus, the parts compounds split into."""
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
        title_terms=" ".join(sorted(_terms(titles, known_et))),
        primary_terms=" ".join(sorted(_terms(primary, known_et))),
        keyword_terms=" ".join(sorted(_terms(keywords, known_et))),
        body_terms=" ".join(sorted(_terms(body, known_et))),
        phrases="\n".join(dict.fromkeys(p for p in phrases if p.strip() not in ("t", "p", "k"))),
        words_et=" ".join(sorted(et_words)),
        words_other=" ".join(sorted(other)),
    )
