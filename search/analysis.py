"""Text analysis shared by every search backend: how words become index terms.

A *term* is a folded Snowball stem: lower case, ё→е, diacritics removed (õ ä ö ü š ž → o a o u
s z), so "päevahoid" and "paevahoid" meet in the index while the original text is kept for
display. Every word is stemmed as typed and again after folding, because the Estonian stemmer
treats "ä" and "a" differently; both stems are kept.

Which stemmer runs depends on the word's script and the text's language: Cyrillic words are
Russian; Latin words in Estonian or English text use that language's stemmer. At query time
a Latin word is stemmed as Estonian *and* English (people mix them), a Cyrillic one as Russian.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

import Stemmer
import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"
LANGUAGES = ("et", "ru", "en")
STEMMER_NAMES = {"et": "estonian", "ru": "russian", "en": "english"}

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_local = threading.local()


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Lower case, ё→е and no diacritics: the form in which words are compared."""
    text = text.lower().replace("ё", "е")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def is_cyrillic(word: str) -> bool:
    return bool(_CYRILLIC.search(word))


def words(text: str) -> list[str]:
    """The words of a text, lower-cased (diacritics kept for the stemmer)."""
    return [w.replace("ё", "е") for w in _WORD.findall(text.lower())]


def word_spans(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, word) for each word of a text, for highlighting."""
    for match in _WORD.finditer(text):
        yield match.start(), match.end(), match.group().lower().replace("ё", "е")


def _stemmer(lang: str) -> Stemmer.Stemmer:
    # PyStemmer objects are not safe to share between threads.
    stemmers = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {}
    if lang not in stemmers:
        stemmers[lang] = Stemmer.Stemmer(STEMMER_NAMES[lang])
    return stemmers[lang]


def stem(word: str, lang: str) -> str:
    """The folded stem of one (lower-case) word in a language."""
    return fold(_stemmer(lang).stemWord(word))


def languages_for(word: str, lang: str | None = None) -> tuple[str, ...]:
    """The stemmers to run on a word: its own script decides; a Latin word in Russian text, or
    in a query, is tried as Estonian and English."""
    if is_cyrillic(word):
        return ("ru",)
    if lang in ("et", "en"):
        return (lang,)
    return ("et", "en")


@lru_cache(maxsize=200_000)
def terms_of_word(word: str, lang: str | None = None) -> frozenset[str]:
    """The index terms of one word: its stems as typed and as folded, in the languages that
    apply. Short Latin words keep their folded form whole (stemming "töö" to "tö" helps nobody)."""
    folded = fold(word)
    if len(folded) <= 3:
        if len(folded) == 3 and is_cyrillic(folded):
            # Russian inflects even its short words: "еду", "еды" and "еда" share a stem.
            return frozenset({folded, stem(folded, "ru")} - {""})
        return frozenset({folded})
    out = set()
    for code in languages_for(word, lang):
        out.add(stem(word, code))
        out.add(stem(folded, code))
    return frozenset(t for t in out if t)


# -- stop words ---------------------------------------------------------------------------


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Folded function words of all three languages; they carry no meaning in a query."""
    with (DATA_DIR / "stopwords.yaml").open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    return frozenset(fold(w) for lang in LANGUAGES for w in data.get(lang, []))


@lru_cache(maxsize=50_000)
def _content_words(text: str) -> tuple[str, ...]:
    stops = stopwords()
    return tuple(w for w in words(text) if fold(w) not in stops)


def content_words(text: str) -> list[str]:
    return list(_content_words(text))


def analyse(text: str, lang: str | None = None) -> list[str]:
    """Index terms of a text, in order, stop words dropped (used for phrases and fields)."""
    out: list[str] = []
    for word in content_words(text):
        out.extend(sorted(terms_of_word(word, lang)))
    return out


def phrase_key(text: str, lang: str | None = None) -> str:
    """A canonical form of a short phrase (a title, a keyword, a query) to compare whole
    phrases: the first stem of each content word, joined by spaces."""
    keys = []
    for word in content_words(text):
        folded = fold(word)
        code = languages_for(word, lang)[0]
        keys.append(folded if len(folded) <= 3 else stem(folded, code))
    return " ".join(keys)


