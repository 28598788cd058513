"""Find the municipality from any place name a resident types: a municipality (in et, ru or en)
or any of the 4 711 settlements (*asustusüksused*: villages, small boroughs, towns, city
districts), each with its municipality and county.

    from directory import places_lookup
    places_lookup.find("Ahtme")        # [PlaceMatch(Ahtme linnaosa → Kohtla-Järve linn)]
    places_lookup.resolve("Kiviõli")   # Resolution(municipality=<Lüganuse vald>, matches=[…])

How text is compared: both the typed text and every name are reduced to one Latin spelling —
lower case, Cyrillic transliterated the way Russian writes Estonian names (Йыхви, Кивиыли,
Силламяэ), diacritics dropped (Johvi), punctuation and the kind words (küla, vald, город,
Parish …) removed — and also to a coarser key that forgives doubled letters and "ää"/"äe"
(Таллин, Ляэне). Then, best first:

    0 exact      the whole name
    1 prefix     the name starts with the text ("Lasna" → Lasnamäe)
    2 word       a later word of the name starts with it ("Järve" → Kohtla-Järve, Järve)
    3 typo       only when nothing above matched: a name (or its beginning) one or two edits
                 away (rapidfuzz's Levenshtein), never a bare substring inside another name
                 ("lähtme" is not Jõelähtme)

Names repeat (twelve villages are called Vanamõisa): every match carries its municipality and
county, and `resolve` names a municipality only when the best matches all lie in one.

The index is built once per process from the database (≈5 000 names, a few ms to search) and
rebuilt when the content version moves on or this process saves a settlement, municipality or
county (see `_index_key`)."""

from __future__ import annotations

import re
import threading
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models.signals import post_delete, post_save
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from . import content_version
from .models import County, Municipality, Settlement, SettlementKind
from .signals import bulk_saved

EXACT, PREFIX, WORD, TYPO = range(4)
MAX_TEXT = 100
MIN_TYPO_LENGTH = 4

# Cyrillic → Latin as Russian writes Estonian names: ы is õ, я/ю/ё after a consonant are ä/ü/ö
# (iotated — ja, ju, jo — at a word's start, after a vowel or a soft sign), й after a vowel
# is the i of a diphthong (Кейла = Keila), э is e.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "z", "з": "z", "и": "i",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ts", "ш": "s", "щ": "s", "ъ": "", "ы": "o",
    "ь": "", "э": "e",
}  # fmt: skip
_IOTATED = {"я": ("ja", "a"), "ю": ("ju", "u"), "ё": ("jo", "o")}
_VOWELS = set("аеёиоуыэюяaeiou")

# Words that say what kind of place a name is; dropped from names and from the typed text.
_KIND_WORDS = (
    "küla vald vallas linn linnas linnaosa alev alevik maakond "
    "город волость деревня посёлок поселок район уезд "
    "parish town city village borough district county municipality rural"
).split()


def _transliterate(text: str) -> str:
    out = []
    previous = ""
    for ch in text:
        if ch in _IOTATED:
            iotated, plain = _IOTATED[ch]
            soft = previous in ("", " ", "-", "ь", "ъ") or previous in _VOWELS or not previous.isalpha()
            out.append(iotated if soft else plain)
        elif ch == "й":
            out.append("i" if previous in _VOWELS else "j")
        else:
            out.append(_CYRILLIC.get(ch, ch))
        previous = ch
    return "".join(out)