# -- Estonian compounds -------------------------------------------------------------------


def split_compound(word: str, known: Iterable[str] | set[str], min_length: int = 8) -> list[str] | None:
    """Split a folded Estonian compound into known words: "erihoolekandeteenused" →
    ["eri", "hoolekande", "teenused"]. `known` holds folded words of the indexed corpus.

    The first part may be as short as three letters ("eri", "abi", "kodu" …), later parts at
    least four; fewer, longer parts win. Returns None when the word is not a compound of known
    words."""
    if len(word) < min_length or is_cyrillic(word):
        return None
    known = known if isinstance(known, set | frozenset | dict) else set(known)
    return _split(word, known, first=True)


def _split(word: str, known, first: bool) -> list[str] | None:
    shortest = 3 if first else 4
    # Longest head first: "tugiisikuteenus" → "tugiisiku" + "teenus", not "tugi" + "isikuteenus".
    for cut in range(len(word) - 4, shortest - 1, -1):
        head, tail = word[:cut], word[cut:]
        if head not in known:
            continue
        if tail in known:
            return [head, tail]
        rest = _split(tail, known, first=False)
        if rest:
            return [head, *rest]
    return None


# -- transliteration ----------------------------------------------------------------------

# Cyrillic → Latin the way Estonian writes Russian names (folded: ž, š become z, s).
_CYR_TO_LAT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "z", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ts",
    "ш": "s", "щ": "sts", "ъ": "", "ы": "o", "ь": "", "э": "e", "ю": "ju", "я": "ja",
}  # fmt: skip
# Latin → Cyrillic, longest spelling first; covers the common Russian romanisations.
_LAT_TO_CYR = [
    ("shch", "щ"), ("sch", "щ"), ("tsh", "ч"), ("ch", "ч"), ("sh", "ш"), ("zh", "ж"),
    ("kh", "х"), ("ts", "ц"), ("tz", "ц"), ("yu", "ю"), ("ju", "ю"), ("ya", "я"),
    ("ja", "я"), ("yo", "е"), ("jo", "е"), ("ye", "е"), ("je", "е"), ("yi", "ый"),
    ("iy", "ий"), ("yj", "ый"), ("ij", "ий"), ("a", "а"), ("b", "б"), ("v", "в"),
    ("w", "в"), ("g", "г"), ("d", "д"), ("e", "е"), ("z", "з"), ("i", "и"), ("y", "ы"),
    ("k", "к"), ("q", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"),
    ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("f", "ф"), ("h", "х"), ("c", "ц"),
    ("x", "кс"), ("j", "й"), ("'", "ь"),
]  # fmt: skip


def to_latin(word: str) -> str:
    return "".join(_CYR_TO_LAT.get(ch, ch) for ch in fold(word))


def to_cyrillic(word: str) -> str:
    word = fold(word)
    out, i = [], 0
    while i < len(word):
        for latin, cyrillic in _LAT_TO_CYR:
            if word.startswith(latin, i):
                out.append(cyrillic)
                i += len(latin)
                break
        else:
            out.append(word[i])
            i += 1
    return fold("".join(out))


def transliterate(word: str) -> str:
    """The word in the other script: Cyrillic to Latin, Latin to Cyrillic."""
    return to_latin(word) if is_cyrillic(word) else to_cyrillic(word)


# -- personal data ------------------------------------------------------------------------

_EMAIL = re.compile(r"\S+@\S+")
_PERSONAL_CODE = re.compile(r"\b[1-6]\d{10}\b")
_PHONE = re.compile(r"\+?\d[\d\s\-()]{5,}\d")
_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")


def strip_personal_data(text: str) -> str:
    """A query as it may be stored: e-mail addresses, personal codes (isikukood), phone numbers
    and any other digits removed, spaces collapsed, lower case."""
    text = _EMAIL.sub(" ", text)
    text = _PERSONAL_CODE.sub(" ", text)
    text = _PHONE.sub(" ", text)
    text = _DIGITS.sub(" ", text)
    return _SPACE.sub(" ", text).strip().lower()