# Latin → Cyrillic, the other way: an Estonian name as Russian writes it (Kohtla-Järve →
# Кохтла-Ярве, Jõhvi → Йыхви, Sillamäe → Силламяэ), for places without a Russian name of
# their own. normalise() reads it back to the same key.
_LATIN_VOWELS = set("aeiouõäöüy")
_TO_CYRILLIC = {
    "a": "а",
    "b": "б",
    "c": "ц",
    "d": "д",
    "f": "ф",
    "g": "г",
    "h": "х",
    "k": "к",
    "l": "л",
    "m": "м",
    "n": "н",
    "o": "о",
    "p": "п",
    "q": "к",
    "r": "р",
    "s": "с",
    "š": "ш",
    "z": "з",
    "ž": "ж",
    "t": "т",
    "u": "у",
    "v": "в",
    "w": "в",
    "x": "кс",
    "õ": "ы",
    "y": "ю",
}
_LATIN_IOTATED = {"a": "я", "ä": "я", "u": "ю", "ü": "ю", "e": "е", "o": "ё", "ö": "ё"}


def _cyrillic_word(word: str) -> str:
    out = []
    i = 0
    while i < len(word):
        ch, prev = word[i], word[i - 1] if i else ""
        nxt = word[i + 1] if i + 1 < len(word) else ""
        after_vowel = prev in _LATIN_VOWELS
        if ch == "j" and nxt in _LATIN_IOTATED:
            if prev and not after_vowel:
                out.append("ь")
            out.append(_LATIN_IOTATED[nxt] if nxt not in "oö" or prev else "йо")
            i += 2
            continue
        if ch == "j":
            out.append("й")
        elif ch == "e":
            out.append("э" if not prev or after_vowel else "е")
        elif ch == "i":
            out.append("й" if after_vowel else "и")
        elif ch == "ä":
            out.append("я" if prev and not after_vowel else "э")
        elif ch == "ö":
            out.append("ё" if prev and not after_vowel else "э")
        elif ch == "ü":
            out.append("ю")
        else:
            out.append(_TO_CYRILLIC.get(ch, ch))
        i += 1
    return "".join(out)


def cyrillic(name: str) -> str:
    """An Estonian place name in Cyrillic letters, each part capitalised."""
    parts = re.split(r"([ -])", name)
    words = [part if part in (" ", "-", "") else _cyrillic_word(part.lower()) for part in parts]
    return "".join(word[:1].upper() + word[1:] for word in words)


# The kind word Russian puts before a settlement's name, as with municipalities ("город Нарва").
RUSSIAN_KINDS = {
    SettlementKind.TOWN: "город", SettlementKind.TOWN_IN_PARISH: "город",
    SettlementKind.DISTRICT: "район", SettlementKind.SMALL_TOWN: "посёлок",
    SettlementKind.SMALL_BOROUGH: "посёлок", SettlementKind.VILLAGE: "деревня",
}  # fmt: skip


def settlement_name(settlement: Settlement, language: str) -> tuple[str, str]:
    """(the name to show, its language when it is not the page's). EHAK names settlements
    only in Estonian: Russian pages write them in Cyrillic — a town that is a municipality of
    its own by the municipality's Russian name ("город Нарва"), the rest as "деревня Аа" —
    and other pages show the Estonian name, marked as Estonian."""
    if language == "ru":
        municipality = settlement.municipality
        if settlement.name == municipality.name_et and municipality.name_ru:
            return municipality.name_ru, ""
        return f"{RUSSIAN_KINDS.get(settlement.kind, '')} {cyrillic(settlement.bare_name)}".strip(), ""
    return settlement.name, "" if language == "et" else "et"


def normalise(text: str) -> str:
    """One Latin spelling: "Кохтла-Ярве" and "Kohtla-Järve" both become "kohtla jarve"."""
    text = _transliterate(text.casefold())
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


_KIND_KEYS = frozenset(normalise(word) for word in _KIND_WORDS)


def _strip_kind_words(key: str) -> str:
    words = [word for word in key.split() if word not in _KIND_KEYS]
    return " ".join(words) if words else key


def coarse(key: str) -> str:
    """A forgiving key: doubled letters once, "ae" as "a" (Russian writes both ää and äe as
    яэ), so "Таллин" meets Tallinn and "Ляэне" meets Lääne."""
    key = re.sub(r"(.)\1+", r"\1", key)
    return key.replace("ae", "a")


def keys_of(text: str) -> tuple[str, str]:
    """The exact and the coarse key of a name or of typed text."""
    key = _strip_kind_words(normalise(text))
    return key, coarse(key)


@dataclass(frozen=True)
class PlaceMatch:
    """A place that matches the typed text: a municipality itself, or a settlement in it."""

    municipality: Municipality
    settlement: Settlement | None
    tier: int
    score: float = 100.0

    @property
    def name(self) -> str:
        return self.settlement.name if self.settlement else self.municipality.name

    def shown_name(self, language: str) -> tuple[str, str]:
        """(name, its language if not the page's) as a page in `language` shows it."""
        if self.settlement:
            return settlement_name(self.settlement, language)
        return self.municipality.name, ""

    @property
    def county(self) -> County:
        return self.municipality.county

    @property
    def is_settlement(self) -> bool:
        return self.settlement is not None

    @property
    def kind_label(self) -> str:
        return self.settlement.get_kind_display() if self.settlement else ""


@dataclass(frozen=True)
class Resolution:
    """What the typed text names: `municipality` when the best matches all lie in one."""

    municipality: Municipality | None
    matches: list[PlaceMatch] = field(default_factory=list)


# The order among equally good matches: municipalities, then towns before villages.
_RANK = {
    None: 0,
    SettlementKind.TOWN: 1,
    SettlementKind.DISTRICT: 2,
    SettlementKind.TOWN_IN_PARISH: 3,
    SettlementKind.SMALL_TOWN: 4,
    SettlementKind.SMALL_BOROUGH: 5,
    SettlementKind.VILLAGE: 6,
}


@dataclass
class _Entry:
    municipality: Municipality
    settlement: Settlement | None
    rank: int
    keys: tuple[str, ...]  # the exact key of each name it is known by
    coarse_keys: tuple[str, ...]


class _Keys:
    """Keys → entry numbers, sorted for prefix search by bisection: whole names, and every
    later word start of a name ("jarve" of "kohtla jarve")."""

    def __init__(self, pairs: Iterable[tuple[str, int]]):
        self.names = sorted(set(pairs))
        words = set()
        for key, number in self.names:
            parts = key.split()
            for start in range(1, len(parts)):
                words.add((" ".join(parts[start:]), number))
        self.words = sorted(words)

    @staticmethod
    def starting(keys: list[tuple[str, int]], text: str):
        position = bisect_left(keys, (text, -1))
        while position < len(keys) and keys[position][0].startswith(text):
            yield keys[position]
            position += 1


class PlaceIndex:
    """Every municipality and settlement under each of its names' keys, searchable in memory."""

    def __init__(self, municipalities: Iterable[Municipality], settlements: Iterable[Settlement]):
        self.entries: list[_Entry] = []
        by_pk = {}
        for municipality in municipalities:
            by_pk[municipality.pk] = municipality
            names = [municipality.name_et, municipality.name_ru, municipality.name_en]
            self._add(municipality, None, names)
        for settlement in settlements:
            municipality = by_pk[settlement.municipality_id]
            names = [settlement.bare_name, *settlement.name.split(" / ")[1:]]
            self._add(municipality, settlement, names)
        self.entries.sort(key=lambda entry: (entry.rank, entry.keys[0]))
        numbered = list(enumerate(self.entries))
        self._plain = _Keys((key, number) for number, entry in numbered for key in entry.keys)
        self._coarse = _Keys((key, number) for number, entry in numbered for key in entry.coarse_keys)
        self._typo_keys = [key for key, _number in self._plain.names]

    def _add(self, municipality: Municipality, settlement: Settlement | None, names: list[str]) -> None:
        exact, rough = [], []
        for name in names:
            key, coarse_key = keys_of(name or "")
            if key and key not in exact:
                exact.append(key)
            if coarse_key and coarse_key not in rough:
                rough.append(coarse_key)
        if exact:
            rank = _RANK[settlement.kind if settlement else None]
            self.entries.append(_Entry(municipality, settlement, rank, tuple(exact), tuple(rough)))

    def find(self, text: str, limit: int = 20) -> list[PlaceMatch]:
        """The places the text names, best first (see the module's docstring)."""
        key, coarse_key = keys_of((text or "")[:MAX_TEXT])
        if not key:
            return []
        tiers: dict[int, int] = {}

        def found(number: int, tier: int) -> None:
            tiers[number] = min(tier, tiers.get(number, TYPO))

        # The coarse key is a little less sure: its hits count one tier lower.
        for keys, typed, lower in ((self._plain, key, 0), (self._coarse, coarse_key, 1)):
            for name, number in keys.starting(keys.names, typed):
                found(number, min((EXACT if name == typed else PREFIX) + lower, WORD))
            for _word, number in keys.starting(keys.words, typed):
                found(number, WORD)
        scores: dict[int, float] = {}
        if not tiers and len(key) >= MIN_TYPO_LENGTH:
            for number, score in self._typos(key):
                tiers[number], scores[number] = TYPO, score
        ordered = sorted(tiers, key=lambda number: (tiers[number], -scores.get(number, 100.0), number))
        matches = [
            PlaceMatch(
                self.entries[number].municipality,
                self.entries[number].settlement,
                tiers[number],
                scores.get(number, 100.0),
            )
            for number in ordered
        ]
        return _without_namesakes_of_their_municipality(matches, self.entries, ordered)[:limit]

    def exact(self, text: str) -> list[PlaceMatch]:
        """The places whose name is exactly the text (no prefix, no coarse key, no typos)."""
        key, _coarse = keys_of(text[:MAX_TEXT])
        return [
            PlaceMatch(self.entries[number].municipality, self.entries[number].settlement, EXACT)
            for _name, number in self._plain.starting(self._plain.names, key)
            if _name == key
        ]

    def _typos(self, key: str) -> list[tuple[int, float]]:
        """Names a typo or two away from the text (one edit up to 7 letters, two from 8): the
        whole name, or its beginning as long as the text (someone still typing). Counted in
        edits, not as a share of the longer name, so a bare ending ("lähtme") is no typo of
        Jõelähtme."""
        edits = 1 if len(key) < 8 else 2
        best: dict[int, float] = {}
        beginnings = [name[: len(key)] for name in self._typo_keys]
        for choices in (self._typo_keys, beginnings):
            for _choice, distance, position in process.extract(
                key, choices, scorer=Levenshtein.distance, score_cutoff=edits, limit=None
            ):
                number = self._plain.names[position][1]
                best[number] = max(100.0 - 10 * distance, best.get(number, 0.0))
        return sorted(best.items(), key=lambda item: -item[1])


def _without_namesakes_of_their_municipality(
    matches: list[PlaceMatch], entries: list[_Entry], numbers: list[int]
) -> list[PlaceMatch]:
    """Drop a settlement that bears its own municipality's name when that municipality matched
    too: "Narva" is Narva linn once, "Viimsi" is Viimsi vald (not also Viimsi alevik)."""
    matched = {
        entries[number].municipality.pk: set(entries[number].keys)
        for number in numbers
        if entries[number].settlement is None
    }
    return [
        match
        for match, number in zip(matches, numbers, strict=True)
        if match.settlement is None
        or not set(entries[number].keys) & matched.get(match.municipality.pk, set())
    ]


def resolve_matches(matches: list[PlaceMatch]) -> Municipality | None:
    """The municipality the matches point at, if the best of them all lie in one — unless they
    are only villages of that name while a town or municipality also begins with it ("Kohtla"
    is a village in Toila vald, but most who type it mean Kohtla-Järve)."""
    if not matches:
        return None
    best_tier = matches[0].tier
    best = [match for match in matches if match.tier == best_tier]
    municipalities = {match.municipality.pk for match in best}
    if len(municipalities) != 1:
        return None
    if best_tier == EXACT and all(
        match.settlement is not None and match.settlement.kind == SettlementKind.VILLAGE for match in best
    ):
        others = [
            match
            for match in matches
            if match.tier == PREFIX
            and match.municipality.pk not in municipalities
            and (match.settlement is None or match.settlement.kind != SettlementKind.VILLAGE)
        ]
        if others:
            return None
    return best[0].municipality


def find(text: str, limit: int = 20) -> list[PlaceMatch]:
    """Municipalities and settlements whose name matches the typed text, best first."""
    return current_index().find(text, limit=limit)


def resolve(text: str, limit: int = 20) -> Resolution:
    """The municipality the typed text names (or None) and the matches to choose from."""
    matches = find(text, limit=limit)
    return Resolution(resolve_matches(matches), matches)


# Estonian place-case endings a search query puts on a name: "Ahtmes", "Lasnamäel", "Kiviõlist".
_CASE_ENDINGS = ("sse", "st", "s", "lt", "le", "l", "ni", "ga")
_TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def municipality_named_in(text: str) -> Municipality | None:
    """The municipality a free-text query names through a place in it ("hooldekodu Ahtmes",
    "уход на дому Кивиыли"): one to three words that are exactly a place's name, perhaps with a
    place-case ending. Many village names are ordinary words ("järve", "nõmme"), so a name
    that any village bears counts only when written with a capital letter, not opening the
    query. None when nothing, or places in several municipalities, match."""
    tokens = [(m.group(), m.start()) for m in _TOKEN.finditer((text or "")[: MAX_TEXT * 2])]
    index = current_index()
    municipalities: dict[int, Municipality] = {}
    for size in (3, 2, 1):
        for start in range(len(tokens) - size + 1):
            words = [word for word, _position in tokens[start : start + size]]
            written_as_a_name = tokens[start][1] > 0 and words[0][:1].isupper()
            for candidate in _with_case_endings_removed(" ".join(words)):
                matches = index.exact(candidate)
                if not written_as_a_name and any(
                    match.settlement is not None and match.settlement.kind == SettlementKind.VILLAGE
                    for match in matches
                ):
                    continue
                municipalities.update((match.municipality.pk, match.municipality) for match in matches)
    return next(iter(municipalities.values())) if len(municipalities) == 1 else None


def _with_case_endings_removed(phrase: str) -> list[str]:
    out = [phrase]
    for ending in _CASE_ENDINGS:
        if phrase.endswith(ending) and len(phrase) - len(ending) >= 3:
            out.append(phrase[: -len(ending)])
    return out


# -- the per-process index ------------------------------------------------------------------

_lock = threading.Lock()
_built: tuple[object, PlaceIndex] | None = None
_generation = 0  # moved on by this process's own saves


def _index_key() -> object:
    """The content version (every process sees a change at once), with this process's own
    count of saves: a save inside a transaction — a test's, or an import's — moves the
    version on only at commit, but what this process reads has changed already."""
    return (content_version.current().key, _generation)


def current_index() -> PlaceIndex:
    global _built
    key = _index_key()
    built = _built
    if built is not None and built[0] == key:
        return built[1]
    with _lock:
        if _built is None or _built[0] != key:
            municipalities = list(Municipality.objects.with_county())
            settlements = list(Settlement.objects.all())
            _built = (key, PlaceIndex(municipalities, settlements))
        return _built[1]


def _changed(sender=None, **kwargs) -> None:
    global _generation, _built
    _generation += 1
    _built = None


for _model in (Settlement, Municipality, County):
    post_save.connect(_changed, sender=_model, dispatch_uid=f"places-lookup-save-{_model.__name__}")
    post_delete.connect(_changed, sender=_model, dispatch_uid=f"places-lookup-delete-{_model.__name__}")
    bulk_saved.connect(_changed, sender=_model, dispatch_uid=f"places-lookup-bulk-{_model.__name__}")
